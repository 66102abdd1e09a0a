"""Meetings of a duo (held or planned) and the visits of city-to-city duos."""

import datetime
from collections.abc import Mapping
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.models import AuditEvent
from binome.duos.models import METHOD_STEPS, Duo, Meeting, Visit
from binome.duos.periods import duo_expected_meetings
from binome.duos.services.common import DuoError, field_label, require_in_period, require_open
from binome.duos.services.plan import EditConflict, conflict_message, user_name
from binome.duos.services.supervision import alerts_refresh
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.reference import cldr

THEMES, SUPPORTS = Vocabulary.THEMES, Vocabulary.SUPPORTS

# What a party may write on a meeting; staff may also write private_notes.
CONTENT_FIELDS = (
    "starts_at",
    "duration_minutes",
    "mode",
    "place",
    "themes",
    "supports",
    "method_notes",
    "shared_notes",
)
STAFF_FIELDS = ("private_notes",)


class MeetingFields(TypedDict, total=False):
    """The content of a meeting as a save gives it (CONTENT_FIELDS, and STAFF_FIELDS for staff)."""

    starts_at: datetime.datetime
    duration_minutes: int
    mode: str
    place: str
    themes: list[str]
    supports: list[str]
    method_notes: dict[str, str]
    shared_notes: str
    private_notes: str


class MeetingsSummary(TypedDict):
    held: int
    expected: int | None
    next: Meeting | None


# City-to-city programmes expect these visits per host side (seed 002: 2 in the mentee city,


def uses_method(programme: Programme) -> bool:
    """Whether meetings take the there/here/comparison/verification/conclusion notes.

    On by default for intercultural programmes; any programme may switch it on (or off).
    """
    return programme.uses_intercultural_method()


def _allowed_fields(fields: Mapping[str, object], *, staff: bool) -> None:
    unknown = set(fields) - set(CONTENT_FIELDS) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"not meeting fields: {sorted(unknown)}")
    if not staff and set(fields) & set(STAFF_FIELDS):
        # Private notes are the coordinators' alone: a party may neither write nor erase them.
        raise DuoError(_("Only coordinators can write private notes."))


def _clean_content(
    duo: Duo, fields: MeetingFields, *, current: Meeting | None = None
) -> MeetingFields:
    """Check the lists against the programme's vocabularies and normalise place and notes."""
    programme = duo.programme
    lists = vocabulary_of(programme)
    if "themes" in fields:
        fields["themes"] = list(fields["themes"] or [])
        held = current.themes if current else None
        if any(not lists.knows_or_ships(THEMES, t) for t in fields["themes"]):
            raise DuoError(_("Choose themes among the programme's themes."))
        refused = lists.refuse_retired(THEMES, fields["themes"], held)
        if refused:
            raise DuoError({"themes": refused})
    if "supports" in fields:
        fields["supports"] = list(fields["supports"] or [])
        held = current.supports if current else None
        if any(not lists.knows_or_ships(SUPPORTS, code) for code in fields["supports"]):
            raise DuoError(_("Choose kinds of support among those offered."))
        refused = lists.refuse_retired(SUPPORTS, fields["supports"], held)
        if refused:
            raise DuoError({"supports": refused})
    if "mode" in fields:
        held_mode = current.mode if current else None
        refused = lists.refuse_retired(Vocabulary.MEETING_MODES, [fields["mode"]], held_mode)
        if refused and lists.knows(Vocabulary.MEETING_MODES, fields["mode"]):
            raise DuoError({"mode": refused})
    if "method_notes" in fields:
        notes = {k: (v or "").strip() for k, v in (fields["method_notes"] or {}).items()}
        if set(notes) - set(METHOD_STEPS):
            raise DuoError(_("Unknown step of the intercultural method."))
        notes = {k: v for k, v in notes.items() if v}
        if notes and not uses_method(programme):
            raise DuoError(_("This programme does not use the intercultural method notes."))
        fields["method_notes"] = notes
    mode = fields.get("mode", current.mode if current else Meeting.Mode.IN_PERSON)
    if mode != Meeting.Mode.IN_PERSON and "mode" in fields:
        # A video meeting happens in the duo's room, a phone call nowhere: no stale address.
        fields["place"] = ""
    return fields


def _check_held(duo: Duo, starts_at: datetime.datetime) -> None:
    if starts_at > timezone.now():
        raise DuoError(
            _(
                "A meeting in the future cannot be logged as held: plan it instead, "
                "or check the date and time."
            )
        )
    day = timezone.localdate(starts_at)
    if duo.started_on and day < duo.started_on:
        raise DuoError(
            _("The meeting cannot be before the duo's start (%(start)s).")
            % {"start": cldr.format_date(duo.started_on, "medium")}
        )


