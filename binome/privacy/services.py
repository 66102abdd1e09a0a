"""The only writes of the audit trail besides `audit(...)`: recording an export, and the purge."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.models import AuditEvent
from binome.privacy.actions import EXPORT
from binome.privacy.selectors import AuditFilters
from binome.programmes.models import Organisation


@transaction.atomic
def audit_export_record(*, actor: User, organisation: Organisation, filters: AuditFilters) -> None:
    """Record that the actor exported the organisation's trail, and which filters narrowed it."""
    audit(
        actor=actor,
        organisation=organisation,
        action=EXPORT,
        target=organisation,
        filters=filters.used(),
    )


@transaction.atomic
def audit_events_purge() -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS; return how many were deleted."""
    days = settings.AUDIT_RETENTION_DAYS
    if days < 1:
        # A zero or a typo would empty the whole trail: refuse rather than guess.
        raise ValueError(f"AUDIT_RETENTION_DAYS must be at least 1, not {days}.")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            # The append-only trigger (privacy's migration 0001) lets a DELETE through only with
            # this flag, which SET LOCAL limits to the current transaction.
            cursor.execute("SET LOCAL binome.audit_purge = 'on'")
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
        if postgresql:
            # Down again at once: nothing else this transaction does may delete an event.
            cursor.execute("SET LOCAL binome.audit_purge = 'off'")
    return deleted
