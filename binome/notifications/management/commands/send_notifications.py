import contextlib
import hashlib
import logging
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from binome.notifications.dispatch import notifications_run

try:
    import fcntl
except ImportError:  # not on POSIX: runs are not serialised, the sent-log still is
    fcntl = None

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def single_run():
    """Yield True if no other run on this machine holds the lock for this database.

    Two runs at once (cron while `make run`'s loop is going) could both retry a failed e-mail
    whose first attempt is still in flight; one run at a time rules that out.
    """
    # An in-memory SQLite database (the tests) belongs to one process: nothing to share.
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
    if fcntl is None or in_memory:
        yield True
        return
    database = str(settings.DATABASES["default"].get("NAME", ""))
    digest = hashlib.sha256(database.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"binome-send-notifications-{digest}.lock"
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Command(BaseCommand):
    help = (
        "Send the e-mails that are due (proposals, agreements, meeting reminders, check-ins, "
        "nudges, closing and follow-up questionnaires), each once. Run it from cron every few "
        "minutes, or with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Keep running, once every SECONDS, until stopped.",
        )

    def handle(self, *args, loop=None, verbosity=1, **options):
        self.verbosity = verbosity
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1.")
        if loop is None:
            self._run_once()
            return
        while True:
            try:
                self._run_once()
            except Exception:
                # A bad run (database busy, mail server down…) must not end the loop.
                logger.exception("send_notifications: run failed, trying again later")
            # Long-lived process: do not keep a connection the database has dropped.
            close_old_connections()
            time.sleep(loop)

    def _run_once(self) -> None:
        with single_run() as alone:
            if not alone:
                logger.info("send_notifications: another run is in progress, nothing done")
                return
            outcome = notifications_run()
        # Quiet by default, as cron mails whatever a job prints; the log has the counts.
        if self.verbosity > 1:
            self.stdout.write(
                f"{outcome.claimed} e-mails queued, "
                f"{outcome.skipped} already done, {outcome.opted_out} opted out, "
                f"{outcome.failed} failed."
            )
