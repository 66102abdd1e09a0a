"""The production profile serves the app: gunicorn with DEBUG off, the static files collected
(hashed names, gzip and brotli), /healthz, the login page and a login, and one JSON log line per
request without query strings. The server is a real subprocess on a free port."""

import gzip
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EMAIL, PASSWORD = "prod-check@example.org", "a-long-production-password"
# On PostgreSQL the server uses the test database, whose rows must be committed to be seen.
pytestmark = [pytest.mark.xdist_group("production_server"), pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="false",
        SECRET_KEY="production-server-test-" + "x" * 40,
        STATIC_COLLECTED="true",
        LOG_FORMAT="json",
        EMAIL_URL="memorymail://",
        HEALTHZ_NOTIFICATIONS_MAX_MINUTES="60",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def database_url(tmp_path) -> str:
    """A database the server process can reach: a migrated SQLite file, or PostgreSQL's test
    database."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        manage({**base_environment(), "DATABASE_URL": url}, "migrate", "--noinput", "-v0")
        return url
    # The test database (settings.DATABASES may still name the one it was made from).
    database = connection.settings_dict
    user = urllib.parse.quote(database["USER"] or "")
    password = ":" + urllib.parse.quote(database["PASSWORD"]) if database["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{database['HOST']}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


@pytest.fixture
def server(database_url, tmp_path):
    env = {
        **base_environment(),
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "2",
    }
    manage(env, "collectstatic", "--noinput", "-v0")
    script = (
        "from binome.accounts.models import User; "
        f"User.objects.create_user(email='{EMAIL}', password='{PASSWORD}', full_name='Prod Check')"
    )
    manage(env, "shell", "-c", script)
    manage(env, "send_notifications")
    log = (tmp_path / "server.log").open("w+")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    port = int(env["PORT"])
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
            time.sleep(0.2)
    try:
        yield port, tmp_path / "server.log", tmp_path / "static"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def fetch(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def test_the_production_server_serves_the_app(server):
    port, log_path, static_root = server

    response, body = fetch(port, "GET", "/healthz")
    assert response.status == 200, body
    assert json.loads(body)["status"] == "ok"

    # The login page, with DEBUG off: its stylesheet under a hashed name.
    response, page = fetch(port, "GET", "/fr/accounts/login/")
    assert response.status == 200
    html = page.decode()
    stylesheet = re.search(r'href="(/static/css/binome\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the page links the hashed stylesheet"
    original = (ROOT / "static" / "css" / "binome.css").read_bytes()

    response, content = fetch(port, "GET", stylesheet[1])
    assert response.status == 200 and content == original
    assert "max-age=315360000" in response.getheader("Cache-Control")
    response, content = fetch(port, "GET", stylesheet[1], {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(content) == original
    response, content = fetch(port, "GET", stylesheet[1], {"Accept-Encoding": "gzip, br"})
    assert response.getheader("Content-Encoding") == "br"
    assert brotli.decompress(content) == original
    assert any(static_root.glob("css/binome.*.css.br"))

    # A login: the CSRF cookie and token of the page, then the session cookie.
    cookies = SimpleCookie(response_cookie(port, "/fr/accounts/login/"))
    csrf = cookies["csrftoken"].value
    response, page = fetch(port, "GET", "/fr/accounts/login/", {"Cookie": f"csrftoken={csrf}"})
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode())
    assert found is not None
    token = found[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": EMAIL, "password": PASSWORD}
    )
    response, _ = fetch(
        port,
        "POST",
        "/fr/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/fr/accounts/login/",
        },
        form,
    )
    assert response.status == 302, "the login was refused"
    session = SimpleCookie(response.getheader("Set-Cookie"))["sessionid"].value
    response, page = fetch(port, "GET", "/fr/", {"Cookie": f"sessionid={session}"})
    assert response.status == 200
    assert "/fr/accounts/logout/" in page.decode()  # shown to a logged-in user only

    # A search's query string never reaches the log; each request is one JSON line.
    fetch(port, "GET", "/fr/directory/?q=haddad-secret", {"Cookie": f"sessionid={session}"})
    time.sleep(0.5)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if '"path"' in line]
    requests = [line for line in lines if line.get("logger") == "binome.requests"]
    paths = [line["path"] for line in requests]
    assert "/healthz" in paths and "/fr/directory/" in paths and stylesheet[1] in paths
    text = log_path.read_text()
    assert "haddad-secret" not in text and EMAIL not in text and PASSWORD not in text
    directory = next(line for line in requests if line["path"] == "/fr/directory/")
    assert directory["status"] == 200 and directory["size"] > 0
    assert isinstance(directory["user"], int) and directory["duration_ms"] > 0


def response_cookie(port, path) -> str:
    response, _ = fetch(port, "GET", path)
    return "; ".join(
        value.split(";", 1)[0] for name, value in response.getheaders() if name == "Set-Cookie"
    )
