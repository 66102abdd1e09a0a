"""Reads of participants, already scoped to a programme the caller has been given access to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from binome.core import vocab
from binome.encryption.keys import keyed_hashes
from binome.people.fields import phone_key
from binome.people.models import Consent, Participant, StatusChange, TeamMember
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import Named, vocabulary_of
from binome.reference import geography, languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Columns the list may be sorted by; a leading "-" reverses the order.
SORTS = {
    "name": ["last_name", "first_name", "team_name", "pk"],
    "status": ["status_rank", "last_name", "first_name", "team_name", "pk"],
    "created": ["created_at", "pk"],
    "city": ["city", "last_name", "first_name", "pk"],
}

# Pipeline order, so that sorting by status reads applied → … → closed.
_STATUS_RANK = Case(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(Participant.Status.values)),
    output_field=IntegerField(),
)


class AvailabilityGrid(TypedDict):
    """A week of availability as the profile pages draw it: parts of the day, a row a day."""

    parts: list[StrOrPromise]
    rows: list[tuple[StrOrPromise, list[bool]]]
    any: bool


class ProfileLabels(TypedDict):
    """A profile's codes as the detail page and the participant's own space show them."""

    languages: list[tuple[str, StrOrPromise]]
    country: str
    sector: StrOrPromise
    needs: list[Named]
    offers: list[Named]
    language: StrOrPromise
    gender: StrOrPromise
    gender_preference: StrOrPromise
    availability: AvailabilityGrid


# What a typed phone number looks like: digits, spaces, "+", dots, dashes, slashes, brackets.
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-/]{6,}")


def phone_hashes(text: str) -> list[str]:
    """Return the keyed hashes a participant's phone_hash has if her number is the one typed."""
    if not _PHONE_LIKE.fullmatch(text.strip()):
        return []
    return keyed_hashes(phone_key(text))


def _search(queryset: QuerySet[Participant], text: str) -> QuerySet[Participant]:
    """Keep rows where every word of the text appears in a name, team or e-mail, or whose phone
    is the number typed, in any spelling (the phone is encrypted: found by its keyed hash)."""
    words = Q()
    for word in text.split()[:6]:
        words &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(team_name__icontains=word)
            | Q(email__icontains=word)
        )
    hashes = phone_hashes(text)
    return queryset.filter(words | Q(phone_hash__in=hashes) if hashes else words)


def _sorted(queryset: QuerySet[Participant], sort: str) -> QuerySet[Participant]:
    descending = sort.startswith("-")
    columns = SORTS.get(sort.lstrip("-"), SORTS["name"])
    if descending:
        columns = [column[1:] if column.startswith("-") else f"-{column}" for column in columns]
    return queryset.annotate(status_rank=_STATUS_RANK).order_by(*columns)


def participant_list(
    *, programme: Programme, filters: Mapping[str, str] | None = None
) -> QuerySet[Participant]:
    """Return the programme's participants, filtered, searched and sorted as asked."""
    filters = filters or {}
    # The list shows neither the legal status nor the intake notes: not decrypted row by row.
    queryset = (
        Participant.objects.filter(programme=programme)
        .select_related("programme")
        .defer("legal_status", "intake_notes")
    )
    if filters.get("role"):
        queryset = queryset.filter(role=filters["role"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("language"):
        queryset = queryset.filter(languages__has_key=filters["language"])
    if filters.get("sector"):
        queryset = queryset.filter(sector__startswith=filters["sector"])
    if filters.get("city"):
        queryset = queryset.filter(city__icontains=filters["city"].strip())
    if filters.get("needs"):
        # JSON text search that works on SQLite and PostgreSQL alike; codes are plain ASCII.
        queryset = queryset.filter(needs__icontains=f'"{filters["needs"]}"')
    if filters.get("q"):
        queryset = _search(queryset, filters["q"])
    return _sorted(queryset, filters.get("sort") or "name")


def participant_timeline(participant: Participant) -> QuerySet[StatusChange]:
    return participant.status_changes.select_related("by").order_by("at", "pk")


def participant_consents(participant: Participant) -> QuerySet[Consent]:
    return participant.consents.select_related("recorded_by").order_by("given_at", "pk")


def participant_members(participant: Participant) -> QuerySet[TeamMember]:
    return participant.members.all()


def profile_labels(participant: Participant) -> ProfileLabels:
    """Turn a profile's codes into labels in the active language (the programme's lists read
    once)."""
    lists = vocabulary_of(participant.programme)
    return {
        "languages": [
            (
                languages.language_name(code),
                level if level != "native" else vocab.CEFR_CHOICES[-1][1],
            )
            for code, level in (participant.languages or {}).items()
        ],
        "country": geography.country_name(participant.country_of_origin)
        if participant.country_of_origin
        else "",
        "sector": vocab.isco_html(participant.sector),
        "needs": lists.labels(Vocabulary.NEEDS, participant.needs),
        "offers": lists.labels(Vocabulary.SUPPORTS, participant.offers),
        "language": dict(settings.LANGUAGES).get(participant.language, participant.language),
        "gender": vocab.GENDERS.get(participant.gender, ""),
        "gender_preference": vocab.GENDER_PREFERENCES.get(participant.gender_preference, ""),
        "availability": availability_grid(participant.availability or []),
    }


def availability_grid(slots: list[str]) -> AvailabilityGrid:
    """Return the week as rows of (day label, [True/False per part of the day])."""
    chosen = set(slots)
    return {
        "parts": list(vocab.DAY_PARTS.values()),
        "rows": [
            (label, [f"{day}_{part}" in chosen for part in vocab.DAY_PARTS])
            for day, label in vocab.DAYS.items()
        ],
        "any": bool(chosen),
    }


def status_role_counts(programme: Programme) -> dict[tuple[str, str], int]:
    """Count a programme's participants per (status, role) in one aggregate query."""
    rows = (
        programme.participants.order_by()
        .values("status", "role")
        .annotate(n=Count("pk"))
        .values_list("status", "role", "n")
    )
    return {(status, role): n for status, role, n in rows}
