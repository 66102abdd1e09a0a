"""Time group activities at scale: invitations to an audience of 5,000 people queued, then sent by
the notification job (and not sent again), and a programme's calendar month holding 2,000 duo
meetings and 50 activities.

    .venv/bin/python bench/activities.py                  # a throwaway SQLite file
    .venv/bin/python bench/activities.py --people 5000 --meetings 2000 --activities 50
    DATABASE_URL=postgres:///bench_activities .venv/bin/python bench/activities.py  # an empty db

Targets (issue 12): invitations queued in < 10 s; the month renders in < 0.5 s. E-mails go to
Django's in-memory backend: what is timed is Binôme's work, not a mail server's.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def populate(people: int):
    from binome.accounts.models import Membership, User
    from binome.people.models import Participant
    from binome.programmes.models import Organisation, Programme

    organisation = Organisation.objects.create(name="Bench", slug="bench", city="Lyon")
    programme = Programme.objects.create(
        organisation=organisation, name="Bench programme", slug="bench", kind="intercultural",
        mode="in_person", duration_months=6,
    )  # fmt: skip
    carla = User.objects.create_user(email="carla@bench.example", password=None, full_name="Carla")
    Membership.objects.create(user=carla, organisation=organisation, role="coordinator")
    languages = ["fr", "ar", "uk", "en"]
    Participant.objects.bulk_create(
        [
            Participant(
                programme=programme,
                role="mentor" if i % 2 else "mentee",
                status="active",
                first_name=f"P{i}",
                last_name="Bench",
                email=f"p{i}@bench.example",
                language=languages[i % 4],
            )
            for i in range(people)
        ],
        batch_size=1000,
    )
    return carla, organisation, programme


def plan(carla, organisation, programme, *, title: str, starts: datetime.datetime):
    from binome.community import services

    return services.activity_create(
        actor=carla,
        organisation=organisation,
        data=services.ActivityData(
            kind="ice_breaker", title=title, description="Bench", starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2), address="Place Bellecour",
            accessibility="", video_link="", capacity=None, audience="both", statuses=[],
            counts_as_training=False, programmes=[programme], translations={},
        ),
    )  # fmt: skip


def meetings(programme, count: int, first: datetime.date) -> None:
    from django.utils import timezone

    from binome.duos.models import Duo, Meeting
    from binome.people.models import Participant

    mentors = list(Participant.objects.filter(programme=programme, role="mentor")[: count // 2])
    mentees = list(Participant.objects.filter(programme=programme, role="mentee")[: count // 2])
    duos = Duo.objects.bulk_create(
        [
            Duo(programme=programme, mentor=mentor, mentee=mentee, status="active")
            for mentor, mentee in zip(mentors, mentees, strict=False)
        ]
    )
    rows = []
    for i in range(count):
        day = first + datetime.timedelta(days=i % 28)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + i % 10)))
        rows.append(Meeting(duo=duos[i % len(duos)], status="planned", starts_at=starts))
    Meeting.objects.bulk_create(rows, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--activities", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["EMAIL_URL"] = "memorymail://"
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from binome.community.models import Invitation
    from binome.notifications.dispatch import notifications_run
    from binome.notifications.models import Notification

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    call_command("migrate", verbosity=0)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} ({connection.vendor})")
    carla, organisation, programme = populate(args.people)

    start = time.perf_counter()
    starts = timezone.now() + datetime.timedelta(days=10)
    activity = plan(carla, organisation, programme, title="Ice-breaker", starts=starts)
    queued = time.perf_counter() - start
    invited = Invitation.objects.filter(activity=activity).count()
    print(f"invitations queued: {invited} in {queued:.2f} s (target < 10 s)")

    start = time.perf_counter()
    outcome = notifications_run()
    sent = time.perf_counter() - start
    print(
        f"notification job: {outcome.claimed} e-mails sent in {sent:.1f} s, "
        f"{len(mail.outbox)} in the outbox"
    )
    start = time.perf_counter()
    again = notifications_run()
    print(
        f"notification job again: {again.claimed} sent, {again.skipped} skipped as already sent, "
        f"in {time.perf_counter() - start:.1f} s; sent-log rows: {Notification.objects.count()}"
    )

    first = (timezone.localdate() + datetime.timedelta(days=40)).replace(day=1)
    meetings(programme, args.meetings, first)
    for i in range(args.activities):
        when = timezone.make_aware(
            datetime.datetime.combine(first + datetime.timedelta(days=i % 28), datetime.time(18))
        )
        plan(carla, organisation, programme, title=f"Activity {i}", starts=when)
    client = Client()
    client.force_login(carla, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/en/programmes/{programme.pk}/calendar/?month={first:%Y-%m}"
    for view in ("", "&view=list"):
        client.get(url + view)  # templates and translations loaded
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url + view)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
        label = "list" if view else "month"
        print(
            f"calendar {label} view, {args.meetings} meetings + {args.activities} activities: "
            f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
            f"(target < 500 ms)"
        )
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
