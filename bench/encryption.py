"""Time the encryption at rest: one field encrypted and decrypted, and the participants list of a
programme of 500 people with and without it.

    .venv/bin/python bench/encryption.py                 # a throwaway SQLite file
    .venv/bin/python bench/encryption.py --people 2000
    DATABASE_URL=postgres:///bench_crypto .venv/bin/python bench/encryption.py  # an empty db

Two programmes of the same people (fixed seed): the first written with encryption, as Binôme
runs; the second with encryption switched off in this process (values stored and read as they
are), as before it. Each has a phone, a legal status and 300 characters of intake notes per
person. Timed: the list page as the coordinator loads it (first page, 50 rows), the list searched
by a phone number (keyed hash), and every row of the programme read whole.
"""

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def micro(runs: int) -> None:
    from binome.encryption import keys

    notes = "Arrivée en 2023, cherche un emploi d'aide-soignante, logement précaire. " * 4
    for label, text in [("phone (12 chars)", "+33612345678"), ("notes (300 chars)", notes[:300])]:
        start = time.perf_counter()
        tokens = [keys.encrypt(text) for _ in range(runs)]
        encrypt_us = (time.perf_counter() - start) / runs * 1e6
        start = time.perf_counter()
        for token in tokens:
            keys.decrypt(token)
        decrypt_us = (time.perf_counter() - start) / runs * 1e6
        print(
            f"{label}: encrypt {encrypt_us:.1f} µs, decrypt {decrypt_us:.1f} µs, "
            f"stored as {len(tokens[0])} characters"
        )
    start = time.perf_counter()
    for _ in range(runs):
        keys.keyed_hash("+33612345678")
    print(f"keyed hash of a phone: {(time.perf_counter() - start) / runs * 1e6:.1f} µs")


def populate(programme, count: int, seed: int = 2025) -> None:
    from binome.demo.load import INTAKE_NOTES
    from binome.people.models import Participant

    rng = random.Random(seed)
    people = []
    for i in range(count):
        people.append(
            Participant(
                programme=programme, role=rng.choice(["mentor", "mentee"]),
                first_name=f"Person{i}", last_name=rng.choice(["Haddad", "Nowak", "Diallo"]),
                email=f"person{i}@bench.example", phone=f"+336{10000000 + i}",
                legal_status=rng.choice(["asylum_seeker", "refugee", "resident", "citizen"]),
                intake_notes=(rng.choice(INTAKE_NOTES) + " ") * 3, city="Marseille",
            )
        )  # fmt: skip
    Participant.objects.bulk_create(people, batch_size=500)


def timed(function) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(queries)


def cases(client, programme) -> dict:
    from binome.people.models import Participant

    url = f"/fr/programmes/{programme.pk}/participants/"

    def page():
        assert client.get(url).status_code == 200

    def search():
        response = client.get(url, {"q": "06 10 00 02 50"})
        assert b"Person250" in response.content

    def every_row():
        rows = list(Participant.objects.filter(programme=programme))
        assert all(row.intake_notes and row.phone and row.legal_status for row in rows)

    return {
        "list page (50 rows)": page,
        "list searched by a phone number": search,
        "every row of the programme read whole (3 encrypted fields each)": every_row,
    }


class Switch:
    """Encryption on (as Binôme runs) or off in this process (values kept as they are)."""

    def __init__(self, keys) -> None:
        self.keys = keys
        self.encrypt, self.decrypt = keys.encrypt, keys.decrypt

    @contextlib.contextmanager
    def off(self):
        self.keys.encrypt = lambda text: text
        self.keys.decrypt = lambda token, what="": token
        try:
            yield
        finally:
            self.keys.encrypt, self.keys.decrypt = self.encrypt, self.decrypt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=21)
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

    from binome.accounts.models import Membership, User
    from binome.encryption import keys
    from binome.programmes.models import Organisation, Programme

    micro(20_000)
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench", city="Marseille")
    carla = User.objects.create_user(email="carla@bench.example", password="x" * 20)
    Membership.objects.create(user=carla, organisation=org, role=Membership.Role.COORDINATOR)
    client = Client()
    client.force_login(carla, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/fr/programmes/")  # the process's first request: translations, URLs, templates

    def programme(slug: str) -> Programme:
        return Programme.objects.create(
            organisation=org, name=slug, slug=slug, kind="professional", mode="in_person"
        )

    encrypted, plain = programme("encrypted"), programme("plain")
    populate(encrypted, args.people)
    switch = Switch(keys)
    with switch.off():  # the same people, stored and read as they are
        populate(plain, args.people)
    # Runs interleaved, so that the machine's other work weighs on both sides alike.
    timings: dict[str, dict[str, list[float]]] = {}
    queries: dict[str, int] = {}
    for _ in range(args.runs):
        for label, function in cases(client, encrypted).items():
            ms, queries[label] = timed(function)
            timings.setdefault(label, {"on": [], "off": []})["on"].append(ms)
        with switch.off():
            for label, function in cases(client, plain).items():
                timings[label]["off"].append(timed(function)[0])
    print(
        f"{args.people} participants in a programme ({connection.vendor}), "
        f"median of {args.runs} runs:"
    )
    for label, sides in timings.items():
        on, off = statistics.median(sides["on"]), statistics.median(sides["off"])
        print(
            f"{label}: {on:.1f} ms encrypted, {off:.1f} ms plain "
            f"({on - off:+.1f} ms; {queries[label]} queries)"
        )
    workdir.cleanup()


if __name__ == "__main__":
    main()
