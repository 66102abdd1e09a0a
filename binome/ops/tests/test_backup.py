"""A backup restored into an empty database holds the same rows, and the media files.

Run as an operator would: `manage.py` commands in their own processes, on a database loaded with
the demo (SQLite in the SQLite run, PostgreSQL in the PostgreSQL run)."""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.xdist_group("backup")
SCAN = b"%PDF-1.4\n% a signature scan\n"

# Every table's rows, in primary-key order, hashed; and a few names to read with one's own eyes.
SUMMARY = """
import hashlib, json
from django.db import connection
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
        rows = cursor.fetchall()
        digest = hashlib.sha256(repr([tuple(map(str, row)) for row in rows]).encode()).hexdigest()
        tables[table] = [len(rows), digest]
from binome.people.models import Participant
named = Participant.objects.exclude(last_name="")
names = sorted(named.values_list("first_name", "last_name", "email"))[:20]
print(json.dumps({"tables": tables, "names": names}))
"""


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def environment(database_url: str, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media), SECRET_KEY="x")
    return env


@pytest.fixture
def databases(tmp_path):
    """Two database URLs on this run's engine: one to back up, one empty to restore into."""
    # The test database (settings.DATABASES may still name the one it was made from).
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'copy.sqlite3'}"
        return
    names = [f"{database['NAME']}_backup_source", f"{database['NAME']}_backup_copy"]
    server = {
        "host": database["HOST"],
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    user = urllib.parse.quote(database["USER"] or "")
    password = ":" + urllib.parse.quote(database["PASSWORD"]) if database["PASSWORD"] else ""
    base = f"postgres://{user}{password}@{server['host']}:{server['port']}"
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(**server) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_has_the_same_rows_and_files(databases, tmp_path):
    source_url, copy_url = databases
    source = environment(source_url, tmp_path / "media")
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "load_demo")
    scan = tmp_path / "media" / "agreements" / "scan-1.pdf"
    scan.parent.mkdir(parents=True, exist_ok=True)
    scan.write_bytes(SCAN)
    before = json.loads(manage(source, "shell", "-v0", "-c", SUMMARY))
    assert before["tables"]["people_participant"][0] >= 100
    assert len(before["names"]) == 20

    folder = Path(manage(source, "backup", str(tmp_path / "backups")).strip())
    assert folder.parent == tmp_path / "backups"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["people_participant"] == before["tables"]["people_participant"][0]

    copy = environment(copy_url, tmp_path / "restored-media")
    said = manage(copy, "restore", str(folder))
    assert said.startswith("Restored ")
    after = json.loads(manage(copy, "shell", "-v0", "-c", SUMMARY))
    assert after == before
    assert (tmp_path / "restored-media" / "agreements" / "scan-1.pdf").read_bytes() == SCAN
    assert files(tmp_path / "restored-media") == files(tmp_path / "media")
    # The restored database is the code's schema, and takes new rows (its sequences came along).
    manage(copy, "migrate", "--check", "-v0")
    manage(
        copy,
        "shell",
        "-c",
        "from binome.accounts.models import User; "
        "User.objects.create_user(email='new@example.org', password='a-new-password-1')",
    )

    # A second restore would overwrite: refused, and the database is left as it is.
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "not empty" in done.stderr
