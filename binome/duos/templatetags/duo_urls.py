"""Template helpers for the duo pages and the links other pages make to duos."""

from django import template
from django.urls import reverse

from binome.duos import selectors
from binome.duos.models import Duo
from binome.people.models import Participant
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

register = template.Library()


@register.simple_tag
def duo_url(name: str, *args: object) -> str:
    """Return the URL of a duo page (a shorthand for the `as` form of {% url %})."""
    return reverse(name, args=args)


@register.simple_tag(takes_context=True)
def has_own_duo(context: template.Context) -> bool:
    """Tell the menu whether the logged-in person is a side of a duo."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and selectors.has_own_duo(user))


@register.simple_tag
def open_duos_of(participant: Participant) -> list[Duo]:
    """Return the participant's open duos, for the link on the participant's page."""
    return selectors.open_duos_of(participant)


@register.filter
def way_of_meeting(mode: str, duo: Duo) -> object:
    """A meeting's way (in person, video, phone) as the duo's programme words it:
    `{{ meeting.mode|way_of_meeting:duo }}`."""
    return vocabulary_of(duo.programme).label(Vocabulary.MEETING_MODES, mode)
