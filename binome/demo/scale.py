"""A data set at a national network's scale, for load tests: one organisation, several
programmes, thousands of participants, duos with meetings, check-ins and alerts.

Generated with a fixed seed and written with bulk_create (no services, no audit rows, no
e-mails): it is load, not history. Every account shares one password (SCALE_PASSWORD), hashed
once. Never load it into a database that serves real people.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from binome.accounts.models import Membership, User
from binome.duos.models import Agreement, CheckIn, Duo, Meeting
from binome.duos.services.supervision import alerts_refresh
from binome.people.models import Participant, StatusChange
from binome.programmes.models import Organisation, Programme

SCALE_PASSWORD = "binome-scale-load"  # noqa: S105 (published on purpose: load-test accounts)
SCALE_DOMAIN = "scale.binome.test"
ORGANISATION_SLUG = "reseau-national"
Status = Participant.Status

PROGRAMMES = [
    ("Mentorat interculturel Marseille", "interculturel-marseille", "intercultural", "in_person",
     "Marseille", 9, 1),
    ("Mentorat professionnel Lyon", "pro-lyon", "professional", "in_person", "Lyon", 6, 2),
    ("Mentorat professionnel Paris", "pro-paris", "professional", "hybrid", "Paris", 6, 2),
    ("Mentorat à distance", "distance", "remote", "remote", "", 6, 2),
    ("Mentorat interculturel Lille", "interculturel-lille", "intercultural", "in_person",
     "Lille", 12, 1),
]  # fmt: skip
CITIES = {
    "Marseille": (43.30, 5.37),
    "Lyon": (45.76, 4.84),
    "Paris": (48.86, 2.35),
    "Lille": (50.63, 3.06),
    "": (46.6, 2.4),
}
FIRST = ["Amina", "Oleksandr", "Fatima", "Yonas", "Olena", "Mohammed", "Sara", "Ahmad", "Mariam",
         "Dmytro", "Awa", "Hassan", "Lucie", "Pierre", "Claire", "Julien", "Nadia", "Karim",
         "Inès", "Thomas", "Léa", "Samir", "Hélène", "Marc"]  # fmt: skip
LAST = ["Haddad", "Kovalenko", "Diallo", "Tesfaye", "Shevchenko", "Rahimi", "Nowak", "Martin",
        "Bernard", "Dubois", "Moreau", "Laurent", "Girard", "Mercier", "Bonnet", "Rousseau",
        "Barry", "Keita", "Petrenko", "Bondarenko"]  # fmt: skip
LANGS = [{"ar": "native", "fr": "A2"}, {"uk": "native", "fr": "B1"}, {"fr": "native", "en": "B2"},
         {"ti": "native", "en": "B1"}, {"fr": "native", "ar": "B1"}, {"es": "native", "fr": "B2"},
         {"prs": "native", "fr": "A2", "en": "B1"}, {"fr": "native", "uk": "B1"}]  # fmt: skip
SECTORS = ["", "2221", "2310", "2511", "5120", "7115", "8322", "9112", "2411"]
NEEDS = ["employment", "language", "housing", "administration", "social_network", "health"]
INTERESTS = ["football", "cooking", "music", "chess", "running", "theatre", "gardening"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PARTS = ["am", "pm", "ev"]
# Participants outside duos, by status: the pipeline of a programme that keeps recruiting.
WAITING = [Status.APPLIED, Status.INTERVIEWED, Status.READY, Status.WITHDRAWN, Status.REJECTED]
WAITING_WEIGHTS = [0.30, 0.20, 0.12, 0.28, 0.10]
COORDINATORS = 5


@dataclass
class Loaded:
    participants: int
    duos: int
    meetings: int
    checkins: int
    alerts: int
    users: int
    seconds: dict[str, float]


def scale_logins() -> list[tuple[str, str]]:
    return [
        (f"admin@{SCALE_DOMAIN}", "organisation admin"),
        *[(f"coordinator{i}@{SCALE_DOMAIN}", "coordinator") for i in range(COORDINATORS)],
        (f"mentor0@{SCALE_DOMAIN}", "mentor in a duo (mentor0 … mentorN)"),
        (f"mentee0@{SCALE_DOMAIN}", "mentee in a duo (mentee0 … menteeN)"),
    ]


def _person(rng: random.Random, programme: Programme, role: str, status: str) -> Participant:
    latitude, longitude = CITIES[programme.city]
    slots = sorted({f"{rng.choice(DAYS)}_{rng.choice(PARTS)}" for _ in range(rng.randint(2, 6))})
    return Participant(
        programme=programme,
        role=role,
        status=status,
        first_name=rng.choice(FIRST),
        last_name=rng.choice(LAST),
        language=rng.choice(["fr", "fr", "en", "ar", "uk"]),
        languages=rng.choice(LANGS),
        city=programme.city,
        latitude=latitude + rng.uniform(-0.1, 0.1),
        longitude=longitude + rng.uniform(-0.1, 0.1),
        mode_preference=rng.choice(["in_person", "either", "either", "remote"]),
        max_distance_km=rng.choice([5, 10, 15, 25]),
        availability=slots,
        sector=rng.choice(SECTORS),
        needs=rng.sample(NEEDS, rng.randint(1, 3)),
        offers=rng.sample(NEEDS, rng.randint(1, 4)) if role == "mentor" else [],
        interests=rng.sample(INTERESTS, rng.randint(0, 3)),
        birth_year=rng.randint(1955, 2005),
        gender=rng.choice("fm"),
        gender_preference=rng.choice(["any", "any", "any", "f"]),
        capacity=rng.choice([1, 1, 1, 2]),
        training_done=rng.random() < 0.7,
    )


def scale_load(
    *, participants: int, duos: int, seed: int = 2026, say: Callable[[str], None] = print
) -> Loaded:
    """Create the organisation and its data; refuse if it is already there."""
    if duos * 2 > participants:
        raise ValueError("each duo needs two participants: --duos is at most half --participants")
    if Organisation.objects.filter(slug=ORGANISATION_SLUG).exists():
        raise ValueError("the scale data set is already loaded in this database")
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 2)
        clock = now
        say(f"  {name}: {seconds[name]} s")

    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Réseau national de mentorat", slug=ORGANISATION_SLUG, city="Paris", country="FR"
        )
        programmes = [
            Programme.objects.create(
                organisation=organisation, name=name, slug=slug, kind=kind, mode=mode,
                city=city, duration_months=months, meetings_per_month=per_month,
                description="Un programme du jeu de données de charge.",
                languages=["fr", "en", "ar", "uk"], needs=NEEDS[:4],
                applications_open=True, listed=True,
            )
            for name, slug, kind, mode, city, months, per_month in PROGRAMMES
        ]  # fmt: skip
        password = make_password(SCALE_PASSWORD)
        staff = User.objects.bulk_create(
            [User(email=f"admin@{SCALE_DOMAIN}", full_name="Admin Réseau", password=password)]
            + [
                User(
                    email=f"coordinator{i}@{SCALE_DOMAIN}",
                    full_name=f"Coordinatrice {i}",
                    password=password,
                )
                for i in range(COORDINATORS)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=staff[0], organisation=organisation, role=Membership.Role.ADMIN)]
            + [
                Membership(user=user, organisation=organisation, role=Membership.Role.COORDINATOR)
                for user in staff[1:]
            ]
        )
        lap("organisation, programmes, staff")

        # Duos first: their two sides, with accounts. Then everyone else, waiting or gone.
        pairs = []
        # Every tenth duo is closed: a load test knows the open ones (i % 10 != 9) by number.
        closed = {i for i in range(duos) if i % 10 == 9}
        for i in range(duos):
            programme = programmes[i % len(programmes)]
            status = Status.CLOSED if i in closed else Status.ACTIVE
            pairs.append(
                (
                    _person(rng, programme, "mentor", status),
                    _person(rng, programme, "mentee", status),
                )
            )
        accounts = []
        for i, (mentor, mentee) in enumerate(pairs):
            for side, person in (("mentor", mentor), ("mentee", mentee)):
                accounts.append(
                    User(
                        email=f"{side}{i}@{SCALE_DOMAIN}",
                        full_name=f"{person.first_name} {person.last_name}",
                        password=password,
                        language=person.language,
                    )
                )
        accounts = User.objects.bulk_create(accounts, batch_size=2000)
        people = []
        for i, (mentor, mentee) in enumerate(pairs):
            mentor.user, mentee.user = accounts[2 * i], accounts[2 * i + 1]
            mentor.email, mentee.email = mentor.user.email, mentee.user.email
            people += [mentor, mentee]
        for i in range(participants - 2 * duos):
            programme = programmes[i % len(programmes)]
            status = rng.choices(WAITING, WAITING_WEIGHTS)[0]
            role = "mentee" if rng.random() < 0.55 else "mentor"
            people.append(_person(rng, programme, role, status))
        people = Participant.objects.bulk_create(people, batch_size=2000)
        StatusChange.objects.bulk_create(
            [StatusChange(participant=p, to_status=p.status) for p in people], batch_size=5000
        )
        lap(f"{len(people)} participants, {len(accounts)} accounts")

        duo_rows = []
        for i in range(duos):
            programme = programmes[i % len(programmes)]
            started_on = today - datetime.timedelta(days=rng.randint(5, 300))
            planned_end_on = started_on + datetime.timedelta(days=30 * programme.duration_months)
            is_closed = i in closed
            signed = is_closed or rng.random() < 0.9
            duo_rows.append(
                Duo(
                    programme=programme, mentor=people[2 * i], mentee=people[2 * i + 1],
                    status="closed" if is_closed else ("active" if signed else "starting"),
                    started_on=started_on, planned_end_on=planned_end_on,
                    closed_on=min(today, planned_end_on) if is_closed else None,
                    close_reason="completed" if is_closed else "",
                    activated_at=now if signed else None,
                    coordinator=staff[1 + i % COORDINATORS],
                )
            )  # fmt: skip
        duo_rows = Duo.objects.bulk_create(duo_rows, batch_size=2000)
        agreements, meetings, checkins = [], [], []
        for duo in duo_rows:
            assert duo.started_on is not None and duo.planned_end_on is not None
            agreements.append(Agreement(duo=duo, frozen_at=now if duo.activated_at else None))
            elapsed = max((min(today, duo.planned_end_on) - duo.started_on).days, 0)
            for _ in range(rng.randint(0, min(12, elapsed // 14 + 1))):
                day = duo.started_on + datetime.timedelta(days=rng.randint(0, elapsed))
                starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))
                meeting_status = rng.choices(["held", "planned", "cancelled"], [0.85, 0.05, 0.10])[
                    0
                ]
                meetings.append(
                    Meeting(
                        duo=duo, starts_at=starts_at, status=meeting_status,
                        mode=rng.choice(["in_person", "video", "phone"]),
                        themes=rng.sample(NEEDS, rng.randint(0, 2)),
                        logged_by=duo.mentor.user,
                    )
                )  # fmt: skip
            for _ in range(rng.randint(0, 4)):
                side = rng.choice(["mentor", "mentee"])
                checkins.append(
                    CheckIn(
                        duo=duo, side=side,
                        mood=rng.choices([1, 2, 3, 4, 5], [0.04, 0.08, 0.2, 0.4, 0.28])[0],
                        wants_call=rng.random() < 0.05, comment="",
                        by=(duo.mentor if side == "mentor" else duo.mentee).user,
                        created_at=now - datetime.timedelta(days=rng.randint(0, 60)),
                    )
                )  # fmt: skip
        Agreement.objects.bulk_create(agreements, batch_size=2000)
        Meeting.objects.bulk_create(meetings, batch_size=5000)
        CheckIn.objects.bulk_create(checkins, batch_size=5000)
        lap(f"{len(duo_rows)} duos, {len(meetings)} meetings, {len(checkins)} check-ins")
        alerts = alerts_refresh()
        lap(f"{alerts} alerts opened")
    # Fresh planner statistics: right after a bulk load the database still believes the tables
    # empty, and picks plans that read every row (autovacuum would catch up, later).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lap("statistics (ANALYZE)")
    return Loaded(
        participants=len(people),
        duos=len(duo_rows),
        meetings=len(meetings),
        checkins=len(checkins),
        alerts=alerts,
        users=len(accounts) + len(staff),
        seconds=seconds,
    )
