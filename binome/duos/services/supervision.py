"""Supervision: check-ins from both sides, alerts for the coordinator, follow-up calls and notes.

Alerts are derived state. `alerts_refresh` recomputes, for many duos at once, the causes that call
for an alert today and reconciles them with the stored alerts: a new cause opens one alert (unique
per duo, kind and key, so a resolved alert stays resolved while its cause is the same one), and an
open alert whose cause is gone is resolved automatically with a short explanation.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.core.audit import audit
from binome.duos.access import duo_sides
from binome.duos.models import Alert, CheckIn, Duo, Meeting, Side, SupervisionNote
from binome.duos.services.common import DuoError, entered_for, require_open
from binome.reference import cldr

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# An alert for silence opens when no meeting was held for this many expected intervals.
SILENCE_FACTOR = 1.5
# "Ends within 3 weeks".
ENDING_SOON_DAYS = 21
# The agreement should be signed by all within two weeks of the start.
UNSIGNED_AFTER_DAYS = 14
LOW_MOOD = 2
# What calls for an alert: its kind and what it is about (Alert.key).
Cause = tuple[str, str]

# Why an open alert was closed without a coordinator, in the instance's language (see _resolved).
AUTO_RESOLUTIONS: dict[str, StrOrPromise] = {
    Alert.Kind.NO_MEETING: gettext_lazy("Resolved automatically: a meeting was logged."),
    Alert.Kind.LOW_MOOD: gettext_lazy("Resolved automatically: a later check-in was better."),
    Alert.Kind.CALL_REQUESTED: gettext_lazy("Resolved automatically: a follow-up call was logged."),
    Alert.Kind.ENDING_SOON: gettext_lazy("Resolved automatically: the planned end changed."),
    Alert.Kind.UNSIGNED: gettext_lazy("Resolved automatically: the agreement is signed by all."),
}
CLOSED_RESOLUTION = gettext_lazy("Resolved automatically: the duo was closed.")


def _as_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


@transaction.atomic
def checkin_record(
    *,
    duo: Duo,
    side: str,
    actor: User,
    mood: int,
    comment: str = "",
    wants_call: bool = False,
    meeting: Meeting | None = None,
    channel: str = "",
    given_on: datetime.date | None = None,
) -> CheckIn:
    """Record one side's check-in on the duo, then refresh the duo's alerts.

    With a channel, a coordinator enters it for the side (given by phone, on paper, in person).
    """
    require_open(duo)
    if side not in Side.values:
        raise DuoError(_("Choose the mentor's or the mentee's side."))
    at = timezone.now()
    if channel:
        at = entered_for(duo=duo, side=side, actor=actor, channel=channel, given_on=given_on)
    elif side not in duo_sides(actor, duo):
        raise DuoError(_("Only the person concerned can answer this check-in."))
    if not isinstance(mood, int) or isinstance(mood, bool) or not 1 <= mood <= 5:
        raise DuoError(_("Choose how it is going, from 1 to 5."))
    if meeting is not None and meeting.duo_id != duo.pk:
        raise DuoError(_("This meeting is not one of this duo's meetings."))
    checkin = CheckIn(
        duo=duo,
        side=side,
        mood=mood,
        comment=(comment or "").strip(),
        wants_call=bool(wants_call),
        meeting=meeting,
        by=actor,
        channel=channel,
        created_at=at,
    )
    checkin.full_clean()
    checkin.save()
    # The mood and comment stay out of the audit detail: they may be sensitive.
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="checkin.record",
        target=checkin,
        side=side,
        channel=channel,
    )
    alerts_refresh(duos=[duo])
    return checkin


@transaction.atomic
def alert_resolve(*, alert: Alert, actor: User, resolution: str) -> Alert:
    """Close an open alert with what the coordinator did about it."""
    duo = alert.duo
    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the programme's coordinators can resolve alerts."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise DuoError(_("Say in a few words what was done."))
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor
    alert.resolution = resolution
    alert.full_clean()
    # Only while it is open: another coordinator, or the job when the cause went away, may
    # have resolved it since the page was loaded; their resolution stands.
    resolved = Alert.objects.filter(pk=alert.pk, resolved_at=None).update(
        resolved_at=alert.resolved_at, resolved_by=actor, resolution=resolution
    )
    if not resolved:
        raise DuoError(_("This alert is already resolved."))
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="alert.resolve",
        target=alert,
        kind=alert.kind,
    )
    return alert


@transaction.atomic
def supervision_note_add(
    *,
    duo: Duo,
    actor: User,
    kind: str,
    with_side: str,
    text: str,
    at: datetime.datetime | None = None,
) -> SupervisionNote:
    """Log a coordinator's follow-up call or note on a duo (never shown to its sides)."""
    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the programme's coordinators can log calls and notes."))
    if kind not in SupervisionNote.Kind.values:
        raise DuoError(_("Choose a call or a note."))
    if with_side not in ("", *Side.values):
        raise DuoError(_("Choose the mentor, the mentee or nobody in particular."))
    text = (text or "").strip()
    if not text:
        raise DuoError(_("Write what was said or noted."))
    now = timezone.now()
    at = at or now
    # A few minutes of slack for a clock that runs slightly ahead of the server's.
    if at > now + datetime.timedelta(minutes=5):
        raise DuoError(_("A call or note cannot be in the future."))
    if duo.started_on and timezone.localtime(at).date() < duo.started_on:
        raise DuoError(
            _("A call or note cannot be before the duo's start (%(start)s).")
            % {"start": cldr.format_date(duo.started_on, "medium")}
        )
    note = SupervisionNote(duo=duo, kind=kind, with_side=with_side, text=text, by=actor, at=at)
    note.full_clean()
    note.save()
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="supervision_note.add",
        target=note,
        kind=kind,
    )
    if kind == SupervisionNote.Kind.CALL:
        alerts_refresh(duos=[duo])
    return note


