"""Time a programme's evaluation at scale: 10,000 mentees, 3 moments × 20 items (600,000 answers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_eval .venv/bin/python bench/evaluation.py
    .venv/bin/python bench/evaluation.py --people 2000      # a throwaway SQLite file

    ... bench/evaluation.py --reuse      # the programme an earlier run left in that database

Timed: the evaluation page as a coordinator loads it (every figure, charts included; median of
--runs), and the answers export as XLSX streamed to the client (binome.evaluation.xlsx), with the
process's resident memory when the export starts and its peak during the export (flat memory:
the peak grows by little whatever the number of rows). Data made with binome.evaluation.synthetic
(fixed seed, no drop-out so that every answer is there).

Figures on PostgreSQL, 10,000 mentees, 630,000 answers, a 2-core machine shared with other jobs
(load average 9.6-12, as `uptime` gave it), 2026-12-04:
    evaluation page    median 0.70 s (0.65-0.76 s; 1.49 s at load 14); was 2.6-3.4 s
    answers XLSX       27.4 MB in 7.7 s (19.4 s at load 14); was 180 s with openpyxl
    memory             249 MB resident when the export starts, peak 249 MB during it (flat)
"""

import argparse
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> None:
    """Count the peak resident memory from now on (Linux; elsewhere it is the process's peak)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def rss_mb() -> float:
    return _status_mb("VmRSS") or peak_mb()


def peak_mb() -> float:
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="time the programme an earlier run left (same size)"
    )
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from binome.accounts.models import Membership, User
    from binome.evaluation.synthetic import answered_programme
    from binome.programmes.models import Edition, Organisation, Programme

    def make_programme(people: int, items: int) -> Programme:
        org = Organisation.objects.create(name="Bench", slug=f"bench-{int(time.time())}")
        programme = Programme.objects.create(
            organisation=org, name="Bench", slug="bench", kind="intercultural", mode="in_person"
        )
        edition = Edition.objects.create(
            programme=programme, name="2025–2026", starts_on="2025-09-01"
        )
        carla = User.objects.create_user(email=f"carla@{org.slug}.example", password="x" * 20)
        Membership.objects.create(user=carla, organisation=org, role=Membership.Role.COORDINATOR)
        start = time.perf_counter()
        made = answered_programme(
            programme, people=people, items=items, edition=edition, dropout=0.0
        )
        print(
            f"{made['mentees']} mentees, {made['answers']} answers ({connection.vendor}), "
            f"generated in {time.perf_counter() - start:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return programme

    call_command("migrate", verbosity=0)
    programme: Programme | None = None
    if args.reuse:
        programme = (
            Programme.objects.filter(slug="bench", organisation__slug__startswith="bench-")
            .alias(people=Count("participants"))
            .filter(people=args.people)
            .order_by("-pk")
            .first()
        )
    if programme is None:
        programme = make_programme(args.people, args.items)
    else:
        print(f"{args.people} mentees of an earlier run ({connection.vendor})")
    carla = User.objects.get(
        memberships__organisation=programme.organisation, memberships__role="coordinator"
    )
    client = Client()
    client.force_login(carla, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("evaluation:page", args=[programme.pk])
    client.get(url)  # warm: translations, URL patterns, templates
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    print(
        f"evaluation page: median {statistics.median(times):.2f} s, best {min(times):.2f} s, "
        f"worst {max(times):.2f} s ({args.runs} runs)"
    )
    gc.collect()
    reset_peak()
    before = rss_mb()
    start = time.perf_counter()
    response = client.get(
        reverse("evaluation:export", args=[programme.pk]), {"table": "answers", "format": "xlsx"}
    )
    # The test client's response type does not know the streaming responses' attribute.
    size = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
    elapsed = time.perf_counter() - start
    print(
        f"answers XLSX: {size / 1e6:.1f} MB in {elapsed:.1f} s; resident memory "
        f"{before:.0f} MB when it starts, peak {peak_mb():.0f} MB during it"
    )
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
