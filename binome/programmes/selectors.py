"""Reads for the programmes app: the public directory and the staff figures."""

import datetime
from typing import TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from binome.accounts import roles
from binome.accounts.models import Membership, User
from binome.programmes import access
from binome.programmes.models import Edition, Organisation, Programme
from binome.reference.languages import language_name


class DirectoryOptions(TypedDict):
    """The (value, label) choices of the directory's filters that listed programmes offer."""

    languages: list[tuple[str, str]]
    cities: list[tuple[str, str]]


def listed_programmes(
    *, language: str = "", mode: str = "", city: str = "", kind: str = ""
) -> QuerySet[Programme]:
    """Return the programmes shown in the public directory, narrowed by the visitor's filters."""
    programmes = Programme.objects.filter(listed=True).select_related("organisation")
    if mode:
        programmes = programmes.filter(mode=mode)
    if kind:
        programmes = programmes.filter(kind=kind)
    if city:
        programmes = programmes.filter(city__iexact=city)
    if language:
        # JSON "contains" is not portable to SQLite; the directory is small, so filter in Python.
        ids = [pk for pk, langs in programmes.values_list("pk", "languages") if language in langs]
        programmes = programmes.filter(pk__in=ids)
    return programmes


def directory_options() -> DirectoryOptions:
    """Return the languages and cities found among listed programmes, for the filter form."""
    codes: set[str] = set()
    # By the casefolded city, the first spelling met.
    cities: dict[str, str] = {}
    for langs, city in Programme.objects.filter(listed=True).values_list("languages", "city"):
        codes.update(langs or [])
        if city:
            cities.setdefault(city.casefold(), city)
    languages = sorted(((c, language_name(c)) for c in codes), key=lambda p: p[1].casefold())
    return {
        "languages": languages,
        "cities": sorted(((c, c) for c in cities.values()), key=lambda p: p[1].casefold()),
    }


def programmes_with_figures(user: User) -> QuerySet[Programme]:
    """Return the programmes of the user's organisations with their head counts (one query)."""
    return access.programmes_for(user, roles=roles.FIGURES_ROLES).annotate(
        mentee_count=Count("participants", filter=Q(participants__role="mentee")),
        mentor_count=Count("participants", filter=Q(participants__role="mentor")),
        applied_count=Count("participants", filter=Q(participants__status="applied")),
    )


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    """Return the organisation's memberships with their users, by name."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def current_edition_id(programme: Programme, on: datetime.date | None = None) -> int | None:
    """Return the id of the edition newcomers join: the latest one started by `on` (today), else
    the earliest one planned; None for a programme without editions."""
    on = on or timezone.localdate()
    editions = Edition.objects.filter(programme=programme)
    started = editions.filter(starts_on__lte=on).order_by("-starts_on", "-pk").first()
    if started is not None:
        return started.pk
    planned = editions.order_by("starts_on", "pk").first()
    return planned.pk if planned is not None else None


def programme_editions(programme: Programme) -> QuerySet[Edition]:
    """Return a programme's editions, the latest first, with their head counts."""
    return Edition.objects.filter(programme=programme).annotate(
        participant_count=Count("participants", distinct=True),
        duo_count=Count("duos", distinct=True),
    )
