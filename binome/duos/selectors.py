"""Reads on duos, scoped to the acting user, with query counts that do not grow with the rows.

Two families: the supervision board and a duo's health (for coordinators), and the duo page and
"My duo" (the duo's two faces). The party face reads through `party_page`, which never loads what
is for coordinators only (private meeting notes, supervision notes, outcome notes, alerts'
resolutions, the other side's check-in comments): what is not fetched cannot leak into a template.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from binome.duos import access
from binome.duos.models import (
    EXPECTED_VISITS,
    METHOD_STEPS,
    SIDES,
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    FollowUpAnswer,
    Meeting,
    Objective,
    Side,
    Signature,
    SupervisionNote,
    Visit,
)
from binome.duos.periods import expected_meetings
from binome.people.invitations import can_log_in
from binome.programmes.access import programmes_for
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import Named, vocabulary_of

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from binome.people.models import Participant

SORTS = ("health", "last_meeting", "end", "name")
RECENT_MEETINGS = 5
RECENT_NOTES = 10
RECENT_CHECKINS = 6
# A city-to-city programme expects three visits: two hosted by the mentee city, one by the mentor.
# Fields a mentor or mentee may read on a meeting; private_notes is deliberately absent.
PARTY_MEETING_FIELDS = ["pk", "duo_id", "status", "starts_at", "duration_minutes", "mode", "place"]


class AlertBadge(TypedDict):
    """Open alerts of one kind on a board row: one label with a count."""

    kind: str
    label: StrOrPromise
    count: int


class BoardRow(TypedDict):
    """One duo on the supervision board, with its health."""

    pk: int
    mentor: str
    mentee: str
    programme: str
    programme_id: int
    status: str
    status_label: StrOrPromise
    is_closed: bool
    started_on: datetime.date | None
    planned_end_on: datetime.date | None
    closed_on: datetime.date | None
    last_meeting: datetime.date | None
    days_since_meeting: int | None
    done: int
    expected: int | None
    behind: bool
    mood_mentor: int | None
    mood_mentee: int | None
    alerts: list[AlertBadge]
    days_to_end: int | None
    days_past_end: int
    silence: float


class AgreementSummary(TypedDict):
    agreement: Agreement | None
    signatures: dict[str, Signature]
    parties: list[tuple[str, StrOrPromise, Signature | None]]
    signed_by_all: bool


class PlanSummary(TypedDict):
    total: int
    achieved: int
    in_progress: int
    planned: int


class Contact(TypedDict):
    """Whom a duo's sides write to: the acting coordinator, else the organisation."""

    name: str
    email: str
    organisation: str
    organisation_email: str
    phone: str


class HealthSummary(TypedDict):
    held: int
    expected: int
    behind: bool
    last_held: datetime.date | None
    days_since_last: int | None
    last_mood: list[tuple[str, CheckIn | None]]
    open_alerts: list[Alert]
    days_to_end: int | None


class ClosureFacts(TypedDict):
    close_reason: Named | None
    outcomes: list[Named]
    feedback: list[tuple[str, ClosingFeedback | None]]
    follow_up: FollowUp | None
    follow_up_answers: list[tuple[str, FollowUpAnswer | None]]


class VisitSlot(TypedDict):
    host: str
    visit: Visit | None
    done: bool


class VisitsProgress(TypedDict):
    expected: dict[str, int]
    done: dict[str, int]
    planned: dict[str, int]
    slots: list[VisitSlot]
    extra: list[VisitSlot]
    total_expected: int
    total_done: int
    complete: bool


def _last_held() -> Subquery:
    held = Meeting.objects.filter(
        duo=OuterRef("pk"), status=Meeting.Status.HELD, starts_at__lte=timezone.now()
    )
    return Subquery(held.order_by("-starts_at").values("starts_at")[:1])


def _held_count() -> Subquery:
    held = Meeting.objects.filter(duo=OuterRef("pk"), status=Meeting.Status.HELD)
    return Subquery(held.values("duo").annotate(n=Count("pk")).values("n")[:1])


