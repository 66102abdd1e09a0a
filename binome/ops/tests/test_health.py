"""/healthz: 200 with a small JSON when the site can serve, 503 naming the check that failed."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

from binome.notifications.dispatch import notifications_run
from binome.notifications.services import NOTIFICATIONS_JOB, job_run_record
from binome.ops import health
from binome.testing import ROLES

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def get(client, **headers):
    response = client.get("/healthz", **headers)
    return response, json.loads(response.content)


def test_it_is_healthy_once_the_notification_job_has_run(client):
    notifications_run()
    response, body = get(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert 0 <= body["checks"]["notifications"]["last_run_age_seconds"] < 60
    assert "no-cache" in response["Cache-Control"]


def test_a_notification_job_that_never_ran_fails_the_check(client):
    response, body = get(client)
    assert response.status_code == 503
    assert body == {
        "status": "fail",
        "failed": ["notifications"],
        "checks": {
            "database": {"ok": True},
            "migrations": {"ok": True},
            "notifications": {"ok": False, "last_run_age_seconds": None, "max_age_seconds": 3600},
        },
    }


def test_a_notification_job_late_past_the_limit_fails_the_check(client):
    job_run_record(
        name=NOTIFICATIONS_JOB, finished_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    response, body = get(client)
    assert response.status_code == 503 and body["failed"] == ["notifications"]
    assert body["checks"]["notifications"]["last_run_age_seconds"] >= 61 * 60
    with override_settings(HEALTHZ_NOTIFICATIONS_MAX_MINUTES=120):
        assert get(client)[0].status_code == 200
    # 0: the age is reported, never checked (a web-only machine's probe).
    with override_settings(HEALTHZ_NOTIFICATIONS_MAX_MINUTES=0):
        response, body = get(client)
    assert response.status_code == 200
    assert body["checks"]["notifications"]["last_run_age_seconds"] >= 61 * 60


def test_an_unapplied_migration_fails_the_check(client, monkeypatch):
    notifications_run()
    # The process has not yet seen every migration applied (a server started before migrate).
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    # The newest migration of an app: what a deploy that forgot `migrate` leaves unapplied.
    newest = MigrationRecorder.Migration.objects.filter(app="notifications").latest("applied", "id")
    newest.delete()
    response, body = get(client)
    assert response.status_code == 503
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == {"ok": False, "unapplied": 1}


def test_it_answers_everyone_alike_and_without_personal_data(cast, client_as):
    notifications_run()
    for role in ROLES:
        response = client_as(cast.users()[role]).get("/healthz")
        assert response.status_code == 200, role
        page = response.content.decode()
        for person in ("Amina", "Haddad", "Marek", "@", cast.org_a.name):
            assert person not in page, (role, person)


def test_it_is_not_rate_limited(client):
    notifications_run()
    assert {get(client)[0].status_code for _ in range(60)} == {200}


def test_it_answers_plain_http_where_every_page_is_redirected_to_https(client):
    notifications_run()
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/fr/directory/").status_code == 301


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_an_unreachable_database_fails_the_check():
    # A real server process on a database file it cannot open.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL="sqlite:////nonexistent-directory/binome.sqlite3", SECRET_KEY="x")
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = done.stdout.strip().split(" ", 1)
    assert status == "503", done.stderr
    assert json.loads(body)["failed"] == ["database", "migrations", "notifications"]
