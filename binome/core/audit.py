from typing import Any

from django.db import models

from binome.core.models import AuditEvent


def audit(
    *,
    # Any: core sits below accounts and programmes, so it cannot name User or Organisation.
    actor: Any,
    organisation: Any,
    action: str,
    target: models.Model,
    **detail: object,
) -> None:
    """Record who did what to which record (keep sensitive values out of detail)."""
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        detail=detail,
    )


def changes_since(*, target: models.Model, action: str, version: int) -> tuple[str, list[str]]:
    """Return who last saved the record after `version` and the fields saved since then.

    Read from the audit rows of `action` that record the version each save produced and the
    fields it changed, for records that keep no history of their own.
    """
    events = AuditEvent.objects.filter(
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        detail__version__gt=version,
    ).select_related("actor")
    by, fields = "", set[str]()
    for event in events.order_by("-at", "-pk"):
        by = by or (str(event.actor) if event.actor else "")
        fields.update(event.detail.get("fields") or [])
    return by, sorted(fields)
