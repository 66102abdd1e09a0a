"""Time the matching page of a programme with 500 mentees and 400 mentors.

    .venv/bin/python bench/matching_page.py                 # a throwaway SQLite file
    .venv/bin/python bench/matching_page.py --mentees 1000 --mentors 800

The pool is generated with a fixed seed around Marseille (languages, slots, needs, sectors,
interests, modes). The page is rendered through Django's test client, as a coordinator sees it:
pool queries, engine run, explanations in French, template. Target: under 2 s.
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
    parser.add_argument("--mentees", type=int, default=500)
    parser.add_argument("--mentors", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Nothing a benchmark signs outlives it: a fixed key will do (the settings require one).
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from binome.accounts.models import Membership, User
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
        [Participant(programme=programme, **row) for row in rows], batch_size=500
    )
    client = Client()
    client.force_login(carla, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/fr/programmes/{programme.pk}/matching/"
    print(f"{args.mentees} mentees x {args.mentors} mentors, SQLite, page {url}")
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        pairs = response.content.count(b'name="swap"')
        print(
            f"run {run}: HTTP {response.status_code}, {pairs} pairs shown, "
            f"{len(response.content) / 1024:.0f} KiB, {elapsed:.2f} s"
            + ("  (target < 2 s)" if run == 1 else "")
        )
    workdir.cleanup()


if __name__ == "__main__":
    main()
