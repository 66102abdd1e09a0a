"""Time a programme's evaluation at scale: 10,000 mentees, 3 moments × 20 items (600,000 answers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_eval .venv/bin/python bench/evaluation.py
    .venv/bin/python bench/evaluation.py --people 2000      # a throwaway SQLite file

Timed: the evaluation page as a coordinator loads it (every figure, charts included), and the
answers export as XLSX streamed to the client (openpyxl write-only), with the process's peak
memory before and after the export (flat memory: the peak grows by little). Data made with
binome.evaluation.synthetic (fixed seed, no drop-out so that every answer is there).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
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
    from django.test import Client
    from django.urls import reverse

    from binome.accounts.models import Membership, User
    from binome.evaluation.synthetic import answered_programme
    from binome.programmes.models import Edition, Organisation, Programme

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug=f"bench-{int(time.time())}")
    programme = Programme.objects.create(
        organisation=org, name="Bench", slug="bench", kind="intercultural", mode="in_person"
    )
    edition = Edition.objects.create(programme=programme, name="2025–2026", starts_on="2025-09-01")
    carla = User.objects.create_user(email=f"carla@{org.slug}.example", password="x" * 20)
    Membership.objects.create(user=carla, organisation=org, role=Membership.Role.COORDINATOR)
    start = time.perf_counter()
    made = answered_programme(
        programme, people=args.people, items=args.items, edition=edition, dropout=0.0
    )
    print(
        f"{made['mentees']} mentees, {made['answers']} answers ({connection.vendor}), "
        f"generated in {time.perf_counter() - start:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
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
    print(f"evaluation page: best {min(times):.2f} s, worst {max(times):.2f} s ({args.runs} runs)")
    before = peak_mb()
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
        f"answers XLSX: {size / 1e6:.1f} MB in {elapsed:.1f} s; peak memory "
        f"{before:.0f} MB before, {peak_mb():.0f} MB after"
    )
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
