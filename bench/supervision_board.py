"""Time the supervision board of a coordinator following 2,000 duos.

    .venv/bin/python bench/supervision_board.py                 # a throwaway SQLite file
    .venv/bin/python bench/supervision_board.py --duos 5000
    DATABASE_URL=postgres:///bench_board .venv/bin/python bench/supervision_board.py  # an empty db

The duos are generated with a fixed seed across two programmes: started over the last eight
months, most agreements signed, 0–12 held meetings each, a few planned or cancelled ones, 0–4
check-ins per duo with some low moods and call requests, a few closed duos. The alert refresh
runs once over all of them (timed too), then the board is rendered through Django's test client
as the coordinator sees it: first request, warm requests, a filtered one. Target: under 1 s.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def populate(count: int, seed: int = 2025):
    from django.utils import timezone

    from binome.accounts.models import Membership, User
    from binome.duos.models import Agreement, CheckIn, Duo, Meeting
    from binome.people.models import Participant
    from binome.programmes.models import Organisation, Programme

    rng = random.Random(seed)
    org = Organisation.objects.create(name="Bench", slug="bench", city="Marseille")
    programmes = [
        Programme.objects.create(
            organisation=org, name=name, slug=slug, kind=kind, mode="in_person",
            duration_months=months, meetings_per_month=per_month,
        )
        for name, slug, kind, months, per_month in [
            ("Mentorat professionnel", "pro", "professional", 6, 2),
            ("Mentorat interculturel", "inter", "intercultural", 9, 1),
        ]
    ]  # fmt: skip
    carla = User.objects.create_user(email="carla@bench.example", password="x" * 20)
    Membership.objects.create(user=carla, organisation=org, role=Membership.Role.COORDINATOR)

    today = timezone.localdate()
    now = timezone.now()
    people = []
    for i in range(count):
        programme = programmes[i % 2]
        for role in ("mentor", "mentee"):
            people.append(
                Participant(
                    programme=programme, role=role, first_name=f"{role.title()}{i}",
                    last_name=rng.choice(["Haddad", "Nowak", "Kovalenko", "Martin", "Diallo"]),
                    status="active",
                )
            )  # fmt: skip
    people = Participant.objects.bulk_create(people, batch_size=1000)
    duos = []
    for i in range(count):
        programme = programmes[i % 2]
        started_on = today - datetime.timedelta(days=rng.randint(0, 240))
        planned_end_on = started_on + datetime.timedelta(days=30 * programme.duration_months)
        closed = rng.random() < 0.05
        signed = rng.random() < 0.85 or closed
        duos.append(
            Duo(
                programme=programme, mentor=people[2 * i], mentee=people[2 * i + 1],
                status="closed" if closed else ("active" if signed else "starting"),
                started_on=started_on, planned_end_on=planned_end_on,
                closed_on=min(today, planned_end_on) if closed else None,
                activated_at=now if signed else None, coordinator=carla,
            )
        )  # fmt: skip
    duos = Duo.objects.bulk_create(duos, batch_size=1000)
    agreements, meetings, checkins = [], [], []
    for duo in duos:
        agreements.append(Agreement(duo=duo, frozen_at=now if duo.activated_at else None))
        # Every duo above was given its dates.
        assert duo.started_on is not None and duo.planned_end_on is not None
        elapsed = (min(today, duo.planned_end_on) - duo.started_on).days
        for _ in range(rng.randint(0, min(12, elapsed // 10 + 1))):
            day = duo.started_on + datetime.timedelta(days=rng.randint(0, max(elapsed, 0)))
            starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))
            status = rng.choices(["held", "planned", "cancelled"], [0.85, 0.05, 0.10])[0]
            meetings.append(Meeting(duo=duo, starts_at=starts_at, status=status))
        for _ in range(rng.randint(0, 4)):
            checkins.append(
                CheckIn(
                    duo=duo, side=rng.choice(["mentor", "mentee"]),
                    mood=rng.choices([1, 2, 3, 4, 5], [0.04, 0.08, 0.2, 0.4, 0.28])[0],
                    wants_call=rng.random() < 0.05, comment="",
                    created_at=now - datetime.timedelta(days=rng.randint(0, 60)),
                )
            )  # fmt: skip
    Agreement.objects.bulk_create(agreements, batch_size=1000)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    CheckIn.objects.bulk_create(checkins, batch_size=1000)
    return carla, len(meetings), len(checkins)


def timed_get(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    return response, elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duos", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Nothing a benchmark signs outlives it: a fixed key will do (the settings require one).
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from binome.duos.models import Alert
    from binome.duos.services.supervision import alerts_refresh

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    carla, meetings, checkins = populate(args.duos)
    print(
        f"{args.duos} duos, {meetings} meetings, {checkins} check-ins "
        f"({connection.vendor}), generated in {time.perf_counter() - start:.1f} s"
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        opened = alerts_refresh()
        elapsed = time.perf_counter() - start
    print(f"alerts_refresh: {opened} alerts opened in {elapsed:.2f} s, {len(queries)} queries")
    start = time.perf_counter()
    again = alerts_refresh()
    print(f"alerts_refresh again: {again} opened in {time.perf_counter() - start:.2f} s")
    print(f"open alerts: {Alert.objects.filter(resolved_at=None).count()}")

    client = Client()
    client.force_login(carla, backend="django.contrib.auth.backends.ModelBackend")
    # The process's first request also loads translations, URL patterns and base templates:
    # time another page first so that the board's own first-time cost shows apart.
    start = time.perf_counter()
    client.get("/fr/programmes/")
    elapsed = time.perf_counter() - start
    print(f"warm-up: the programme list, the process's first request: {elapsed:.3f} s")
    url = "/fr/duos/"
    for run in range(1, args.runs + 1):
        response, elapsed, queries = timed_get(client, url)
        rows = response.content.count(b"<tr")
        print(
            f"board run {run} ({'first' if run == 1 else 'warm'}): HTTP {response.status_code}, "
            f"{rows - 1} rows on the page, {len(response.content) / 1024:.0f} KiB, "
            f"{queries} queries, {elapsed:.3f} s" + ("  (target < 1 s)" if run == 1 else "")
        )
    for label, query in [
        ("all statuses, sorted by end", "?status=all&sort=end"),
        ("with open alerts, by last meeting", "?alerts=on&sort=last_meeting"),
        ("search 'haddad', htmx partial", "?q=haddad"),
    ]:
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        start = time.perf_counter()
        response = client.get(url + query, headers=headers)
        elapsed = time.perf_counter() - start
        print(f"board {label}: HTTP {response.status_code}, {elapsed:.3f} s")
    workdir.cleanup()


if __name__ == "__main__":
    main()
