"""Reads of an organisation's audit trail, for an organisation its caller may already read."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.duos.models import Duo
from binome.matching.models import Proposal
from binome.people.models import Consent, Participant
from binome.privacy.actions import action_label
from binome.programmes.models import Organisation

PARTICIPANT = "people.participant"


@dataclass(frozen=True)
class AuditFilters:
    """What the reader narrowed the trail to; every field empty means the whole trail."""

    person: int | None = None  # a participant's id
    name: str = ""  # words of a participant's name
    staff: int | None = None  # a user's id
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def used(self) -> list[str]:
        """Return the names of the filters that narrow the trail."""
        return [field.name for field in fields(self) if getattr(self, field.name)]


@dataclass(frozen=True)
class AuditRow:
    """One event as the screen and the export show it: names, words and keys, no values."""

    at: datetime.datetime
    actor: str  # "" for the system (no account: a job, a link without a login)
    action: str
    action_label: str
    target_type: str
    target_label: str
    target_id: str
    participant: Participant | None
    detail_keys: list[str]


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first instant of the day in the active time zone (a date typed is a local date)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_text(queryset: QuerySet[Any]) -> QuerySet[Any]:
    # target_id is text (ids of any model): compare it with ids cast to text, in one subquery.
    ids: QuerySet[Any] = queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")
    return ids


def _about_people(people: QuerySet[Participant]) -> Q:
    """Events about these people: their record, and the consents, duos and proposals naming them."""
    consents = Consent.objects.filter(participant__in=people)
    duos = Duo.objects.filter(Q(mentor__in=people) | Q(mentee__in=people))
    proposals = Proposal.objects.filter(Q(mentor__in=people) | Q(mentee__in=people))
    return (
        Q(target_type=PARTICIPANT, target_id__in=_as_text(people))
        | Q(target_type="people.consent", target_id__in=_as_text(consents))
        | Q(target_type="duos.duo", target_id__in=_as_text(duos))
        | Q(target_type="matching.proposal", target_id__in=_as_text(proposals))
    )


def _people_named(people: QuerySet[Participant], text: str) -> QuerySet[Participant]:
    """Keep the people whose first, last or team name holds every word of the text."""
    for word in text.split()[:6]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(team_name__icontains=word)
        )
    return people


def audit_events(*, organisation: Organisation, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Return the organisation's events, newest first, narrowed by the filters."""
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if filters.person is not None or filters.name:
        # People of THIS organisation only: an id or a name from elsewhere matches nobody.
        people = Participant.objects.filter(programme__organisation=organisation)
        if filters.person is not None:
            people = people.filter(pk=filters.person)
        if filters.name:
            people = _people_named(people, filters.name)
        events = events.filter(_about_people(people))
    if filters.staff is not None:
        events = events.filter(actor_id=filters.staff)
    if filters.action:
        events = events.filter(action=filters.action)
    # The first and last days a date holds (0001-01-01, 9999-12-31) bound nothing, and their
    # edges in UTC, or the day after the last, fall outside what a datetime holds.
    if filters.date_from and filters.date_from > datetime.date.min:
        events = events.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to and filters.date_to < datetime.date.max:
        events = events.filter(at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return events.order_by("-at", "-pk")


def audit_actions(*, organisation: Organisation) -> list[str]:
    """Return the action codes present in the organisation's trail."""
    codes = AuditEvent.objects.filter(organisation=organisation).values_list("action", flat=True)
    return sorted(set(codes.order_by().distinct()))


def organisation_staff(*, organisation: Organisation) -> QuerySet[User]:
    """Return the users who are members of the organisation, whatever their role."""
    return User.objects.filter(memberships__organisation=organisation).order_by("full_name", "pk")


def organisation_participant(
    *, organisation: Organisation, participant_id: int
) -> Participant | None:
    """Return a participant of the organisation, or None (missing or someone else's)."""
    return (
        Participant.objects.filter(programme__organisation=organisation, pk=participant_id)
        .only("pk", "programme_id", "kind", "first_name", "last_name", "team_name")
        .first()
    )


def participants_by_id(*, organisation: Organisation, ids: Iterable[str]) -> dict[str, Participant]:
    """Return the organisation's participants of these ids (as text), keyed so, in one query."""
    numbers = {int(value) for value in ids if value.isascii() and value.isdigit()}
    if not numbers:
        return {}
    people = Participant.objects.filter(programme__organisation=organisation, pk__in=numbers).only(
        "pk", "programme_id", "kind", "first_name", "last_name", "team_name"
    )
    return {str(person.pk): person for person in people}


def _target_label(target_type: str) -> str:
    """The model's name in the active language (no query), or the code of a model gone."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name)


def audit_rows(*, organisation: Organisation, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Turn events into rows, with the participants' names loaded in one query."""
    events = list(events)
    people = participants_by_id(
        organisation=organisation,
        ids=[event.target_id for event in events if event.target_type == PARTICIPANT],
    )
    return [
        AuditRow(
            at=event.at,
            actor=str(event.actor) if event.actor else "",
            action=event.action,
            action_label=action_label(event.action),
            target_type=event.target_type,
            target_label=_target_label(event.target_type),
            target_id=event.target_id,
            participant=people.get(event.target_id) if event.target_type == PARTICIPANT else None,
            # The keys only: what was recorded, never a value, even one thought harmless.
            detail_keys=sorted(event.detail) if isinstance(event.detail, dict) else [],
        )
        for event in events
    ]
