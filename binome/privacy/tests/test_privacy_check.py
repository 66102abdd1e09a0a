"""The canary check: a participant used everywhere, erased, then searched for in the whole
database and the media folder. It must find her 0 times, and find her before the erasure."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from binome.privacy.check import run_check

CANARY = "Zq7CanaryT1"


@pytest.mark.django_db(transaction=True)
def test_the_check_finds_the_canary_before_erasure_and_never_after():
    out = StringIO()
    call_command("privacy_check", CANARY, stdout=out)
    printed = out.getvalue()
    place = "pg_dump" if connection.vendor == "postgresql" else "sqlite iterdump"
    assert f"{place}: " in printed and "media: " in printed
    assert "Canary found 0 times after erasure." in printed


@pytest.mark.django_db(transaction=True)
def test_the_check_sees_the_canary_in_every_place_it_searches_before_erasure():
    result = run_check(CANARY, keep=False)
    assert result.clean
    # Each place searched holds her before the erasure (the search works), none after.
    places = [place for place in result.before if "-wal" not in place and "-journal" not in place]
    assert all(result.before[place] > 0 for place in places), result.before
    assert result.emails_sent >= 5


@pytest.mark.django_db(transaction=True)
def test_the_check_fails_when_erasure_leaves_something(monkeypatch):
    from binome.privacy.services import erasure

    # Erasure without the part that blanks her duos' texts: the check must say so.
    monkeypatch.setattr(erasure, "_erase_duos", lambda duos: 0)
    with pytest.raises(CommandError, match="still there"):
        call_command("privacy_check", CANARY, stdout=StringIO())


def test_the_check_reads_a_sqlite_file_its_log_and_free_pages(tmp_path):
    """On a database file: the raw bytes too, where deleted text would survive."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "binome-tests-only-not-a-secret",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True, timeout=300)
    done = subprocess.run(
        [*manage, "privacy_check", CANARY],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sqlite file check.sqlite3: " in done.stdout
    line = next(line for line in done.stdout.splitlines() if "file check.sqlite3:" in line)
    # Her text was in the file's pages before the erasure, and is nowhere in it after.
    assert not line.endswith(": 0 before erasure, 0 after"), line
    assert line.endswith(", 0 after"), line
