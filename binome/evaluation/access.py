"""Who reads a programme's evaluation: its organisation's staff and viewers; 404 otherwise."""

from django.http import Http404

from binome.accounts.roles import FIGURES_ROLES
from binome.programmes.access import access_programme
from binome.programmes.models import Edition, Programme


def access_evaluation(
    user: object, programme_id: int, roles: frozenset[str] = FIGURES_ROLES
) -> Programme:
    return access_programme(user, programme_id, roles=roles)


def edition_of(programme: Programme, edition_id: str | None) -> Edition | None:
    """Return the programme's edition named by a query parameter, None for all, 404 otherwise."""
    if not edition_id:
        return None
    if not edition_id.isdigit():
        raise Http404
    edition = Edition.objects.filter(programme=programme, pk=int(edition_id)).first()
    if edition is None:
        raise Http404
    return edition
