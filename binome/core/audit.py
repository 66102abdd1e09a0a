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
