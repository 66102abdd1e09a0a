"""How long each organisation keeps what, and the daily job that applies it.

The periods are fields of the organisation (binome.programmes.models, defaults from the
settings), changed by its admins on the retention page. `retention_apply` anonymises the
participants whose period is over through the same erasure as a person's request (so the same
guarantees hold), deletes the scans past theirs and purges the audit events past theirs. It is
idempotent: a participant already erased is not looked at again, a scan deleted is gone.
"""

import datetime
from dataclasses import asdict, dataclass
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from binome.accounts.models import User
from binome.core.audit import audit, changes_since
from binome.core.errors import EditConflict, conflict_message
from binome.duos.models import Signature
from binome.people.models import Participant
from binome.privacy.models import Erasure
from binome.privacy.services import audit_events_purge_of, audit_guard_lowered
from binome.privacy.services.erasure import ErasureRefused, participant_erase
from binome.programmes.models import Organisation

UPDATE = "organisation.retention"
APPLY = "privacy.retention"
CLOSED = (Participant.Status.CLOSED, Participant.Status.WITHDRAWN)


class RetentionFields(TypedDict, total=False):
    retention_closed_days: int
    retention_rejected_days: int
    retention_scan_days: int
    retention_audit_days: int
    agreement_retention_years: int


@dataclass(frozen=True)
class RetentionReport:
    """What one run did for one organisation, in counts."""

    closed_anonymised: int = 0
    rejected_anonymised: int = 0
    kept_by_law: int = 0
    scans_deleted: int = 0
    audit_events_deleted: int = 0


@transaction.atomic
def retention_update(
    *,
    organisation: Organisation,
    actor: User,
    expected_version: int | None,
    **fields: Unpack[RetentionFields],
) -> Organisation:
    """Change the organisation's retention periods, refusing a form opened on an older version."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if expected_version is None or locked.retention_version != expected_version:
        by, changed = changes_since(target=locked, action=UPDATE, version=expected_version or 0)
        raise EditConflict(
            conflict_message(what=gettext("retention settings"), by=by),
            current_version=locked.retention_version,
            changed=changed,
            by=by,
        )
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.retention_version += 1
    locked.save(update_fields=[*changed, "retention_version"])
    audit(
        actor=actor,
        organisation=locked,
        action=UPDATE,
        target=locked,
        fields=changed,
        version=locked.retention_version,
    )
    organisation.refresh_from_db()
    return organisation


def _anonymise(people: "list[Participant]") -> tuple[int, int]:
    done = kept = 0
    for person in people:
        try:
            report = participant_erase(
                participant=person, actor=None, reason=Erasure.Reason.RETENTION
            )
        except ErasureRefused:
            kept += 1
            continue
        done += 0 if report.already else 1
    return done, kept


def retention_apply(
    *, organisation: Organisation, now: datetime.datetime | None = None
) -> RetentionReport:
    """Anonymise, delete and purge what the organisation's periods no longer keep."""
    now = now or timezone.now()
    people = Participant.objects.filter(
        programme__organisation=organisation, erasure__isnull=True
    ).order_by("pk")
    closed_before = now - datetime.timedelta(days=organisation.retention_closed_days)
    rejected_before = now - datetime.timedelta(days=organisation.retention_rejected_days)
    closed, kept_closed = _anonymise(
        list(people.filter(status__in=CLOSED, status_changed_at__lt=closed_before))
    )
    rejected, kept_rejected = _anonymise(
        list(
            people.filter(status=Participant.Status.REJECTED, status_changed_at__lt=rejected_before)
        )
    )
    scans = _delete_scans(organisation, now)
    with transaction.atomic(), audit_guard_lowered():
        purged = audit_events_purge_of(organisation=organisation, now=now)
    report = RetentionReport(
        closed_anonymised=closed,
        rejected_anonymised=rejected,
        kept_by_law=kept_closed + kept_rejected,
        scans_deleted=scans,
        audit_events_deleted=purged,
    )
    # Counts only; written after the purge, so this run's report is never purged by itself.
    audit(
        actor=None, organisation=organisation, action=APPLY, target=organisation, **asdict(report)
    )
    return report


def _delete_scans(organisation: Organisation, now: datetime.datetime) -> int:
    ended_before = timezone.localdate(now) - datetime.timedelta(
        days=organisation.retention_scan_days
    )
    expired = Signature.objects.filter(
        agreement__duo__programme__organisation=organisation,
        agreement__duo__closed_on__lt=ended_before,
    ).exclude(scan="")
    deleted = 0
    for signature in expired:
        with transaction.atomic():
            if signature.scan.name:
                signature.scan.storage.delete(signature.scan.name)
            Signature.objects.filter(pk=signature.pk).update(scan="")
            deleted += 1
    return deleted
