"""Settings of the server and worker processes that binome/tests/test_workers.py starts.

The project's settings, with e-mail written into a folder the test reads (shared by every
process) and, to give a kill -9 something to interrupt, a pause before each send.
"""

import os

from config.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "binome.tests.slow_mail.SlowFileBackend",
        "OPTIONS": {"file_path": os.environ["BINOME_TEST_MAIL_DIR"]},
    }
}