def _last_call(side: str) -> Subquery:
    """The time of the last follow-up call with this side (or with nobody in particular)."""
    calls = SupervisionNote.objects.filter(
        duo=OuterRef("pk"), kind=SupervisionNote.Kind.CALL, with_side__in=[side, ""]
    )
    return Subquery(calls.order_by("-at").values("at")[:1])


def _duo_facts(duo_ids: list[int] | None) -> QuerySet[Duo, Mapping[str, Any]]:
    """One query: what each duo's alert rules need (status, dates, rhythm, last meeting…)."""
    last_held = (
        Meeting.objects.filter(
            duo=OuterRef("pk"), status=Meeting.Status.HELD, starts_at__lte=timezone.now()
        )
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    queryset = Duo.objects.all()
    if duo_ids is not None:
        queryset = queryset.filter(pk__in=duo_ids)
    else:
        # Every open duo, and the closed ones that still have an open alert to resolve.
        still_open = Alert.objects.filter(duo=OuterRef("pk"), resolved_at__isnull=True)
        queryset = queryset.filter(Q(status__in=Duo.OPEN_STATUSES) | Exists(still_open))
    return queryset.annotate(
        expected_rhythm=Coalesce("meetings_per_month", "programme__meetings_per_month"),
        last_held_at=Subquery(last_held),
        last_call_mentor=_last_call(Side.MENTOR),
        last_call_mentee=_last_call(Side.MENTEE),
    ).values(
        "pk",
        "status",
        "started_on",
        "planned_end_on",
        "expected_rhythm",
        "paused_from",
        "paused_until",
        "agreement__frozen_at",
        "last_held_at",
        "last_call_mentor",
        "last_call_mentee",
    )


def _checkin_causes(
    open_ids: list[int], facts: dict[int, Mapping[str, Any]]
) -> dict[int, set[Cause]]:
    """Low moods and call requests still standing, per duo, from one query over check-ins."""
    causes: dict[int, set[Cause]] = defaultdict(set)
    rows = (
        CheckIn.objects.filter(duo_id__in=open_ids)
        .order_by("duo_id", "side", "-created_at", "-pk")
        .values_list("pk", "duo_id", "side", "mood", "wants_call", "created_at")
    )
    better_since: dict[tuple[int, str], bool] = {}
    for pk, duo_id, side, mood, wants_call, created_at in rows.iterator(chunk_size=2000):
        # Newest first per side: a low mood stands until the same side answers better.
        if mood <= LOW_MOOD and not better_since.get((duo_id, side)):
            causes[duo_id].add((Alert.Kind.LOW_MOOD, str(pk)))
        if mood > LOW_MOOD:
            better_since[(duo_id, side)] = True
        called = facts[duo_id][f"last_call_{side}"]
        if wants_call and (called is None or called < created_at):
            causes[duo_id].add((Alert.Kind.CALL_REQUESTED, str(pk)))
    return causes


def _state_causes(facts: Mapping[str, Any], today: datetime.date) -> set[Cause]:
    """The alerts a duo's dates, rhythm and agreement call for today."""
    causes: set[Cause] = set()
    started_on, planned_end_on = facts["started_on"], facts["planned_end_on"]
    if started_on is None or started_on > today:
        return causes
    per_month = float(facts["expected_rhythm"] or 0)
    paused_from, paused_until = facts["paused_from"], facts["paused_until"]
    paused = bool(paused_from and paused_until and paused_from <= today <= paused_until)
    if per_month > 0 and not paused:
        since = _as_date(facts["last_held_at"]) or started_on
        if paused_until and paused_until < today:
            # A break (illness, travel) is no silence: counted from its end.
            since = max(since, paused_until)
        # Counted up to the planned end: after it, the duo is overdue for closing, not silent.
        until = min(today, planned_end_on) if planned_end_on else today
        if (until - since).days > SILENCE_FACTOR * 30.0 / per_month:
            causes.add((Alert.Kind.NO_MEETING, since.isoformat()))
    signed = facts["agreement__frozen_at"] is not None
    if not signed and (today - started_on).days >= UNSIGNED_AFTER_DAYS:
        causes.add((Alert.Kind.UNSIGNED, ""))
    # Also once the planned end has passed: the duo is then waiting to be closed.
    active = facts["status"] == Duo.Status.ACTIVE
    if active and planned_end_on and (planned_end_on - today).days <= ENDING_SOON_DAYS:
        causes.add((Alert.Kind.ENDING_SOON, planned_end_on.isoformat()))
    return causes


@transaction.atomic
def alerts_refresh(*, duos: Iterable[Duo] | None = None, today: datetime.date | None = None) -> int:
    """Open the alerts today's causes call for, resolve those whose cause is gone; return opened."""
    today = today or timezone.localdate()
    now = timezone.now()
    duo_ids = None if duos is None else [duo.pk for duo in duos]
    facts = {row["pk"]: row for row in _duo_facts(duo_ids)}
    open_ids = [pk for pk, row in facts.items() if row["status"] in Duo.OPEN_STATUSES]
    wanted: dict[int, set[Cause]] = _checkin_causes(open_ids, facts)
    for pk in open_ids:
        wanted[pk] |= _state_causes(facts[pk], today)

    existing = Alert.objects.filter(duo_id__in=list(facts)).values_list(
        "pk", "duo_id", "kind", "key", "resolved_at"
    )
    known: dict[int, set[Cause]] = defaultdict(set)
    to_resolve: dict[str, list[int]] = defaultdict(list)
    for pk, duo_id, kind, key, resolved_at in existing.iterator(chunk_size=2000):
        known[duo_id].add((kind, key))
        if resolved_at is not None or (kind, key) in wanted.get(duo_id, ()):
            continue
        closed = facts[duo_id]["status"] == Duo.Status.CLOSED
        to_resolve["closed" if closed else kind].append(pk)

    new = [
        Alert(duo_id=duo_id, kind=kind, key=key, opened_at=now)
        for duo_id, causes in wanted.items()
        for kind, key in sorted(causes)
        if (kind, key) not in known[duo_id]
    ]
    # A concurrent refresh may have opened the same alert: the unique cause lets it win quietly.
    Alert.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    _resolve_automatically(to_resolve, now)
    return len(new)


def _resolve_automatically(to_resolve: dict[str, list[int]], now: datetime.datetime) -> None:
    # Stored text, read later by any coordinator: written in the instance's language.
    with translation.override(settings.LANGUAGE_CODE):
        for reason, pks in to_resolve.items():
            text = str(CLOSED_RESOLUTION if reason == "closed" else AUTO_RESOLUTIONS[reason])
            for start in range(0, len(pks), 500):
                Alert.objects.filter(pk__in=pks[start : start + 500], resolved_at=None).update(
                    resolved_at=now, resolution=text
                )
