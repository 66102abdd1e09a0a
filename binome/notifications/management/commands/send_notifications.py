import datetime
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from binome.notifications.dispatch import notifications_run
from binome.notifications.services import NOTIFICATIONS_JOB, lease

logger = logging.getLogger(__name__)

# Longer than any run; a run whose machine died frees the job after this time.
LEASE_TTL = datetime.timedelta(minutes=15)


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
        with lease(NOTIFICATIONS_JOB, LEASE_TTL) as alone:
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
