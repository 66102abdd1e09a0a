"""What the duo page and "My duo" read.

Each list is one query (sliced or aggregated), so a page's query count stays the same whether the
duo has two meetings or two hundred. The party face reads through `party_page`, which never loads
what is for coordinators only (private meeting notes, supervision notes, outcome notes, alerts'
resolutions, the other side's check-in comments): what is not fetched cannot leak into a template.
"""

from django.db.models import Count, Max, Q
from django.utils import timezone

from binome.core import vocab
from binome.duos import access
from binome.duos.models import (
    SIDES,
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    Meeting,
    Objective,
    Signature,
    SupervisionNote,
)
from binome.duos.selectors import duo_health
from binome.duos.services.meetings import METHOD_STEPS, visits_progress
from binome.people.invitations import can_log_in
from binome.programmes.models import Programme

RECENT_MEETINGS = 5
RECENT_NOTES = 10
RECENT_CHECKINS = 6
# A city-to-city programme expects three visits: two hosted by the mentee city, one by the mentor.
# Fields a mentor or mentee may read on a meeting; private_notes is deliberately absent.
PARTY_MEETING_FIELDS = ["pk", "duo_id", "status", "starts_at", "duration_minutes", "mode", "place"]


# --------------------------------------------------------------------------------------------
# Which duos
# --------------------------------------------------------------------------------------------


def own_duo_list(user) -> list[Duo]:
    """Return the user's duos as a mentor, mentee or team representative: open ones first."""
    duos = list(access.own_duos(user).order_by("-started_on", "-pk"))
    return sorted(duos, key=lambda duo: duo.status == Duo.Status.CLOSED)


def has_own_duo(user) -> bool:
    """Tell whether the menu should offer "My duo"; remembered on the user for the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_binome_has_duo", None)
    if cached is None:
        cached = access.own_duos(user).exists()
        user._binome_has_duo = cached
    return cached


def open_duos_of(participant) -> list[Duo]:
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


def _meeting_counts(duo: Duo) -> dict:
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


def _agreement(duo: Duo) -> dict:
    """Return the agreement and who has signed it, party by party."""
    agreement = Agreement.objects.filter(duo=duo).first()
    signatures = {}
    if agreement is not None:
        signatures = {
            signature.party: signature
            for signature in Signature.objects.filter(agreement=agreement).defer("text_hash")
        }
    parties = [(party, label, signatures.get(party)) for party, label in Signature.Party.choices]
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
    for objective in objectives:
        objective.need_label = vocab.NEEDS.get(objective.need, objective.need)
    return objectives


def _plan_summary(objectives: list[Objective]) -> dict:
    counts = dict.fromkeys(Objective.Status.values, 0)
    for objective in objectives:
        counts[objective.status] = counts.get(objective.status, 0) + 1
    return {
        "total": len(objectives),
        "achieved": counts[Objective.Status.ACHIEVED],
        "in_progress": counts[Objective.Status.IN_PROGRESS],
        "planned": counts[Objective.Status.PLANNED],
    }


def _add_visits(context: dict, duo: Duo) -> None:
    progress = visits_progress(duo)
    context["visits"] = progress["slots"]
    context["visits_done"] = progress["total_done"]


def _other_name(participant) -> str:
    """Return how the other side is called on a phone: a first name, or the team's name."""
    if participant.kind == participant.Kind.TEAM:
        return participant.team_name
    return participant.first_name or participant.display_name


def _coordinator_contact(duo: Duo) -> dict:
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


def _health(duo: Duo, checkins: list[CheckIn], alerts: list[Alert]) -> dict:
    """The board's figures for this duo, with the check-ins and alerts the page lists anyway."""
    row = duo_health(duo)
    last_mood = {}
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


def staff_page(duo: Duo) -> dict:
    """Return everything the coordinator's page of a duo shows, in a fixed number of queries."""
    checkins = list(CheckIn.objects.filter(duo=duo).select_related("meeting")[:RECENT_CHECKINS])
    alerts = list(Alert.objects.filter(duo=duo).select_related("resolved_by")[:RECENT_NOTES])
    objectives = _objectives(duo)
    recent = list(
        Meeting.objects.filter(duo=duo)
        .exclude(status=Meeting.Status.PLANNED)
        .select_related("logged_by")[:RECENT_MEETINGS]
    )
    for meeting in recent:
        meeting.support_labels = [vocab.SUPPORTS.get(code, code) for code in meeting.supports]
        meeting.method_rows = [
            (label, meeting.method_notes.get(key))
            for key, label in METHOD_STEPS.items()
            if meeting.method_notes.get(key)
        ]
    context = {
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


def _closure(duo: Duo) -> dict:
    outcome_labels = dict(Duo.Outcome.choices)
    feedback = {item.side: item for item in ClosingFeedback.objects.filter(duo=duo)}
    follow_up = FollowUp.objects.filter(duo=duo).prefetch_related("answers").first()
    answers = {answer.side: answer for answer in follow_up.answers.all()} if follow_up else {}
    return {
        "outcomes": [outcome_labels.get(code, code) for code in duo.outcomes],
        "feedback": [(side, feedback.get(side)) for side in SIDES],
        "follow_up": follow_up,
        "follow_up_answers": [(side, answers.get(side)) for side in SIDES],
    }


# --------------------------------------------------------------------------------------------
# "My duo": the mentor's or mentee's face
# --------------------------------------------------------------------------------------------


def party_page(duo: Duo, side: str) -> dict:
    """Return what a mentor or mentee sees of their duo; nothing that is for coordinators only."""
    other = duo.mentee if side == "mentor" else duo.mentor
    counts = _meeting_counts(duo)
    agreement = _agreement(duo)
    context = {
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
