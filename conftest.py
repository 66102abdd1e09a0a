"""Fixtures over the named cast of `binome/testing.py`, the browser and the test settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from binome.testing import CHROMIUM, CHROMIUM_ARGS, Cast, make_cast, make_duo

# Playwright's sync API runs an event loop in the test thread; the ORM calls that follow are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
BROWSER_FIXTURES = {"chromium", "page_factory"}


def pytest_configure(config):
    """Settings that belong to the tests alone, and translations compiled as a run expects."""
    from django.conf import settings

    # A fast hasher: the suite creates hundreds of accounts; production keeps Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests assert translated messages: compile the catalogues that changed (quick when none did),
    # so `pytest` works on a fresh clone right after `make install`.
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "translations.py"), "compile"], check=True
    )


def pytest_collection_modifyitems(items):
    """Mark every test that opens a browser `browser`, so `-m "not browser"` skips them all."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


@pytest.fixture(scope="module")
def shared_cast(django_db_setup, django_db_blocker):
    """The cast built once for a module whose tests only read it (each test still rolls back).

    Its rows live in a transaction around the module's tests, rolled back at the end; each test's
    own transaction (the `db` fixture, requested below by `cast_once`) nests inside it.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield make_cast()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def cast_once(shared_cast, db) -> Cast:
    """The module's shared cast, for tests that only read it."""
    for user in shared_cast.users().values():
        for cached in ("_binome_roles", "_binome_memberships"):
            if user is not None and hasattr(user, cached):
                delattr(user, cached)
    return shared_cast


@pytest.fixture
def client_as():
    """Return a client logged in as the given user (anonymous for None)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture(scope="session")
def chromium():
    """A real headless Chromium (Debian's package) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(chromium):
    """Open a page of the given width (a phone is 360 px) in a fresh browser context.

    Whatever the journey, the Content-Security-Policy must never have to block anything on
    Binôme's own pages: a violation reported in the console fails the test.
    """
    contexts = []
    violations: list[str] = []

    def watch(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def make(width: int = 1280, height: int = 800, locale: str = "fr-FR"):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not violations, violations


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever the previous request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Each test that uses the database starts with an empty cache: rate-limit counters live in
    the database cache, and a test that commits (a browser journey) would leave them behind."""
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        yield
        return
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files (signature scans) go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def duo(cast):
    return make_duo(cast)


def pytest_terminal_summary(terminalreporter):
    """The figures of the whole-site tests, summed over the xdist workers: what the form fuzzing
    sent (binome/tests/test_fuzz_forms.py) and what survived kill -9 (test_durability.py)."""
    totals: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name.startswith(("fuzz_", "durability_")):
                    totals[name] = totals.get(name, 0) + value
    if "fuzz_forms" in totals:
        terminalreporter.write_line(
            f"form fuzzing: {totals['fuzz_forms']} forms (per role), "
            f"{totals['fuzz_inputs']} inputs sent, "
            f"{totals['fuzz_without_csrf']} of them without a valid CSRF token, "
            f"{totals['fuzz_problems']} problems"
        )
    if "durability_acknowledged" in totals:
        terminalreporter.write_line(
            f"kill -9 durability: {totals['durability_acknowledged']} writes acknowledged, "
            f"{totals['durability_found']} of them found after the restarts "
            f"({totals['durability_kills']} kills, {totals['durability_cut_off']} writes cut off)"
        )
