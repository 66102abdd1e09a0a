"""The engine's tests run without Django (`pytest matching_engine -p no:django`).

The project's root conftest activates Django's default language before every test; the engine
has no Django and no language, so the same-named fixture here does nothing.
"""

import pytest


@pytest.fixture(autouse=True)
def _default_language():
    """Start each engine test as it is: no Django settings to touch."""
    yield
