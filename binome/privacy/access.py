"""Who may read an organisation's audit trail? 404 for missing and forbidden alike."""

from binome.accounts.roles import ADMIN_ROLES
from binome.programmes.access import access_organisation
from binome.programmes.models import Organisation


def access_audit_trail(user: object, organisation_id: int) -> Organisation:
    """Return the organisation whose audit trail the user may read: its admins only."""
    # Not coordinators: the trail tells who read and changed whose record, staff included.
    return access_organisation(user, organisation_id, roles=ADMIN_ROLES)