def _check_planned(duo: Duo, starts_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise DuoError(
            _("A planned meeting must be in the future: log it as held if it took place.")
        )
    require_in_period(duo, timezone.localdate(starts_at), label=_("The meeting"))


def _create(
    *, duo: Duo, actor: User | None, staff: bool, status: str, fields: MeetingFields
) -> Meeting:
    _allowed_fields(fields, staff=staff)
    require_open(duo)
    if fields.get("starts_at") is None:
        raise DuoError(_("Give the date and time of the meeting."))
    if status == Meeting.Status.HELD:
        _check_held(duo, fields["starts_at"])
    else:
        _check_planned(duo, fields["starts_at"])
    fields = _clean_content(duo, fields)
    meeting = Meeting(
        duo=duo,
        status=status,
        logged_by=actor if getattr(actor, "is_authenticated", False) else None,
        version=1,
        **fields,
    )
    meeting.full_clean()
    meeting.save()
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action=f"meeting.{'log' if status == Meeting.Status.HELD else 'plan'}",
        target=meeting,
        duo=duo.pk,
    )
    # A held meeting ends a "no meeting" alert at once, not at the next background run.
    alerts_refresh(duos=[duo])
    return meeting


@transaction.atomic
def meeting_log(
    *, duo: Duo, actor: User | None, staff: bool = False, **fields: Unpack[MeetingFields]
) -> Meeting:
    """Log a meeting that took place (not in the future, not before the duo's start)."""
    return _create(duo=duo, actor=actor, staff=staff, status=Meeting.Status.HELD, fields=fields)


@transaction.atomic
def meeting_plan(
    *, duo: Duo, actor: User | None, staff: bool = False, **fields: Unpack[MeetingFields]
) -> Meeting:
    """Plan the next meeting (in the future, before the duo's planned end)."""
    return _create(duo=duo, actor=actor, staff=staff, status=Meeting.Status.PLANNED, fields=fields)


def _differing(meeting: Meeting, fields: MeetingFields) -> list[str]:
    """Labels of the fields whose saved value now differs from the user's input."""
    return [
        str(field_label(Meeting, name))
        for name, value in fields.items()
        if getattr(meeting, name) != value
    ]


def last_editor(meeting: Meeting) -> str:
    """The name of whoever saved the meeting last, from the audit log."""
    event = (
        AuditEvent.objects.filter(target_type="duos.meeting", target_id=str(meeting.pk))
        .exclude(actor=None)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return user_name(event.actor) if event else ""


def _require_version(locked: Meeting, expected_version: int | None, fields: MeetingFields) -> None:
    if locked.version == expected_version:
        return
    by = last_editor(locked)
    # Compared as they would be saved (empty method steps dropped, lists normalised), so only
    # what the other person really changed is named.
    try:
        compared = _clean_content(locked.duo, fields.copy(), current=locked)
    except DuoError:
        compared = fields
    changed = _differing(locked, compared)
    raise EditConflict(
        conflict_message(what=_("meeting"), by=by, changed=changed),
        current_version=locked.version,
        changed=changed,
        by=by,
    )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    actor: User | None,
    expected_version: int | None,
    staff: bool = False,
    held: bool = False,
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Save an edited meeting (held=True marks a planned one as held), refusing stale versions."""
    _allowed_fields(fields, staff=staff)
    duo = meeting.duo
    require_open(duo)  # locks the duo first, in the order a closure locks
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_version(locked, expected_version, fields)
    if locked.status == Meeting.Status.CANCELLED:
        raise DuoError(_("This meeting was cancelled: plan a new one instead."))
    status = Meeting.Status.HELD if held else locked.status
    starts_at = fields.get("starts_at", locked.starts_at)
    if status != locked.status or starts_at != locked.starts_at:
        if status == Meeting.Status.HELD:
            _check_held(duo, starts_at)
        else:
            _check_planned(duo, starts_at)
    fields = _clean_content(duo, fields, current=locked)
    # The history names what this save really changed, not every field the form sent.
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = status
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*fields, "status", "version", "updated_at"])
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="meeting.update",
        target=locked,
        duo=duo.pk,
        version=locked.version,
        fields=changed,
    )
    alerts_refresh(duos=[duo])
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, actor: User | None, expected_version: int | None = None
) -> Meeting:
    """Cancel a planned meeting; the row stays so that the calendar update can say so."""
    require_open(meeting.duo)  # locks the duo first, in the order a closure locks
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(
            conflict_message(what=_("meeting"), by="", changed=[]),
            current_version=locked.version,
            changed=[],
        )
    if locked.status != Meeting.Status.PLANNED:
        raise DuoError(_("Only a planned meeting can be cancelled."))
    locked.status = Meeting.Status.CANCELLED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit(
        actor=actor,
        organisation=meeting.duo.programme.organisation,
        action="meeting.cancel",
        target=locked,
        duo=meeting.duo_id,
    )
    meeting.refresh_from_db()
    return meeting


def last_mode(duo: Duo) -> str:
    """The mode of the duo's latest meeting, so that the next one is one tap away."""
    latest = (
        duo.meetings.exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at", "-pk")
        .values_list("mode", flat=True)
        .first()
    )
    return latest or Meeting.Mode.IN_PERSON


def meetings_summary(duo: Duo) -> MeetingsSummary:
    """Held meetings vs the rhythm's expectation, and the next planned meeting."""
    now = timezone.now()
    held = duo.meetings.filter(status=Meeting.Status.HELD).count()
    upcoming = duo.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gte=now)
    return {
        "held": held,
        "expected": duo_expected_meetings(duo),
        "next": upcoming.order_by("starts_at", "pk").first(),
    }


