from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from binome.privacy.services import audit_events_purge


class Command(BaseCommand):
    help = (
        "Delete the audit events older than AUDIT_RETENTION_DAYS (five years by default) and "
        "print how many. Running it again deletes nothing more; run it from cron, daily say."
    )

    def handle(self, *args, **options):
        try:
            deleted = audit_events_purge()
        except ValueError as error:
            raise CommandError(str(error)) from error
        days = settings.AUDIT_RETENTION_DAYS
        # Counts only: the events themselves are gone, and their content never goes to a log.
        self.stdout.write(f"{deleted} audit events older than {days} days deleted.")
