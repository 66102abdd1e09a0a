"""The only write of the audit trail besides `audit(...)`: recording an export."""

from django.db import transaction

from binome.accounts.models import User
from binome.core.audit import audit
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
