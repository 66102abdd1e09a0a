"""Who may read an organisation's audit trail, change its retention, copy or erase a person's
data? 404 for missing and forbidden alike."""

from django.http import Http404

from binome.accounts.models import User
from binome.accounts.roles import ADMIN_ROLES
from binome.people.access import access_participant, represented_teams
from binome.people.models import Participant
from binome.programmes.access import access_organisation
from binome.programmes.models import Organisation


def access_audit_trail(user: object, organisation_id: int) -> Organisation:
    """Return the organisation whose audit trail the user may read: its admins only."""
    # Not coordinators: the trail tells who read and changed whose record, staff included.
    return access_organisation(user, organisation_id, roles=ADMIN_ROLES)


def access_retention(user: object, organisation_id: int) -> Organisation:
    """Return the organisation whose retention periods the user may change: its admins only."""
    return access_organisation(user, organisation_id, roles=ADMIN_ROLES)


def access_subject(user: object, participant_id: int) -> Participant:
    """Return a participant whose data the user may copy or erase: the organisation's staff."""
    # Coordinators too: they hold and change all of her record already, and receive her request.
    return access_participant(user, participant_id)


def own_subject(user: object) -> Participant:
    """Return the participant a logged-in mentor or mentee is (a team's representative: the
    team, when she represents exactly one), or 404."""
    if isinstance(user, User) and user.is_authenticated:
        mine = Participant.objects.filter(user=user).select_related("programme__organisation")
        found = mine.first()
        if found is not None:
            return found
        teams = list(represented_teams(user).select_related("programme__organisation")[:2])
        if len(teams) == 1:
            return teams[0]
    raise Http404
