"""What Binôme acknowledged is kept, even when its server is killed (`kill -9`) mid-stream.

A real server process runs against the test database; client threads write through the web as
people do (a coordinator logging meetings, a mentee answering check-ins, visitors applying: real
posts with their CSRF tokens), each write carrying a marker of its own. The server is killed
with SIGKILL while they write, restarted, killed again, restarted. Every write whose response
said it was done (the redirect that follows success) must then be in the database; writes that
were cut off may or may not be, as the client was never told.

PostgreSQL only: production runs it, and SQLite's test database lives in the memory of the test
process, out of a server process's reach.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from binome.testing import make_cast, make_duo
from binome.tests.html_forms import filled, page_forms

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the server killed with kill -9 runs on PostgreSQL only (SQLite's test database "
        "is in the test process's memory): run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

KILLS = 2  # times the server is killed while the clients write
WRITES_PER_RUN = 4  # acknowledged writes of each kind before the server is killed (at least)
WRITERS = 2  # threads per kind of write


def start_server(port: int, env: dict[str, str], log) -> subprocess.Popen:
    """Start the server under test on 127.0.0.1:port: one process, which SIGKILL stops whole.

    Django's runserver without its reloader (the reloader would fork a child that outlived the
    kill). To test another server (gunicorn, say), change this function alone: it must serve
    config.wsgi on the port, in a process that SIGKILL ends with its workers (its own process
    group is killed).
    """
    return subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def kill_server(server: subprocess.Popen) -> None:
    """SIGKILL the server's whole process group: no shutdown, no flush, nothing finishes."""
    with contextlib.suppress(ProcessLookupError):  # it died of something else already
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database (test_…, per xdist worker), where this test's rows are committed."""
    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db.get("USER") or "")
    password = urllib.parse.quote(db.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db.get('HOST') or ''}:{db.get('PORT') or 5432}/{db['NAME']}"


def _wait_until_up(base: str, server: subprocess.Popen, tmp_path: Path, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = (tmp_path / "server.log").read_text(errors="replace")
            raise AssertionError(f"the server stopped: {log[-3000:]}")
        try:
            _OPENER.open(f"{base}/en/accounts/login/", timeout=2).read()  # noqa: S310
            return
        except _DOWN:
            time.sleep(0.1)
    raise AssertionError("the server did not answer in time")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer itself: it says the write was done


_OPENER = urllib.request.build_opener(_NoRedirect())
_DOWN = (urllib.error.URLError, ConnectionError, TimeoutError, OSError)


@dataclass
class Writer:
    """One client writing one kind of record again and again, each with a marker of its own."""

    kind: str
    page: str  # the form's page, read for its fields and the CSRF cookie
    marker_field: str
    success: str  # where the server redirects once the record is saved
    session: str = ""  # the session cookie of the person it writes as; none for a visitor
    acknowledged: list[tuple[int, str]] = field(default_factory=list)  # (server run, marker)
    cut_off: list[str] = field(default_factory=list)  # no answer: the server died meanwhile
    refused: list[str] = field(default_factory=list)  # an answer that is not the success

    def run(self, base: str, number: int, stop: threading.Event, run: list[int]) -> None:
        form, cookies, sequence = None, "", 0
        while not stop.is_set():
            if form is None:
                try:
                    form, cookies = self._open(base)
                except _DOWN:
                    time.sleep(0.05)  # the server is down: try again until it is back
                    continue
            sequence += 1
            marker = f"durable-{self.kind}-{number}-{sequence}"
            if not self._write(base, form, cookies, marker, run[0]):
                form = None  # the server died: read the page again once it is back

    def acknowledged_in(self, run: int) -> int:
        return sum(1 for in_run, _marker in self.acknowledged if in_run == run)

    def _open(self, base: str):
        cookies = f"sessionid={self.session}" if self.session else ""
        page = f"{base}{self.page}"
        request = urllib.request.Request(page, headers={"Cookie": cookies})  # noqa: S310
        with _OPENER.open(request, timeout=5) as response:  # noqa: S310 (our own server)
            html = response.read().decode()
            set_cookies = response.headers.get_all("Set-Cookie") or []
        [token] = [c.split(";")[0].split("=", 1)[1] for c in set_cookies if c.startswith("csrf")]
        [form] = [f for f in page_forms(html, self.page) if self.marker_field in f.fields]
        return form, f"{cookies}; csrftoken={token}".lstrip("; ")

    def _write(self, base: str, form, cookies: str, marker: str, run: int) -> bool:
        """Post one record; False if the server did not answer."""
        data = filled(form)
        data["csrfmiddlewaretoken"] = form.fields["csrfmiddlewaretoken"].defaults  # the page's
        data[self.marker_field] = [marker]
        if "email" in data:
            data["email"] = [f"{marker}@example.org"]
        request = urllib.request.Request(  # noqa: S310 (our own server)
            f"{base}{form.action}",
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"Cookie": cookies},
        )
        try:
            with _OPENER.open(request, timeout=10) as response:  # noqa: S310 (our own server)
                status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as answer:
            status, location = answer.code, answer.headers.get("Location", "")
        except _DOWN:
            self.cut_off.append(marker)
            return False
        if status == 302 and not location:
            # The kill fell between the status line and the headers: not an answer.
            self.cut_off.append(marker)
            return False
        if status == 302 and urllib.parse.urlsplit(location).path == self.success:
            self.acknowledged.append((run, marker))
        else:
            self.refused.append(f"{marker}: {status} {location}")
        return True


