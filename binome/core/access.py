"""Every decision "may this user touch this object" lives here.

Each accessor returns the object or raises Http404: "missing" and "forbidden" look the same, so a
user of one organisation cannot even learn that another organisation's record exists.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from binome.accounts.models import Membership
from binome.programmes.models import Organisation, Programme

ADMIN = Membership.Role.ADMIN
COORDINATOR = Membership.Role.COORDINATOR
VIEWER = Membership.Role.VIEWER
# Who may read and change people's records.
STAFF_ROLES = frozenset({ADMIN, COORDINATOR})
# Who may read aggregated figures.
FIGURES_ROLES = frozenset({ADMIN, COORDINATOR, VIEWER})


def roles_by_organisation(user) -> dict[int, str]:
    """Map organisation id to the user's role there, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_binome_roles", None)
    if cached is None:
        cached = dict(user.memberships.values_list("organisation_id", "role"))
        user._binome_roles = cached
    return cached


def role_in(user, organisation_id: int) -> str | None:
    return roles_by_organisation(user).get(organisation_id)


def is_staff_of(user, organisation_id: int) -> bool:
    return role_in(user, organisation_id) in STAFF_ROLES


def is_admin_of(user, organisation_id: int) -> bool:
    return role_in(user, organisation_id) == ADMIN


def may_see_sensitive(user, organisation_id: int) -> bool:
    """Legal status, intake notes: coordinators and admins of the organisation only."""
    return is_staff_of(user, organisation_id)


def organisations_for(user, roles=STAFF_ROLES) -> QuerySet[Organisation]:
    ids = [org for org, role in roles_by_organisation(user).items() if role in roles]
    return Organisation.objects.filter(pk__in=ids)


def programmes_for(user, roles=STAFF_ROLES) -> QuerySet[Programme]:
    ids = [org for org, role in roles_by_organisation(user).items() if role in roles]
    return Programme.objects.filter(organisation_id__in=ids).select_related("organisation")


def access_organisation(user, organisation_id: int, roles=STAFF_ROLES) -> Organisation:
    if role_in(user, organisation_id) not in roles:
        raise Http404
    return Organisation.objects.get(pk=organisation_id)


def access_programme(user, programme_id: int, roles=STAFF_ROLES) -> Programme:
    programme = Programme.objects.select_related("organisation").filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    if role_in(user, programme.organisation_id) not in roles:
        raise Http404
    return programme


def access_participant(user, participant_id: int):
    """Return a participant its organisation's coordinators and admins may work on."""
    from binome.people.models import Participant

    participant = (
        Participant.objects.select_related("programme__organisation", "user")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404
    if not is_staff_of(user, participant.programme.organisation_id):
        raise Http404
    return participant


def own_participant(user):
    """Return the participant record of a logged-in mentor or mentee, or 404."""
    from binome.people.models import Participant

    if not user.is_authenticated:
        raise Http404
    participant = (
        Participant.objects.select_related("programme__organisation").filter(user=user).first()
    )
    if participant is None:
        raise Http404
    return participant


def access_programme_participant(user, programme_id: int, participant_id: int):
    """Return a participant of this programme that the user may work on, or 404."""
    participant = access_participant(user, participant_id)
    if participant.programme_id != programme_id:
        raise Http404
    return participant


def access_consent(user, participant, consent_id: int):
    """Return one consent record of a participant the user may already work on, or 404."""
    from binome.people.models import Consent

    consent = Consent.objects.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    if consent.participant_id != participant.pk:
        raise Http404
    if not is_staff_of(user, participant.programme.organisation_id):
        raise Http404
    consent.participant = participant
    return consent


# Who may create and change programmes.
ADMIN_ROLES = frozenset({ADMIN})


def require_role_somewhere(user, roles=FIGURES_ROLES) -> None:
    """Let through a user holding one of roles in at least one organisation, else 404."""
    if not any(role in roles for role in roles_by_organisation(user).values()):
        raise Http404


def access_listed_programme(organisation_slug: str, programme_slug: str) -> Programme:
    """Return a programme shown in the public directory, for anyone, or 404."""
    programme = (
        Programme.objects.select_related("organisation")
        .filter(organisation__slug=organisation_slug, slug=programme_slug)
        .first()
    )
    if programme is None:
        raise Http404
    if not programme.listed:
        raise Http404
    return programme


def answering_sides(user, proposal) -> list[str]:
    """Return the sides of a proposal ("mentee", "mentor") this user answers for in person."""
    sides = []
    for side in ("mentee", "mentor"):
        if _speaks_for(user, getattr(proposal, side)):
            sides.append(side)
    return sides


def _speaks_for(user, participant) -> bool:
    """A person answers for themselves; a team through its representative's account if any."""
    if not user.is_authenticated:
        return False
    if participant.kind == participant.Kind.TEAM:
        representatives = [m for m in participant.members.all() if m.is_representative]
        emails = [m.email.casefold() for m in representatives if m.email]
        if emails:
            return (user.email or "").casefold() in emails
    return participant.user_id is not None and participant.user_id == user.pk


def access_proposal(user, proposal_id: int):
    """Return (proposal, sides the user answers for, is staff) for its parties and staff, or 404."""
    from binome.matching.models import Proposal

    proposal = (
        Proposal.objects.select_related("programme__organisation", "mentee", "mentor")
        .prefetch_related("mentee__members", "mentor__members")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    sides = answering_sides(user, proposal)
    staff = is_staff_of(user, proposal.programme.organisation_id)
    if not sides and not staff:
        raise Http404
    return proposal, sides, staff


@dataclass(frozen=True)
class DuoAccess:
    """A duo as seen by one user: which side they speak for (if any) and whether they are staff."""

    duo: object
    side: str | None  # "mentor", "mentee" or None
    staff: bool

    @property
    def party(self) -> bool:
        return self.side is not None


def duo_sides(user, duo) -> list[str]:
    """Return the sides of a duo ("mentor", "mentee") this user speaks for."""
    return [side for side in ("mentor", "mentee") if _speaks_for(user, getattr(duo, side))]


def access_duo(user, duo_id: int, *, staff_only: bool = False) -> DuoAccess:
    """Return the duo for its two sides and its organisation's coordinators and admins, or 404."""
    from binome.duos.models import Duo

    duo = (
        Duo.objects.select_related(
            "programme__organisation", "mentor__user", "mentee__user", "coordinator"
        )
        .prefetch_related("mentor__members", "mentee__members")
        .filter(pk=duo_id)
        .first()
    )
    if duo is None:
        raise Http404
    staff = is_staff_of(user, duo.programme.organisation_id)
    sides = duo_sides(user, duo)
    if not staff and (staff_only or not sides):
        raise Http404
    return DuoAccess(duo=duo, side=sides[0] if sides else None, staff=staff)


def own_duos(user):
    """Return the duos (any status) in which the user speaks for a side, newest first."""
    from binome.duos.models import Duo

    if not user.is_authenticated:
        return Duo.objects.none()
    mine = Q(mentor__user=user) | Q(mentee__user=user)
    email = (user.email or "").strip()
    if email:
        representative = Q(members__is_representative=True, members__email__iexact=email)
        mine |= Q(mentor__in=_teams_where(representative)) | Q(
            mentee__in=_teams_where(representative)
        )
    return (
        Duo.objects.filter(mine)
        .select_related("programme__organisation", "mentor", "mentee", "coordinator")
        .distinct()
    )


def _teams_where(condition):
    from binome.people.models import Participant

    return Participant.objects.filter(condition, kind=Participant.Kind.TEAM).values("pk")