# Visits of city-to-city duos ------------------------------------------------------------------


def require_city_to_city(duo: Duo) -> None:
    if duo.programme.kind != Programme.Kind.CITY_TO_CITY:
        raise DuoError(_("Visits belong to city-to-city programmes."))


@transaction.atomic
def visit_log(
    *,
    duo: Duo,
    actor: User | None,
    host: str,
    city: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    mentee_attendees: str = "",
    mentor_attendees: str = "",
    agenda: str = "",
    outcomes: str = "",
) -> Visit:
    """Record a visit between the two cities of a city-to-city duo."""
    require_city_to_city(duo)
    require_open(duo)
    if ends_on < starts_on:
        raise DuoError(_("The last day of the visit cannot be before its first day."))
    require_in_period(duo, starts_on, label=_("The visit"))
    require_in_period(duo, ends_on, label=_("The visit"))
    visit = Visit(
        duo=duo,
        host=host,
        city=city.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        mentee_attendees=mentee_attendees,
        mentor_attendees=mentor_attendees,
        agenda=agenda,
        outcomes=outcomes,
        logged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    visit.full_clean()
    visit.save()
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="visit.log",
        target=visit,
        duo=duo.pk,
    )
    return visit


class VisitFields(TypedDict, total=False):
    """What a correction of a visit may change: the visit form's fields."""

    host: str
    city: str
    starts_on: datetime.date
    ends_on: datetime.date
    mentee_attendees: str
    mentor_attendees: str
    agenda: str
    outcomes: str


@transaction.atomic
def visit_update(
    *, visit: Visit, actor: User | None, expected_version: int, **fields: Unpack[VisitFields]
) -> Visit:
    """Correct a recorded visit, refusing a stale form; each save's fields go to its history."""
    duo = visit.duo
    require_city_to_city(duo)
    require_open(duo)  # locks the duo first, in the order a closure locks
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.version != expected_version:
        event = (
            AuditEvent.objects.filter(target_type="duos.visit", target_id=str(locked.pk))
            .exclude(actor=None)
            .select_related("actor")
            .order_by("-at", "-pk")
            .first()
        )
        by = user_name(event.actor) if event else ""
        changed = [
            str(field_label(Visit, name))
            for name, value in fields.items()
            if getattr(locked, name) != value
        ]
        raise EditConflict(
            conflict_message(what=_("visit"), by=by, changed=changed),
            current_version=locked.version,
            changed=changed,
            by=by,
        )
    starts_on = fields.get("starts_on", locked.starts_on)
    ends_on = fields.get("ends_on", locked.ends_on)
    if ends_on < starts_on:
        raise DuoError({"ends_on": _("The last day of the visit cannot be before its first day.")})
    require_in_period(duo, starts_on, label=_("The visit"))
    require_in_period(duo, ends_on, label=_("The visit"))
    if "city" in fields:
        fields["city"] = fields["city"].strip()
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, fields[name])  # type: ignore[literal-required]
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*changed, "version"])
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="visit.update",
        target=locked,
        duo=duo.pk,
        version=locked.version,
        fields=changed,
    )
    return locked


class HistoryEntry(TypedDict):
    at: datetime.datetime
    by: str
    action: str
    fields: list[str]


def record_history(record: Meeting | Visit, *, staff: bool) -> list[HistoryEntry]:
    """Who recorded and corrected a meeting or a visit, when, and which fields (newest first)."""
    hidden = set() if staff else {"private_notes"}
    model = type(record)
    events = (
        AuditEvent.objects.filter(target_type=model._meta.label_lower, target_id=str(record.pk))
        .select_related("actor")
        .order_by("-at", "-pk")[:50]
    )
    labels = {f.name: str(f.verbose_name) for f in model._meta.concrete_fields}
    return [
        {
            "at": event.at,
            "by": user_name(event.actor) if event.actor else "",
            "action": event.action.split(".")[-1],
            "fields": [
                labels.get(name, name)
                for name in event.detail.get("fields", [])
                if name not in hidden
            ],
        }
        for event in events
    ]
