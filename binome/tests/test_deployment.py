"""The production profile the README documents passes Django's deployment checks, and every page
carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# The environment of "Running in production" in the README.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-value-" + "k3Y9pQ2xW7zR4mV8nB1cL6tH0sJ5fD" * 2,
    "ALLOWED_HOSTS": "binome.example.org",
    "SITE_URL": "https://binome.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    # A Fernet key of the tests' own (manage.py generate_field_key prints a new one).
    "FIELD_ENCRYPTION_KEYS": "Hl2pUjV7o5bd0GTr6o1Kx8mQ1cO4hz4kPJ5V3sLz0aQ=",
    "STATIC_COLLECTED": "true",
    "LOG_FORMAT": "json",
}


def _check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The test run's own variables (the browser tests' async switch) are not a server's.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deployment_checks():
    done = _check_deploy(PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deployment_checks_would_see_a_missing_https_setting():
    # Proves the test above can fail: without HSTS and the redirect, warnings are raised.
    done = _check_deploy({**PRODUCTION, "SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": "false"})
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout
    assert "security.W008" in done.stderr + done.stdout


def test_the_deployment_checks_would_see_field_keys_derived_from_the_secret_key():
    done = _check_deploy({**PRODUCTION, "FIELD_ENCRYPTION_KEYS": ""})
    assert done.returncode != 0
    assert "encryption.W001" in done.stderr + done.stdout


def test_a_malformed_field_key_is_an_error_of_the_checks():
    done = _check_deploy({**PRODUCTION, "FIELD_ENCRYPTION_KEYS": "not-a-key"})
    assert done.returncode != 0
    assert "encryption.E001" in done.stderr + done.stdout


def test_the_readme_documents_every_variable_of_the_production_profile():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in PRODUCTION:
        assert name in readme, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["programmes:directory", "accounts:login"])
def test_every_page_forbids_inline_scripts_and_framing(client, name):
    response = client.get(reverse(name))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    # A nonce is added only to a page that uses one (csp_nonce); nothing else runs inline.
    assert directives["script-src"].split()[0] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
