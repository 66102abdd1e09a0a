"""Time how long a matching run takes to store its result, apart from the engine's own time.

    .venv/bin/python bench/matching_store.py --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/matching_store.py --mentees 2000 --mentors 1500      # SQLite file

The pool is bench/matching_page.py's (a fixed seed around Marseille), 12,500 mentees and 9,500
mentors by default, which gives about 10,000 pairs. The engine runs once through the adapter
(timed: reading the pool and solving), then the worker's job stores its answer
(services.matching_run_store, as matching_run_execute calls it): the run's rows
(pairs with their criteria and explanation parts, and the people left out, with their reasons)
written in bulk, the older runs' rows deleted, the run's figures saved, in one transaction.
That job is timed three times on the same answer (each time a new run replaces the last).
Target: 10,000 pairs stored in < 5 s on PostgreSQL. A database given with --database-url must be
empty: the benchmark migrates it and leaves its rows there.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matching_page import person  # noqa: E402 - the same pool as the page benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=12_500)
    parser.add_argument("--mentors", type=int, default=9_500)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Nothing a benchmark signs outlives it: a fixed key will do (the settings require one).
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from binome.matching import adapter, services
    from binome.matching.models import MatchingRun, RunRow
    from binome.people.models import Participant
    from binome.programmes.models import Organisation, Programme

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench-store", city="Marseille")
    programme = Programme.objects.create(
        organisation=org, name="Bench", slug="bench", kind="intercultural", mode="in_person"
    )
    rng = random.Random(2024)
    rows = [person(rng, i, "mentee") for i in range(args.mentees)]
    rows += [person(rng, i, "mentor") for i in range(args.mentors)]
    Participant.objects.bulk_create(
        [Participant(programme=programme, **row) for row in rows], batch_size=1000
    )
    print(f"{args.mentees:,} mentees x {args.mentors:,} mentors, {connection.vendor}")
    start = time.perf_counter()
    done = adapter.compute(programme)
    print(
        f"engine through the adapter (pool read, solved): {time.perf_counter() - start:.2f} s, "
        f"{len(done.pairs):,} pairs, {len(done.unmatched):,} people left out"
    )
    for attempt in range(1, 4):
        run = MatchingRun.objects.create(
            programme=programme,
            task_id=f"bench-{attempt}",
            status=MatchingRun.Status.RUNNING,
            started_at=timezone.now(),
        )
        start = time.perf_counter()
        outcome = services.matching_run_store(run_id=run.pk, task_id=f"bench-{attempt}", done=done)
        elapsed = time.perf_counter() - start
        assert outcome is not None and outcome["status"] == "done", outcome
        stored = RunRow.objects.filter(run=run).count()
        print(
            f"store #{attempt}: {elapsed:.2f} s for {outcome['pairs']:,} pairs and "
            f"{outcome['unmatched']:,} left out ({stored:,} rows; the previous run's rows "
            f"deleted)  (target < 5 s)"
        )
    workdir.cleanup()


if __name__ == "__main__":
    main()
