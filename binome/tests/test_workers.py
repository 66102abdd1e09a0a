"""Two web servers and two task workers on one PostgreSQL database, started as processes.

Nothing is sent twice nor run twice however many processes share the work, and a worker killed
with kill -9 in the middle of the notifications run leaves its task to another worker, which
finishes it without sending any e-mail a second time.
"""

import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from binome.accounts.models import User
from binome.matching.models import MatchingRun, Proposal
from binome.matching.tests.conftest import make_matchable
from binome.notifications.models import Kind, Notification
from binome.notifications.tasks import send_notifications
from binome.people.models import Participant

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="several processes on one database: PostgreSQL only (SQLite has no row locks)",
    ),
    pytest.mark.xdist_group("processes"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(mail_dir: Path, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "binome.tests.process_settings",
        "BINOME_TEST_MAIL_DIR": str(mail_dir),
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "NOTIFICATIONS_EVERY_SECONDS": "0",
        **extra,
    }


def start_web(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a web server process on the port and wait until it answers."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/accounts/login/", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"the web server did not start: {log.read_text()[-2000:]}")


def start_worker(worker_id: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a task worker process (the `db_worker` command, as in production)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            worker_id,
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sent_messages(mail_dir: Path) -> list[tuple[str, str]]:
    """(recipient, kind) of every e-mail the processes wrote into the folder."""
    found = []
    separator = b"\n" + b"-" * 79 + b"\n"
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                message = email.message_from_bytes(chunk)
                found.append((message["To"], message["X-Binome-Notification"]))
    return found


def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def pending_proposals(cast, n: int) -> None:
    """n pending proposals between people with accounts: 2 e-mails each are due."""
    for i in range(n):
        people = []
        for role in (Participant.Role.MENTEE, Participant.Role.MENTOR):
            address = f"{role}{i}@proc.example"
            user = User.objects.create_user(email=address, password="x" * 20)
            people.append(
                Participant.objects.create(
                    programme=cast.programme,
                    role=role,
                    first_name=f"P{i}",
                    last_name="Proc",
                    email=address,
                    user=user,
                    status=Participant.Status.READY,
                )  # fmt: skip
            )
        Proposal.objects.create(programme=cast.programme, mentee=people[0], mentor=people[1])


class Browser:
    """A logged-in coordinator talking to one server over HTTP (session in the database)."""

    def __init__(self, port: int, user) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {"sessionid": client.cookies["sessionid"].value}

    def request(self, path: str, data: dict | None = None) -> int:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie}
        body = None
        if data is not None:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, value = header.split(";")[0].split("=", 1)
                    self.cookies[name] = value
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def test_two_servers_and_two_workers_send_each_e_mail_once_and_run_a_matching_once(cast, tmp_path):
    make_matchable(cast)
    pending_proposals(cast, 8)
    mail_dir = tmp_path / "mail"
    env = _environment(mail_dir, NOTIFICATIONS_EVERY_SECONDS="1", TASK_LEASE_SECONDS="4")
    ports = [_free_port(), _free_port()]
    processes = []
    try:
        for n, port in enumerate(ports):
            processes.append(start_web(port, env, tmp_path / f"web{n}.log"))
        for n in range(2):
            processes.append(start_worker(f"worker{n}", env, tmp_path / f"worker{n}.log"))
        url = f"/fr/programmes/{cast.programme.pk}/matching/"
        browsers = [Browser(port, cast.carla) for port in ports]
        for browser in browsers:
            assert browser.request(url) == 200
        # Both servers are asked to run the matching at the same moment, three times each.
        answers: list[int] = []
        threads = [
            threading.Thread(
                target=lambda b=browser: answers.append(b.request(url, {"action": "rerun"}))
            )
            for browser in browsers * 3
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert set(answers) <= {200, 302}, answers
        wait_for(
            lambda: not MatchingRun.objects.filter(status__in=MatchingRun.ACTIVE).exists(),
            what="the matching run",
        )
        runs = list(MatchingRun.objects.all())
        # Asked six times at once, run as many times as one was asked while none waited.
        assert all(run.status == "done" and run.attempts == 1 for run in runs)
        matching_tasks = DBTaskResult.objects.filter(task_path="binome.matching.tasks.matching_run")
        assert matching_tasks.count() == len(runs)
        assert len(runs) <= 2
        # The workers enqueue the notifications run every second, and run it, for a while.
        wait_for(
            lambda: Notification.objects.filter(sent_at__isnull=False).count() == 16,
            what="the 16 proposal e-mails",
        )
        wait_for(
            lambda: (
                DBTaskResult.objects.filter(
                    task_path="binome.notifications.tasks.send_notifications", status="SUCCESSFUL"
                ).count()
                >= 4
            ),
            what="more notification runs",
        )
        assert {b.request(url) for b in browsers} == {200}
        assert all(process.poll() is None for process in processes)
    finally:
        stop(*processes)
    sent = Counter(sent_messages(mail_dir))
    assert sum(sent.values()) == 16
    assert set(sent.values()) == {1}, sent.most_common(3)
    assert {kind for _to, kind in sent} == {Kind.PROPOSAL}


def test_a_worker_killed_mid_run_leaves_its_task_to_another_which_sends_nothing_twice(
    cast, tmp_path
):
    pending_proposals(cast, 10)
    mail_dir = tmp_path / "mail"
    env = _environment(mail_dir, BINOME_TEST_MAIL_DELAY="0.3", TASK_LEASE_SECONDS="3")
    result = send_notifications.enqueue()
    first = start_worker("doomed", env, tmp_path / "doomed.log")
    second = None
    try:
        wait_for(lambda: len(sent_messages(mail_dir)) >= 4, what="the first e-mails")
        first.send_signal(signal.SIGKILL)
        first.wait()
        row = DBTaskResult.objects.get(pk=result.id)
        assert (row.status, row.worker_ids) == ("RUNNING", ["doomed"])
        second = start_worker("rescuer", env, tmp_path / "rescuer.log")
        wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL",
            what="the rescuer to finish the task",
        )
    finally:
        stop(first, *([second] if second else []))
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.worker_ids == ["doomed", "rescuer"]
    sent = Counter(sent_messages(mail_dir))
    assert set(sent.values()) == {1}, sent.most_common(3)
    recorded = Notification.objects.filter(sent_at__isnull=False).count()
    interrupted = Notification.objects.filter(sent_at__isnull=True).count()
    # The e-mail being sent when the worker died may have left or not: never sent again.
    assert interrupted <= 1
    assert recorded + interrupted == 20
    assert recorded <= sum(sent.values()) <= recorded + interrupted
