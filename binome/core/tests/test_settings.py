import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"


def read_settings(monkeypatch, **environment) -> dict:
    """Run config/settings.py afresh in the given environment and return what it defines."""
    for name in ("SECRET_KEY", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize("key", [None, ""])
def test_without_a_secret_key_and_debug_off_the_site_refuses_to_start(monkeypatch, key):
    environment = {} if key is None else {"SECRET_KEY": key}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set.*token_urlsafe"):
        read_settings(monkeypatch, **environment)


def test_the_secret_key_comes_from_the_environment(monkeypatch):
    assert read_settings(monkeypatch, SECRET_KEY="k" * 50)["SECRET_KEY"] == "k" * 50


def test_a_developer_with_debug_on_may_run_without_a_key(monkeypatch):
    settings = read_settings(monkeypatch, DEBUG="true")
    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"]