def _wait_for_writes(writers: list[Writer], run: int, timeout: float = 120) -> None:
    """Until each kind of write has been acknowledged WRITES_PER_RUN times in this run."""
    deadline = time.monotonic() + timeout
    kinds = {writer.kind for writer in writers}
    done: Counter[str] = Counter()
    while time.monotonic() < deadline:
        done = Counter()
        for writer in writers:
            done[writer.kind] += writer.acknowledged_in(run)
        if all(done[kind] >= WRITES_PER_RUN for kind in kinds):
            return
        time.sleep(0.05)
    raise AssertionError(f"too few writes went through in run {run}: {dict(done)}")


def _stored(kind: str) -> set[str]:
    """Every marker in the database for a kind of write (compared in Python: a field encrypted at
    rest reads back as text but cannot be filtered by value)."""
    from binome.duos.models import CheckIn, Meeting
    from binome.people.models import Participant

    values = {
        "meeting": Meeting.objects.values_list("shared_notes", flat=True),
        "checkin": CheckIn.objects.values_list("comment", flat=True),
        "application": Participant.objects.values_list("first_name", flat=True),
    }[kind]
    return {value for value in values if value.startswith("durable-")}


def _session(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def test_every_acknowledged_write_survives_kill_9_of_the_server(tmp_path, record_property):
    cast = make_cast()
    duo = make_duo(cast)
    with translation.override("en"):
        pages = {
            "meeting": reverse("duos:meeting_new", args=[duo.pk]),
            "checkin": reverse("duos:checkin", args=[duo.pk]),
            "application": reverse(
                "applications:apply", args=[cast.org_a.slug, cast.programme.slug, "mentee"]
            ),
        }
        success = {
            "meeting": reverse("duos:meetings", args=[duo.pk]),
            "checkin": reverse("duos:detail", args=[duo.pk]),
            "application": reverse(
                "applications:applied", args=[cast.org_a.slug, cast.programme.slug]
            ),
        }
    carla, amina = _session(cast.carla), _session(cast.amina)
    writers = [
        writer
        for _ in range(WRITERS)
        for writer in (
            Writer("meeting", pages["meeting"], "shared_notes", success["meeting"], carla),
            Writer("checkin", pages["checkin"], "comment", success["checkin"], amina),
            Writer("application", pages["application"], "first_name", success["application"]),
        )
    ]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "APPLY_RATE": "1000000/h",  # every application here comes from 127.0.0.1
        "LOG_LEVEL": "ERROR",
    }
    stop = threading.Event()
    run = [0]  # how many times the server has been restarted: each write says in which run
    threads = [
        threading.Thread(target=writer.run, args=(base, number, stop, run), daemon=True)
        for number, writer in enumerate(writers)
    ]
    log = (tmp_path / "server.log").open("ab")
    server = start_server(port, env, log)
    try:
        _wait_until_up(base, server, tmp_path)
        for thread in threads:
            thread.start()
        for _ in range(KILLS):
            _wait_for_writes(writers, run[0])
            kill_server(server)  # mid-stream: the writers are posting all the time
            run[0] += 1
            server = start_server(port, env, log)
            _wait_until_up(base, server, tmp_path)
        _wait_for_writes(writers, run[0])
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        stop.set()
        kill_server(server)
        log.close()

    lost: list[str] = []
    lines = []
    found = 0
    for kind in pages:
        mine = [w for w in writers if w.kind == kind]
        acknowledged = {marker for w in mine for _run, marker in w.acknowledged}
        cut_off = {marker for w in mine for marker in w.cut_off}
        stored = _stored(kind)
        lost += sorted(acknowledged - stored)
        found += len(acknowledged & stored)
        lines.append(
            f"{kind}: {len(acknowledged)} acknowledged, {len(acknowledged & stored)} of them "
            f"found; {len(cut_off)} cut off by a kill ({len(cut_off & stored)} stored all the "
            f"same); {sum(len(w.refused) for w in mine)} refused"
        )
    print(f"\nserver killed {KILLS} times (SIGKILL) while writing:\n" + "\n".join(lines))
    record_property("durability_kills", KILLS)
    record_property("durability_acknowledged", sum(len(w.acknowledged) for w in writers))
    record_property("durability_found", found)
    record_property("durability_cut_off", sum(len(w.cut_off) for w in writers))
    assert not lost, f"acknowledged but not in the database: {lost}"
    refused = [r for w in writers for r in w.refused]
    assert not refused, refused[:10]
    # Proof that the test tested: writes of every kind went through in every run of the server.
    for kind in pages:
        runs = {run for w in writers if w.kind == kind for run, _marker in w.acknowledged}
        assert runs == set(range(KILLS + 1)), (kind, runs, lines)
