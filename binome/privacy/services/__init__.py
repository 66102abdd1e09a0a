"""The only writes of the audit trail besides `audit(...)`: recording an export, and the purge.

The data subject's rights live beside: `erasure` (erase a participant, refused while the law
keeps her signed agreement), `retention` (what each organisation keeps, and for how long) and
`subject` (recording a copy of a person's data).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def audit_guard_lowered() -> Iterator[None]:
    """Let this transaction delete or blank audit events (PostgreSQL's trigger), then no more.

    The append-only trigger (privacy's migrations 0001 and 0003) lets a DELETE or an UPDATE
    through only with this flag, which SET LOCAL limits to the current transaction: the
    retention purge and a person's erasure are its only users.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the audit guard is lowered inside a transaction only")
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL binome.audit_purge = 'on'")
        try:
            yield
        finally:
            if postgresql:
                # Down again at once: nothing else this transaction does may touch an event.
                cursor.execute("SET LOCAL binome.audit_purge = 'off'")


@transaction.atomic
def audit_events_purge() -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS; return how many were deleted.

    The instance's longest keep: an organisation may keep its own events for less
    (`retention_audit_days`, applied by the retention job with `audit_events_purge_of`).
    """
    days = settings.AUDIT_RETENTION_DAYS
    if days < 1:
        # A zero or a typo would empty the whole trail: refuse rather than guess.
        raise ValueError(f"AUDIT_RETENTION_DAYS must be at least 1, not {days}.")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    with audit_guard_lowered():
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def audit_events_purge_of(*, organisation: Organisation, now: datetime.datetime) -> int:
    """Delete one organisation's events older than its retention (the guard already lowered)."""
    # The model validates at least a day; a row written around it is not trusted to.
    days = max(1, organisation.retention_audit_days)
    cutoff = now - datetime.timedelta(days=days)
    return AuditEvent.objects.filter(organisation=organisation, at__lt=cutoff).delete()[0]
