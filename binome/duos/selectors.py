"""Reads on duos for the supervision screens, scoped to the acting user, constant query counts."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from binome.duos.models import Alert, CheckIn, Duo, Meeting, Side, SupervisionNote
from binome.duos.services.common import expected_meetings
from binome.programmes.access import programmes_for

SORTS = ("health", "last_meeting", "end", "name")


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


def board_queryset(user, filters: dict | None = None) -> QuerySet[Duo]:
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
    "programme__meetings_per_month",
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


def _health_values(queryset: QuerySet[Duo]) -> list[dict]:
    """Fetch what the health rows show: one query for the duos, one for their open alerts."""
    values = list(
        queryset.annotate(
            last_held_at=_last_held(),
            held_count=_held_count(),
            mood_mentor=_last_mood(Side.MENTOR),
            mood_mentee=_last_mood(Side.MENTEE),
        ).values(*_ROW_FIELDS)
    )
    alerts: dict[int, list] = {}
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


def _name(value: dict, side: str) -> str:
    if value[f"{side}__kind"] == "team":
        return value[f"{side}__team_name"]
    return f"{value[f'{side}__first_name']} {value[f'{side}__last_name']}".strip()


def _row(value: dict, today: datetime.date) -> dict:
    last_held = timezone.localtime(value["last_held_at"]).date() if value["last_held_at"] else None
    per_month = value["programme__meetings_per_month"]
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


def _sort_key(sort: str):
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


def board_rows(user, filters: dict | None = None, *, today: datetime.date | None = None) -> list:
    """Return one dict per duo the user supervises, sorted as asked (health first by default)."""
    filters = filters or {}
    today = today or timezone.localdate()
    rows = [_row(value, today) for value in _health_values(board_queryset(user, filters))]
    sort = filters.get("sort") or "health"
    rows.sort(key=_sort_key(sort if sort in SORTS else "health"))
    return rows


def duo_health(duo: Duo, *, side: str | None = None, today: datetime.date | None = None) -> dict:
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


def duo_alert(duo: Duo, alert_id: int) -> Alert | None:
    """Return one of the duo's own alerts, or None."""
    return duo.alerts.filter(pk=alert_id).first()
