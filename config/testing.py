"""Loaded by pytest before Django reads the settings (pyproject.toml: addopts = -p config.testing).

The settings refuse to start without a SECRET_KEY (and DEBUG off): the tests sign and check only
their own sessions and links, so a fixed key of their own is fine here, and only here. A key
already in the environment (`make test` exports the clone's .secret_key) is kept.
"""

import os

os.environ.setdefault("SECRET_KEY", "binome-tests-only-not-a-secret")
# The tests run the task workers themselves; none enqueues the notifications run on its own.
os.environ.setdefault("NOTIFICATIONS_EVERY_SECONDS", "0")
