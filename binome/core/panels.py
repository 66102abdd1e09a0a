"""Sections that an app higher up adds to a page of an app below it.

A participant's page (people) and a duo's action plan (duos) sit below the apps that know about
partners, referrals and the like. Such an app registers, from its AppConfig.ready(), a callable
for a named slot; the page's view renders every registered callable's HTML where the slot is.
A callable gets the request and the page's objects as keyword arguments and returns HTML (or ""
when it has nothing to show for this reader); it decides itself who may see what it shows.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

# The slots the pages offer, and what each passes to the callables.
PARTICIPANT_DETAIL = "people.participant_detail"  # request, participant (a coordinator reads)
DUO_PLAN = "duos.plan"  # request, duo, staff (a coordinator, a side or a team member reads)

Panel = Callable[..., str]

_panels: dict[str, list[Panel]] = {}


def register_panel(slot: str, panel: Panel) -> None:
    """Add a section to a slot (once: registering the same callable again changes nothing)."""
    registered = _panels.setdefault(slot, [])
    if panel not in registered:
        registered.append(panel)


def render_panels(slot: str, **context: object) -> list[SafeString]:
    """Return the HTML of every section registered for the slot, empty ones left out."""
    rendered = [panel(**context) for panel in _panels.get(slot, [])]
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 - rendered templates
