from django.db import models

from binome.core.models import AuditEvent


def audit(*, actor, organisation, action: str, target: models.Model, **detail) -> None:
    """Record who did what to which record (keep sensitive values out of detail)."""
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        detail=detail,
    )
