"""deploy/ holds what the README says, consistent with the settings it runs under."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def deploy_files() -> list[Path]:
    return sorted(path for path in DEPLOY.rglob("*") if path.is_file())


def test_the_readme_refers_to_every_file_of_deploy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in deploy_files():
        name = str(path.relative_to(ROOT))
        stem = re.sub(r"\.(service|timer)$", "", name)
        assert name in readme or f"{stem}.{{service,timer}}" in readme, name


def test_every_command_the_units_run_exists():
    named = set()
    for path in (DEPLOY / "systemd").iterdir():
        named |= set(re.findall(r"manage\.py (\w+)", path.read_text()))
    # The notifications run is a periodic task of the workers (NOTIFICATIONS_EVERY_SECONDS).
    assert {"db_worker", "backup", "audit_purge", "privacy_retention"} <= named
    missing = named - set(get_commands())
    assert not missing


def environment_example() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "binome.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            values[name] = value
    return values


def test_the_example_environment_passes_the_deployment_checks():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(environment_example())
    env["SECRET_KEY"] = "an-example-of-a-long-random-value-" + "Qm7Zt2Lw9Xc4Vb8Nn1" * 3
    assert env["FIELD_ENCRYPTION_KEYS"].startswith("change-me")
    env["FIELD_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_variable_of_the_example_is_declared_once_in_the_settings():
    declared = (ROOT / "config" / "settings.py").read_text()
    declared += (ROOT / "config" / "gunicorn.py").read_text()
    for name in environment_example():
        assert re.search(rf"^\s+{name}=\(", declared, re.MULTILINE), name


def test_the_proxy_passes_the_largest_upload_binome_accepts():
    conf = (DEPLOY / "nginx" / "binome.conf").read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", conf)
    assert limit is not None
    assert int(limit[1]) * 1024 * 1024 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # The proxy's headers are the ones the settings trust (BEHIND_TLS_PROXY, TRUSTED_PROXY_COUNT).
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    # Its access log leaves query strings out ($uri, never $request or $request_uri).
    assert "$request " not in conf and '$request_uri"' not in conf
    environment = environment_example()
    assert environment["BEHIND_TLS_PROXY"] == "true" and environment["TRUSTED_PROXY_COUNT"] == "1"


@pytest.mark.parametrize("unit", ["binome-web.service", "binome-worker.service"])
def test_the_long_running_units_restart_and_read_the_environment_file(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/binome/binome.env" in text
    assert re.search(r"^Restart=", text, re.MULTILINE)
    assert "User=binome" in text