def _last_mood(side: str) -> Subquery:
    answers = CheckIn.objects.filter(duo=OuterRef("pk"), side=side)
    return Subquery(answers.order_by("-created_at", "-pk").values("mood")[:1])


def _open_alerts() -> QuerySet[Alert]:
    return Alert.objects.filter(resolved_at__isnull=True)


def _search(queryset: QuerySet[Duo], text: str) -> QuerySet[Duo]:
    """Keep duos where every word appears in the mentor's or the mentee's name or team."""
    for word in text.split()[:6]:
        condition = Q()
        for side in Side.values:
            for field in ("first_name", "last_name", "team_name"):
                condition |= Q(**{f"{side}__{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def board_queryset(user: object, filters: dict[str, Any] | None = None) -> QuerySet[Duo]:
    """Return the duos of the programmes the user coordinates, filtered (not yet annotated)."""
    filters = filters or {}
    queryset = Duo.objects.filter(programme__in=programmes_for(user))
    if filters.get("programme"):
        queryset = queryset.filter(programme_id=filters["programme"])
    status = filters.get("status") or "open"
    if status == "open":
        queryset = queryset.filter(status__in=Duo.OPEN_STATUSES)
    elif status != "all":
        queryset = queryset.filter(status=status)
    if filters.get("alerts") or filters.get("kind"):
        alerts = _open_alerts().filter(duo=OuterRef("pk"))
        if filters.get("kind"):
            alerts = alerts.filter(kind=filters["kind"])
        queryset = queryset.filter(Exists(alerts))
    if filters.get("follow_up") == "due":
        due = FollowUp.objects.filter(
            duo=OuterRef("pk"), due_on__lte=timezone.localdate(), answers__isnull=True
        )
        queryset = queryset.filter(Exists(due))
    if filters.get("q"):
        queryset = _search(queryset, filters["q"])
    return queryset.order_by()


# Plain values, not model instances: building 2,000 duos with their two participants' JSON
# profiles costs more than the whole query, and a health row needs none of it.
_ROW_FIELDS = (
    "pk",
    "status",
    "started_on",
    "planned_end_on",
    "closed_on",
    "programme_id",
    "programme__name",
    "expected_rhythm",
    *(
        f"{side}__{field}"
        for side in Side.values
        for field in ("kind", "first_name", "last_name", "team_name")
    ),
    "last_held_at",
    "held_count",
    "mood_mentor",
    "mood_mentee",
)


def _health_values(queryset: QuerySet[Duo]) -> list[dict[str, Any]]:
    """Fetch what the health rows show: one query for the duos, one for their open alerts."""
    values = list(
        queryset.annotate(
            expected_rhythm=Coalesce("meetings_per_month", "programme__meetings_per_month"),
            last_held_at=_last_held(),
            held_count=_held_count(),
            mood_mentor=_last_mood(Side.MENTOR),
            mood_mentee=_last_mood(Side.MENTEE),
        ).values(*_ROW_FIELDS)
    )
    alerts: dict[int, list[AlertBadge]] = {}
    open_alerts = (
        _open_alerts()
        .filter(duo__in=queryset.values("pk"))
        .order_by("kind", "opened_at", "pk")
        .values_list("duo_id", "kind")
    )
    for duo_id, kind in open_alerts:
        same = alerts.setdefault(duo_id, [])
        # Two low moods in a row read as one label with a count, not a wall of badges.
        if same and same[-1]["kind"] == kind:
            same[-1]["count"] += 1
        else:
            same.append({"kind": kind, "label": Alert.Kind(kind).label, "count": 1})
    for value in values:
        value["alerts"] = alerts.get(value["pk"], [])
    return values


def _name(value: dict[str, Any], side: str) -> str:
    if value[f"{side}__kind"] == "team":
        team: str = value[f"{side}__team_name"]
        return team
    return f"{value[f'{side}__first_name']} {value[f'{side}__last_name']}".strip()


def _row(value: dict[str, Any], today: datetime.date) -> BoardRow:
    last_held = timezone.localtime(value["last_held_at"]).date() if value["last_held_at"] else None
    per_month = value["expected_rhythm"]
    expected = expected_meetings(
        started_on=value["started_on"],
        planned_end_on=value["planned_end_on"],
        closed_on=value["closed_on"],
        per_month=per_month,
        today=today,
    )
    done = value["held_count"] or 0
    planned_end_on = value["planned_end_on"]
    days_to_end = (planned_end_on - today).days if planned_end_on else None
    per_month = float(per_month or 0)
    since = last_held or value["started_on"]
    closed = value["status"] == Duo.Status.CLOSED
    # How many expected intervals have passed without a meeting: the board's notion of "late".
    silence = (today - since).days * per_month / 30.0 if since and per_month > 0 else 0.0
    return {
        "pk": value["pk"],
        "mentor": _name(value, Side.MENTOR),
        "mentee": _name(value, Side.MENTEE),
        "programme": value["programme__name"],
        "programme_id": value["programme_id"],
        "status": value["status"],
        "status_label": Duo.Status(value["status"]).label,
        "is_closed": closed,
        "started_on": value["started_on"],
        "planned_end_on": planned_end_on,
        "closed_on": value["closed_on"],
        "last_meeting": last_held,
        "days_since_meeting": (today - last_held).days if last_held else None,
        "done": done,
        "expected": expected,
        "behind": expected is not None and done < expected,
        "mood_mentor": value["mood_mentor"],
        "mood_mentee": value["mood_mentee"],
        "alerts": value["alerts"],
        "days_to_end": days_to_end,
        "days_past_end": max(0, -(days_to_end or 0)),
        "silence": 0.0 if closed else silence,
    }


def _sort_key(sort: str) -> Callable[[BoardRow], tuple[Any, ...]]:
    far = datetime.date.max
    if sort == "last_meeting":
        # Longest silence first: never met, then the oldest last meeting.
        return lambda row: (
            row["is_closed"],
            row["last_meeting"] is not None,
            row["last_meeting"] or far,
        )
    if sort == "end":
        return lambda row: (row["days_to_end"] is None, row["days_to_end"] or 0, row["pk"])
    if sort == "name":
        return lambda row: (row["mentor"].casefold(), row["mentee"].casefold(), row["pk"])
    return lambda row: (
        row["is_closed"],
        -sum(alert["count"] for alert in row["alerts"]),
        -row["silence"],
        row["done"] - (row["expected"] or 0),
        row["pk"],
    )


def board_rows(
    user: object, filters: dict[str, Any] | None = None, *, today: datetime.date | None = None
) -> list[BoardRow]:
    """Return one dict per duo the user supervises, sorted as asked (health first by default)."""
    filters = filters or {}
    today = today or timezone.localdate()
    rows = [_row(value, today) for value in _health_values(board_queryset(user, filters))]
    sort = filters.get("sort") or "health"
    rows.sort(key=_sort_key(sort if sort in SORTS else "health"))
    return rows


def duo_health(
    duo: Duo, *, side: str | None = None, today: datetime.date | None = None
) -> BoardRow:
    """Return a duo's last meeting, meetings done vs expected, last moods and open alerts.

    For a mentor's or mentee's page pass their side: they get their own last mood only and no
    alerts (alerts and the other side's mood are for coordinators).
    """
    today = today or timezone.localdate()
    [value] = _health_values(Duo.objects.filter(pk=duo.pk))
    row = _row(value, today)
    if side is not None:
        row["mood_mentor" if side == Side.MENTEE else "mood_mentee"] = None
        row["alerts"] = []
    return row


def duo_checkins(duo: Duo) -> QuerySet[CheckIn]:
    """Every check-in of the duo, newest first, with comments: for coordinators only."""
    return duo.checkins.select_related("meeting").order_by("-created_at", "-pk")


def duo_alerts(duo: Duo) -> QuerySet[Alert]:
    """The duo's alerts, open ones first, then the resolved ones newest first."""
    return duo.alerts.select_related("resolved_by").order_by(
        F("resolved_at").desc(nulls_first=True), "-opened_at", "-pk"
    )


def duo_supervision_notes(duo: Duo) -> QuerySet[SupervisionNote]:
    """The coordinators' log of calls and notes on the duo, newest first."""
    return duo.supervision_notes.select_related("by").order_by("-at", "-pk")


def duo_meeting(duo: Duo, meeting_id: int) -> Meeting | None:
    """Return one of the duo's own meetings, or None (a meeting of another duo is not found)."""
    return duo.meetings.filter(pk=meeting_id).first()


def duo_visit(duo: Duo, visit_id: int) -> Visit | None:
    """Return one of the duo's own visits, or None."""
    return duo.visits.filter(pk=visit_id).first()


def duo_alert(duo: Duo, alert_id: int) -> Alert | None:
    """Return one of the duo's own alerts, or None."""
    return duo.alerts.filter(pk=alert_id).first()


# --------------------------------------------------------------------------------------------
# Which duos
# --------------------------------------------------------------------------------------------


def own_duo_list(user: object) -> list[Duo]:
    """Return the user's duos as a mentor, mentee or team representative: open ones first."""
    duos = list(access.own_duos(user).order_by("-started_on", "-pk"))
    return sorted(duos, key=lambda duo: duo.status == Duo.Status.CLOSED)


def has_own_duo(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Tell whether the menu should offer "My duo"; remembered on the user for the request."""
    if not user.is_authenticated:
        return False
    cached: bool | None = getattr(user, "_binome_has_duo", None)
    if cached is None:
        cached = access.own_duos(user).exists()
        user._binome_has_duo = cached  # type: ignore[attr-defined]  # a cache for this request
    return cached


def open_duos_of(participant: Participant) -> list[Duo]:
    """Return the open duos of a participant (a mentor may hold several seats)."""
    return list(
        Duo.objects.filter(status__in=Duo.OPEN_STATUSES)
        .filter(Q(mentor=participant) | Q(mentee=participant))
        .select_related("mentor", "mentee")
        .order_by("-started_on", "-pk")
    )


# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------


def _meeting_counts(duo: Duo) -> dict[str, Any]:
    held = Q(status=Meeting.Status.HELD)
    return Meeting.objects.filter(duo=duo).aggregate(
        held=Count("pk", filter=held), last_held=Max("starts_at", filter=held)
    )


def _next_meeting(duo: Duo, *, fields: list[str] | None = None) -> Meeting | None:
    upcoming = Meeting.objects.filter(
        duo=duo, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    if fields:
        upcoming = upcoming.only(*fields)
    return upcoming.first()


def _agreement(duo: Duo) -> AgreementSummary:
    """Return the agreement and who has signed it, party by party."""
    agreement = Agreement.objects.filter(duo=duo).first()
    signatures: dict[str, Signature] = {}
    if agreement is not None:
        signatures = {
            signature.party: signature
            for signature in Signature.objects.filter(agreement=agreement).defer("text_hash")
        }
    parties: list[tuple[str, StrOrPromise, Signature | None]] = [
        (party, label, signatures.get(party)) for party, label in Signature.Party.choices
    ]
    return {
        "agreement": agreement,
        "signatures": signatures,
        "parties": parties,
        "signed_by_all": bool(agreement and agreement.frozen_at),
    }


def _objectives(duo: Duo) -> list[Objective]:
    objectives = list(
        Objective.objects.filter(duo=duo).only(
            "pk", "duo_id", "title", "need", "status", "due_on", "carried_by"
        )
    )
    lists = vocabulary_of(duo.programme)
    for objective in objectives:
        objective.need_label = (
            lists.label(Vocabulary.NEEDS, objective.need) if objective.need else ""
        )
    return objectives


def _plan_summary(objectives: list[Objective]) -> PlanSummary:
    counts = dict.fromkeys(Objective.Status.values, 0)
    for objective in objectives:
        counts[objective.status] = counts.get(objective.status, 0) + 1
    return {
        "total": len(objectives),
        "achieved": counts[Objective.Status.ACHIEVED],
        "in_progress": counts[Objective.Status.IN_PROGRESS],
        "planned": counts[Objective.Status.PLANNED],
    }


def _add_visits(context: dict[str, object], duo: Duo) -> None:
    progress = visits_progress(duo)
    context["visits"] = progress["slots"]
    context["visits_done"] = progress["total_done"]


def _other_name(participant: Participant) -> str:
    """Return how the other side is called on a phone: a first name, or the team's name."""
    if participant.kind == participant.Kind.TEAM:
        return participant.team_name
    return participant.first_name or participant.display_name


def _coordinator_contact(duo: Duo) -> Contact:
    organisation = duo.programme.organisation
    coordinator = duo.acting_coordinator
    return {
        "name": coordinator.full_name if coordinator else "",
        "email": (coordinator.email if coordinator else "") or organisation.contact_email,
        "organisation": organisation.name,
        "organisation_email": organisation.contact_email,
        "phone": organisation.phone,
    }


# --------------------------------------------------------------------------------------------
# The coordinator's page
# --------------------------------------------------------------------------------------------


def _health(duo: Duo, checkins: list[CheckIn], alerts: list[Alert]) -> HealthSummary:
    """The board's figures for this duo, with the check-ins and alerts the page lists anyway."""
    row = duo_health(duo)
    last_mood: dict[str, CheckIn] = {}
    for checkin in checkins:
        last_mood.setdefault(checkin.side, checkin)
    return {
        "held": row["done"],
        "expected": row["expected"] or 0,
        "behind": row["behind"],
        "last_held": row["last_meeting"],
        "days_since_last": row["days_since_meeting"],
        "last_mood": [(side, last_mood.get(side)) for side in SIDES],
        "open_alerts": [alert for alert in alerts if alert.resolved_at is None],
        "days_to_end": None if duo.is_closed else row["days_to_end"],
    }


def staff_page(duo: Duo) -> dict[str, object]:
    """Return everything the coordinator's page of a duo shows, in a fixed number of queries."""
    checkins = list(CheckIn.objects.filter(duo=duo).select_related("meeting")[:RECENT_CHECKINS])
    alerts = list(Alert.objects.filter(duo=duo).select_related("resolved_by")[:RECENT_NOTES])
    objectives = _objectives(duo)
    recent = list(
        Meeting.objects.filter(duo=duo)
        .exclude(status=Meeting.Status.PLANNED)
        .select_related("logged_by")[:RECENT_MEETINGS]
    )
    lists = vocabulary_of(duo.programme)
    for meeting in recent:
        meeting.support_labels = lists.labels(Vocabulary.SUPPORTS, meeting.supports)
        meeting.theme_labels = lists.labels(Vocabulary.THEMES, meeting.themes)
        meeting.method_rows = [
            (label, meeting.method_notes.get(key))
            for key, label in METHOD_STEPS.items()
            if meeting.method_notes.get(key)
        ]
    context: dict[str, object] = {
        "duo": duo,
        "programme": duo.programme,
        "city_to_city": duo.programme.kind == Programme.Kind.CITY_TO_CITY,
        "recent_meetings": recent,
        "next_meeting": _next_meeting(duo),
        "objectives": objectives,
        "plan": _plan_summary(objectives),
        "checkins": checkins,
        "alerts": alerts,
        "health": _health(duo, checkins, alerts),
        "notes": list(SupervisionNote.objects.filter(duo=duo).select_related("by")[:RECENT_NOTES]),
        "contact": _coordinator_contact(duo),
        # Sides that get no e-mail needing a login: the coordinator may invite them.
        "cannot_log_in": set()
        if duo.is_closed
        else {side.pk for side in (duo.mentor, duo.mentee) if not can_log_in(side)},
        **_agreement(duo),
    }
    if context["city_to_city"]:
        _add_visits(context, duo)
    if duo.is_closed:
        context.update(_closure(duo))
    return context


def _closure(duo: Duo) -> ClosureFacts:
    lists = vocabulary_of(duo.programme)
    feedback = {item.side: item for item in ClosingFeedback.objects.filter(duo=duo)}
    follow_up = FollowUp.objects.filter(duo=duo).prefetch_related("answers").first()
    answers = {answer.side: answer for answer in follow_up.answers.all()} if follow_up else {}
    return {
        "close_reason": (
            lists.label(Vocabulary.CLOSE_REASONS, duo.close_reason) if duo.close_reason else None
        ),
        "outcomes": lists.labels(Vocabulary.OUTCOMES, duo.outcomes),
        "feedback": [(side, feedback.get(side)) for side in SIDES],
        "follow_up": follow_up,
        "follow_up_answers": [(side, answers.get(side)) for side in SIDES],
    }


# --------------------------------------------------------------------------------------------
# "My duo": the mentor's or mentee's face
# --------------------------------------------------------------------------------------------


def party_page(duo: Duo, side: str) -> dict[str, object]:
    """Return what a mentor or mentee sees of their duo; nothing that is for coordinators only."""
    other = duo.mentee if side == "mentor" else duo.mentor
    counts = _meeting_counts(duo)
    agreement = _agreement(duo)
    context: dict[str, object] = {
        "duo": duo,
        "side": side,
        "programme": duo.programme,
        "other": other,
        "other_name": _other_name(other),
        "contact": _coordinator_contact(duo),
        "next_meeting": _next_meeting(duo, fields=PARTY_MEETING_FIELDS),
        "last_held": counts["last_held"],
        "held": counts["held"],
        "objectives": _objectives(duo),
        "signed_by_all": agreement["signed_by_all"],
        "i_signed": side in agreement["signatures"],
        "has_agreement": agreement["agreement"] is not None,
        "city_to_city": duo.programme.kind == Programme.Kind.CITY_TO_CITY,
    }
    if context["city_to_city"]:
        _add_visits(context, duo)
    if duo.is_closed:
        context["feedback_given"] = ClosingFeedback.objects.filter(duo=duo, side=side).exists()
    return context


def visits_progress(duo: Duo, today: datetime.date | None = None) -> VisitsProgress:
    """Return the expected and done visits per host side, and one slot per expected visit.

    {"expected": {"mentee": 2, "mentor": 1}, "done": {...}, "planned": {...},
     "slots": [{"host": "mentee", "visit": Visit | None, "done": bool}, ...],
     "total_expected": 3, "total_done": n, "complete": bool}
    A visit counts as done once its first day has come; extra visits beyond the expected ones
    are listed after the slots.
    """
    today = today or timezone.localdate()
    visits = list(duo.visits.all())
    slots: list[VisitSlot] = []
    extra: list[VisitSlot] = []
    done = dict.fromkeys(EXPECTED_VISITS, 0)
    planned = dict.fromkeys(EXPECTED_VISITS, 0)
    visit: Visit | None
    for side, expected in EXPECTED_VISITS.items():
        mine = [visit for visit in visits if visit.host == side]
        for visit in mine:
            if visit.starts_on <= today:
                done[side] += 1
            else:
                planned[side] += 1
        for index in range(max(expected, len(mine))):
            visit = mine[index] if index < len(mine) else None
            slot: VisitSlot = {
                "host": side,
                "visit": visit,
                "done": bool(visit and visit.starts_on <= today),
            }
            (slots if index < expected else extra).append(slot)
    total_done = sum(min(done[side], expected) for side, expected in EXPECTED_VISITS.items())
    total_expected = sum(EXPECTED_VISITS.values())
    return {
        "expected": {str(side): n for side, n in EXPECTED_VISITS.items()},
        "done": {str(side): n for side, n in done.items()},
        "planned": {str(side): n for side, n in planned.items()},
        "slots": slots,
        "extra": extra,
        "total_expected": total_expected,
        "total_done": total_done,
        "complete": total_done >= total_expected,
    }
