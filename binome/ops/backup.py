"""Backups: the database and the uploaded files, written to a folder, read back into an empty
database. Commands, not shell scripts: they read the database and media settings the server
uses (DATABASE_URL, MEDIA_ROOT), whatever the engine, and are tested like the rest.

A backup folder holds:
  database.dump     PostgreSQL: `pg_dump --format=custom`, restored by `pg_restore`
  database.sqlite3  SQLite: a copy made by SQLite's online backup API (consistent while in use)
  media.tar.gz      the uploaded files under MEDIA_ROOT (none with an S3 bucket: see the README)
  manifest.json     engine, date, and the rows of each table, which restore checks
"""

import datetime
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    pass


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups of a {vendor} database are not supported")
    return vendor


def table_counts() -> dict[str, int]:
    """Return the number of rows of every table of the database."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    database = settings.DATABASES["default"]
    arguments = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        # Given to the tools through their environment, never on a command line (ps shows it).
        environment["PGPASSWORD"] = database["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _media_is_local() -> bool:
    backend = settings.STORAGES["default"]["BACKEND"]
    return backend == "django.core.files.storage.FileSystemStorage"


def backup_write(destination: Path, *, now: datetime.datetime | None = None) -> Path:
    """Write a backup folder under destination and return its path."""
    vendor = engine()
    now = now or datetime.datetime.now(datetime.UTC)
    folder = destination / f"binome-{now:%Y%m%d-%H%M%S}"
    # The backup holds everyone's data: readable by the account that runs Binôme only.
    folder.mkdir(parents=True, mode=0o700)
    if vendor == "postgresql":
        arguments, environment = _pg_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(folder / "database.dump"),
                *arguments,
            ],
            environment,
        )
    else:
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        try:
            # The online backup API: a consistent copy even while the site writes.
            connection.connection.backup(target)
        finally:
            target.close()
    media = Path(settings.MEDIA_ROOT)
    if _media_is_local():
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname=".")
    manifest = {
        "engine": vendor,
        "created_at": now.isoformat(),
        "media": _media_is_local(),
        "tables": table_counts(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    for path in folder.iterdir():
        path.chmod(0o600)
    return folder


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def backup_restore(source: Path) -> dict[str, int]:
    """Restore a backup folder into the empty database and media folder of the settings.

    Return the restored tables' row counts, which match the manifest's (or BackupError).
    """
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(f"this is a {manifest['engine']} backup; the database is {vendor}")
    if not database_is_empty():
        raise BackupError("the database is not empty: restore only into an empty database")
    media = Path(settings.MEDIA_ROOT)
    if manifest["media"] and media.exists() and any(media.iterdir()):
        raise BackupError(f"{media} is not empty: restore only into an empty media folder")
    if vendor == "postgresql":
        arguments, environment = _pg_environment()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *arguments,
                str(source / "database.dump"),
            ],
            environment,
        )
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(source / "database.sqlite3")
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
        connection.close()
    if manifest["media"]:
        media.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tarfile.open(source / MEDIA, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder, devices.
            archive.extractall(media, filter="data")
    counts = table_counts()
    if counts != manifest["tables"]:
        differing = sorted(
            table
            for table in set(counts) | set(manifest["tables"])
            if counts.get(table) != manifest["tables"].get(table)
        )
        raise BackupError(f"restored rows differ from the backup's in: {', '.join(differing)}")
    return counts
