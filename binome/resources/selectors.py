"""Resources as each reader may see them, in her language first."""

from django.db.models import Q, QuerySet

from binome.accounts.models import User
from binome.accounts.roles import FIGURES_ROLES, organisation_ids
from binome.people.access import represented_teams
from binome.people.models import Participant
from binome.resources.models import Resource


def _readers(user: object) -> list[Participant]:
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    own = list(Participant.objects.filter(user=user).select_related("programme"))
    return own + list(represented_teams(user).select_related("programme"))


def readers_resources(user: object) -> QuerySet[Resource]:
    """Return the resources meant for a mentor, a mentee or a team this user speaks for."""
    wanted = Q(pk__in=[])
    for participant in _readers(user):
        if participant.kind == Participant.Kind.TEAM:
            audience = Q(for_teams=True)
        elif participant.role == Participant.Role.MENTOR:
            audience = Q(for_mentors=True)
        else:
            audience = Q(for_mentees=True)
        where = Q(programme__isnull=True) | Q(programme_id=participant.programme_id)
        wanted |= audience & where & Q(organisation_id=participant.programme.organisation_id)
    return Resource.objects.filter(wanted)


def library(user: object) -> QuerySet[Resource]:
    """Return every resource the user may read: her organisations' as staff, else her own."""
    staff_of = organisation_ids(user, FIGURES_ROLES)
    found = Resource.objects.filter(organisation_id__in=staff_of) if staff_of else None
    mine = readers_resources(user)
    chosen = (found | mine) if found is not None else mine
    return chosen.select_related("organisation", "programme").prefetch_related("files")


def reader_language(user: object, fallback: str) -> str:
    """The language a participant reads her messages in, else the page's."""
    readers = _readers(user)
    return readers[0].language if readers else fallback


def in_language_first(resources: list[Resource], language: str) -> list[Resource]:
    """Put the resources readable in `language` first, each group in its own order."""
    return sorted(resources, key=lambda r: language not in r.languages())


def themes_of(resources: list[Resource]) -> list[str]:
    return sorted({theme for r in resources for theme in r.themes or []}, key=str.casefold)
