"""Time a matching run done by a task worker, and the pages of its result.

    .venv/bin/python bench/matching_page.py                      # 5,000 x 4,000, SQLite file
    .venv/bin/python bench/matching_page.py --mentees 500 --mentors 400
    .venv/bin/python bench/matching_page.py --database-url postgres://postgres@127.0.0.1:5432/bench

The pool is generated with a fixed seed around Marseille (languages, slots, needs, sectors,
interests, modes). A `db_worker` process runs beside the benchmark, as in production. Measured:
from the coordinator's "run" (the request that queues it) to the result stored by the worker,
then each page of the result through Django's test client, as a coordinator sees it (100 rows,
explanations in French, template): the first and a middle page, a name search, the filters.
Targets (5,000 x 4,000): run queued and done < 15 s, each page < 0.3 s. A PostgreSQL database
given with --database-url must be empty: the benchmark migrates it and leaves its rows there.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGS = [{"ar": "native", "fr": "A2"}, {"uk": "native", "fr": "B1"}, {"fr": "native", "en": "B2"},
         {"ti": "native", "en": "B1"}, {"fr": "native", "ar": "B1"}, {"es": "native", "fr": "B2"},
         {"prs": "native", "fr": "A2", "en": "B1"}, {"fr": "native", "uk": "B1"}]  # fmt: skip
SECTORS = ["", "2221", "2310", "2511", "5120", "7115", "8322", "9112", "2411"]
NEEDS = ["employment", "language", "housing", "administration", "social_network", "health"]
INTERESTS = ["football", "cooking", "music", "chess", "running", "theatre", "gardening"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PARTS = ["am", "pm", "ev"]
MODES = ["in_person", "either", "either", "remote"]


def person(rng: random.Random, i: int, role: str) -> dict:
    slots = sorted({f"{rng.choice(DAYS)}_{rng.choice(PARTS)}" for _ in range(rng.randint(2, 6))})
    return {
        "role": role,
        "first_name": f"{role.title()}{i}",
        "last_name": "Bench",
        "status": "ready",
        "languages": rng.choice(LANGS),
        "city": "Marseille",
        "latitude": 43.3 + rng.uniform(-0.15, 0.15),
        "longitude": 5.4 + rng.uniform(-0.15, 0.15),
        "mode_preference": rng.choice(MODES),
        "max_distance_km": rng.choice([5, 10, 15, 25]),
        "availability": slots,
        "sector": rng.choice(SECTORS),
        "needs": rng.sample(NEEDS, rng.randint(1, 3)),
        "offers": rng.sample(NEEDS, rng.randint(1, 4)) if role == "mentor" else [],
        "interests": rng.sample(INTERESTS, rng.randint(0, 3)),
        "birth_year": rng.randint(1950, 2004),
        "gender": rng.choice("fm"),
        "gender_preference": rng.choice(["any", "any", "any", "f"]),
        "capacity": rng.choice([1, 1, 1, 2]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=4000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Nothing a benchmark signs outlives it: a fixed key will do (the settings require one).
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["NOTIFICATIONS_EVERY_SECONDS"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from binome.accounts.models import Membership, User
    from binome.matching.models import MatchingRun
    from binome.people.models import Participant
    from binome.programmes.models import Organisation, Programme

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench", city="Marseille")
    programme = Programme.objects.create(
        organisation=org, name="Bench", slug="bench", kind="intercultural", mode="in_person"
    )
    carla = User.objects.create_user(email="carla@bench.example", password="x" * 20)
    Membership.objects.create(user=carla, organisation=org, role=Membership.Role.COORDINATOR)
    rng = random.Random(2024)
    rows = [person(rng, i, "mentee") for i in range(args.mentees)]
    rows += [person(rng, i, "mentor") for i in range(args.mentors)]
    Participant.objects.bulk_create(
        [Participant(programme=programme, **row) for row in rows], batch_size=1000
    )
    client = Client()
    client.force_login(carla, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/fr/programmes/{programme.pk}/matching/"
    print(f"{args.mentees} mentees x {args.mentors} mentors, {connection.vendor}, page {url}")
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
        ],  # fmt: skip
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        time.sleep(2)  # the worker is up and polling, as in production
        client.get(url)  # a server that has served pages before (imports done)
        start = time.perf_counter()
        response = client.post(url, {"action": "rerun"})
        queued = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        run = MatchingRun.objects.get(programme=programme)
        while run.active:
            time.sleep(0.05)
            run.refresh_from_db()
        done = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait()
    assert run.status == "done" and run.started_at and run.finished_at, run.error
    engine = (run.finished_at - run.started_at).total_seconds()
    print(
        f"run: queued in {queued:.2f} s (the request), done {done:.2f} s after the request "
        f"(worker: {engine:.2f} s from claim to rows stored), {run.pair_count} pairs, "
        f"{run.unmatched_count} without a partner  (target < 15 s)"
    )
    pages = [
        ("first page", ""),
        ("page 20", "?page=20"),
        ("search a name", "?q=Mentee4321"),
        ("without a partner", "?show=unmatched"),
        ("score below 40", "?below=40&page=2"),
        ("locked only", "?show=locked"),
    ]
    for label, query in pages:
        client.get(url + query)  # warm (templates, translations)
        best = None
        for _ in range(3):
            start = time.perf_counter()
            response = client.get(url + query)
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        shown = response.content.count(b"<tr") - 1
        print(
            f"{label:18}: HTTP {response.status_code}, {max(shown, 0):3} rows shown, "
            f"{len(response.content) / 1024:.0f} KiB, {best:.3f} s  (target < 0.3 s)"
        )
    workdir.cleanup()


if __name__ == "__main__":
    main()
