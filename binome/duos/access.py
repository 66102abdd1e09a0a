"""May this user see or change this duo, and as which side? 404 for missing and forbidden alike."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.duos.models import Duo
from binome.people.access import member_teams, represented_teams, speaks_for
from binome.people.models import Participant


@dataclass(frozen=True)
class DuoAccess:
    """A duo as seen by one user: which side they speak for (if any) and whether they are staff."""

    duo: Duo
    side: str | None  # "mentor", "mentee" or None
    staff: bool
    # A member of a side's team who does not speak for it: reads the duo, its visits and its
    # action plan, changes nothing (only on the views that let members in).
    member_of: str | None = None

    @property
    def party(self) -> bool:
        return self.side is not None


def duo_sides(user: object, duo: Duo) -> list[str]:
    """Return the sides of a duo ("mentor", "mentee") this user speaks for."""
    return [side for side in ("mentor", "mentee") if speaks_for(user, getattr(duo, side))]


def member_sides(user: object, duo: Duo) -> list[str]:
    """Return the sides of a duo whose team counts this user among its members (with an account)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    sides = []
    for side in ("mentor", "mentee"):
        participant = getattr(duo, side)
        if participant.kind != Participant.Kind.TEAM:
            continue
        if any(member.user_id == user.pk for member in participant.members.all()):
            sides.append(side)
    return sides


def access_duo(
    user: object, duo_id: int, *, staff_only: bool = False, members: bool = False
) -> DuoAccess:
    """Return the duo for its two sides and its organisation's coordinators and admins, or 404.

    With `members`, a read-only page lets in the members of a side's team too (member_of set).
    """
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
    if staff or (sides and not staff_only):
        return DuoAccess(duo=duo, side=sides[0] if sides else None, staff=staff)
    teams = member_sides(user, duo) if members and not staff_only else []
    if not teams:
        raise Http404
    return DuoAccess(duo=duo, side=None, staff=False, member_of=teams[0])


def own_duos(user: object) -> QuerySet[Duo]:
    """Return the duos (any status) in which the user speaks for a side or is a team member."""
    if not isinstance(user, User) or not user.is_authenticated:
        return Duo.objects.none()
    # The user's own participant rows first, then their duos by the indexed columns: an OR
    # across joins to the participants (and DISTINCT) read every duo of the instance.
    own = Participant.objects.filter(user=user).values("pk")
    teams = represented_teams(user).values("pk")
    members = member_teams(user).values("pk")
    mine = Q(mentor__in=own) | Q(mentee__in=own) | Q(mentor__in=teams) | Q(mentee__in=teams)
    mine |= Q(mentor__in=members) | Q(mentee__in=members)
    return Duo.objects.filter(mine).select_related(
        "programme__organisation", "mentor", "mentee", "coordinator"
    )
