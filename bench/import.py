"""Time the import of 10,000 participants: parse, validate, find duplicates, write.

    .venv/bin/python bench/import.py                 # a throwaway SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/import.py

The file is generated with a fixed seed: realistic names, languages with levels, cities, ISCO
sectors, needs, availability, and about 1% likely duplicates. Target: under 30 s in total.
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

FIRST = ["Amina", "Yusuf", "Olena", "Hamid", "Sara", "Jeanne", "Marek", "Fatima", "Omar", "Lina",
         "Dawit", "Selam", "Oksana", "Taras", "Ahmad", "Zahra", "Mariam", "Pierre", "Claire",
         "Lucas", "Inès", "Kofi", "Aïcha", "Mohammed", "Nadia", "Karim", "Sofia", "Andriy",
         "Iryna", "Mustafa", "Hélène", "Élodie", "Ngozi", "Samir", "Layla", "José",
         "Ana"]  # fmt: skip
LAST = ["Haddad", "Rahimi", "Kovalenko", "Karimi", "Haile", "Martin", "Nowak", "Benali", "Said",
        "Tesfaye", "Shevchenko", "Ahmadi", "Hosseini", "Dubois", "Durand", "Moreau", "Diallo",
        "Traoré", "Bondarenko", "Melnyk", "Yilmaz", "García", "Lefèvre", "Mensah", "Osman",
        "Abdi", "Girma", "Popescu", "Nguyen", "Rossi", "Van den Berg", "Peeters"]  # fmt: skip
LANGS = ["ar:native; fr:A2", "prs:native, fa:C1, en:A1", "uk:native; ru:C1; en:B1",
         "ti:native; am:B2", "ps:native; prs:B2", "fr:native; en:B2", "es:native; fr:B1",
         "arabe (natif), français A2", "English native, French B1", "so:native; ar:B1",
         "fr:native; ar:B1; en:C1", "tr:native; ku:C1", "ln:native; fr:C2"]  # fmt: skip
CITIES = ["Marseille", "Lyon", "Paris", "Bruxelles", "Liège", "Toulouse", "Nice", "Lille",
          "Bordeaux", "Nantes", "Strasbourg", "Montpellier", "Antwerpen", "Gent", "Grenoble",
          "Aubagne", "Vitrolles", "Aix-en-Provence", "Namur", "Charleroi"]  # fmt: skip
SECTORS = ["", "22", "23", "25", "2221", "51", "52", "71", "72", "83", "91", "94", "24", "33"]
NEEDS = ["employment", "language", "housing", "administration", "education", "social_network",
         "culture_leisure", "health", "professional_network"]  # fmt: skip
SLOTS = [
    f"{d}_{p}"
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for p in ["am", "pm", "ev"]
]
COUNTRIES = ["Syrie", "Afghanistan", "UA", "Érythrée", "Sudan", "FR", "Guinée", "Iraq", "BE"]
HEADER = ["Prénom", "Nom", "E-mail", "Téléphone", "Rôle", "Langues", "Ville",
          "Année de naissance", "Genre", "Secteur", "Besoins", "Disponibilités", "Mode",
          "Pays d'origine", "Statut légal", "Consentement"]  # fmt: skip


def generate_csv(rows: int, seed: int = 7) -> bytes:
    """Write a realistic participants file, with ~1% likely duplicates of earlier lines."""
    import csv
    import io

    rng = random.Random(seed)
    # Compound names make the name + birth year pairs as varied as in a real programme.
    firsts = FIRST + [f"{a}-{b}" for a in FIRST[:12] for b in FIRST[12:24]]
    lasts = LAST + [f"{a} {b}" for a in LAST[:16] for b in LAST[16:]]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    written: list[list[str]] = []
    for i in range(rows):
        if written and rng.random() < 0.01:
            row = list(rng.choice(written))
            kind = rng.choice(["email", "phone", "name"])
            if kind != "email":
                row[2] = f"dup{i}@example.org"
            if kind != "phone":
                row[3] = ""
            if kind == "name":
                row[0], row[1] = row[0].upper(), row[1].lower()
        else:
            mentor = rng.random() < 0.4
            row = [
                rng.choice(firsts),
                rng.choice(lasts),
                f"person{i}@example.org",
                f"+33 6 {rng.randint(40, 89)} {rng.randint(10, 99)} {i // 100:02d} {i % 100:02d}",
                rng.choice(
                    ["mentor·e", "mentor", "parrain"] if mentor else ["mentoré·e", "mentee"]
                ),
                rng.choice(LANGS),
                rng.choice(CITIES),
                str(rng.randint(1950, 2005)),
                rng.choice(["f", "m", "Femme", "Homme", "x", ""]),
                rng.choice(SECTORS),
                "; ".join(rng.sample(NEEDS, rng.randint(0, 3))),
                " ".join(sorted(rng.sample(SLOTS, rng.randint(0, 6)), key=SLOTS.index)),
                rng.choice(["présentiel", "à distance", "either", ""]),
                rng.choice(COUNTRIES),
                rng.choice(["", "asylum_seeker", "Réfugié", "resident", "citizen"]),
                rng.choice(["oui", "yes", ""]),
            ]
            written.append(row)
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    workdir = None
    if not os.environ.get("DATABASE_URL"):
        workdir = tempfile.TemporaryDirectory(prefix="binome-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Nothing a benchmark signs outlives it: a fixed key will do (the settings require one).
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("IMPORT_MAX_ROWS", str(max(args.rows, 20_000)))
    os.environ.setdefault("IMPORT_MAX_BYTES", str(50 * 1024 * 1024))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from binome.accounts.models import Membership, User
    from binome.people.importing import columns, reading, records, validation, writing
    from binome.people.models import Participant
    from binome.programmes.models import Organisation, Programme

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    stamp = f"{int(time.time())}-{random.randint(0, 9999)}"
    org = Organisation.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    programme = Programme.objects.create(
        organisation=org, name="Bench", slug="bench", kind="intercultural", mode="in_person"
    )
    actor = User.objects.create_user(email=f"bench-{stamp}@example.org", password=None)
    Membership.objects.create(user=actor, organisation=org, role=Membership.Role.COORDINATOR)

    data = generate_csv(args.rows)
    timings = {}
    start = time.perf_counter()
    table = reading.read_table(data, "bench.csv")
    timings["parse"] = time.perf_counter() - start

    mark = time.perf_counter()
    mapping = columns.guess_mapping(table.headers)
    rows = validation.parse_rows(table, mapping)
    timings["validate"] = time.perf_counter() - mark

    mark = time.perf_counter()
    validation.flag_duplicates(rows, programme=programme)
    report = records.Report(rows=rows)
    timings["duplicates"] = time.perf_counter() - mark

    mark = time.perf_counter()
    chosen = writing.rows_to_import(report, valid_only=True, skip_duplicates=True)
    created = writing.participants_import(programme=programme, actor=actor, rows=chosen)
    timings["write"] = time.perf_counter() - mark
    total = time.perf_counter() - start

    assert Participant.objects.filter(programme=programme).count() == created
    print(f"database      {engine}")
    print(f"rows          {len(table.rows)} ({len(data) / 1024 / 1024:.1f} MB CSV)")
    print(f"errors        {len(report.errors)} (lines with errors: {report.invalid_count})")
    print(f"duplicates    {len(report.duplicates)} flagged, skipped")
    print(f"created       {created} participants")
    for phase, seconds in timings.items():
        print(f"{phase:<13} {seconds:6.2f} s")
    print(f"total         {total:6.2f} s  (target: under 30 s)")
    if workdir is not None:
        workdir.cleanup()
    else:
        org.delete()
        actor.delete()


if __name__ == "__main__":
    main()
