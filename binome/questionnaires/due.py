"""What questionnaire is due, for whom: the signed links, the e-mails and the next steps.

A questionnaire is due to a participant of the assignment's role at its moment: application and
intake from the day the person applied, the others from the dates of her duo (every N weeks
after its start, half-way, at closure, FOLLOW_UP_MONTHS after closure). It stays due for
QUESTIONNAIRE_WINDOW, until it is submitted. Nothing here writes: the link names the
assignment, the person and the occurrence, and the answering page starts the response.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.next_steps import QUESTIONNAIRE, NextStep
from binome.duos.models import Duo
from binome.notifications.models import Kind
from binome.notifications.services import Message, absolute_url
from binome.people.access import represented_teams
from binome.people.models import Participant
from binome.questionnaires.models import Assignment, Response, Role

SALT = "binome.questionnaires.answer"
QUESTIONNAIRE_WINDOW = datetime.timedelta(days=60)
CLOSED_PEOPLE = (Participant.Status.WITHDRAWN,)


@dataclass(frozen=True)
class Due:
    assignment: Assignment
    participant: Participant
    occurrence: int
    duo: Duo | None
    due_at: datetime.date


def answer_token(due: Due) -> str:
    """Return the signed token that opens one questionnaire for one person at one occurrence."""
    return signing.dumps(
        [due.assignment.pk, due.participant.pk, due.occurrence, due.duo.pk if due.duo else 0],
        salt=SALT,
    )


def answer_path(due: Due) -> str:
    return reverse("questionnaires:answer", kwargs={"token": answer_token(due)})


@dataclass(frozen=True)
class Link:
    assignment: Assignment
    participant: Participant
    occurrence: int
    duo: Duo | None


def read_answer_token(token: str) -> Link | None:
    """Return what a token opens, or None for a forged, altered, stale or withdrawn one."""
    lifetime = datetime.timedelta(days=settings.FOLLOW_UP_LINK_DAYS) + QUESTIONNAIRE_WINDOW
    try:
        assignment_id, participant_id, occurrence, duo_id = signing.loads(
            token, salt=SALT, max_age=lifetime
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not all(isinstance(v, int) for v in (assignment_id, participant_id, occurrence, duo_id)):
        return None
    assignment = (
        Assignment.objects.select_related("questionnaire", "programme__organisation")
        .filter(pk=assignment_id, active=True)
        .first()
    )
    participant = (
        Participant.objects.select_related("programme__organisation", "user")
        .filter(pk=participant_id)
        .first()
    )
    if assignment is None or participant is None:
        return None
    if participant.programme_id != assignment.programme_id:
        return None
    duo = None
    if duo_id:
        duo = Duo.objects.filter(pk=duo_id, programme_id=assignment.programme_id).first()
        if duo is None:
            return None
    return Link(assignment, participant, occurrence, duo)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _role_matches(assignment: Assignment, participant: Participant) -> bool:
    if assignment.role == Role.TEAM:
        return participant.kind == Participant.Kind.TEAM
    return participant.kind == Participant.Kind.PERSON and participant.role == assignment.role


def moments_of(
    assignment: Assignment, participant: Participant, duo: Duo | None, today: datetime.date
) -> list[tuple[int, datetime.date]]:
    """Return (occurrence, due date) of the assignment's moments that have come for this person."""
    moment = assignment.moment
    if moment in (Assignment.Moment.APPLICATION, Assignment.Moment.INTAKE):
        return [(0, timezone.localdate(participant.created_at))]
    if duo is None or duo.started_on is None:
        return []
    start = duo.started_on
    if moment == Assignment.Moment.EVERY_N_WEEKS and assignment.every_weeks:
        end = duo.closed_on or today
        step = datetime.timedelta(weeks=assignment.every_weeks)
        count = (end - start) // step
        return [(n, start + n * step) for n in range(1, count + 1)]
    if moment == Assignment.Moment.MID_TERM:
        end = duo.planned_end_on or _add_months(start, duo.programme.duration_months)
        return [(0, start + (end - start) / 2)]
    if moment == Assignment.Moment.CLOSURE and duo.closed_on:
        return [(0, duo.closed_on)]
    if moment == Assignment.Moment.FOLLOW_UP and duo.closed_on:
        return [(0, _add_months(duo.closed_on, settings.FOLLOW_UP_MONTHS))]
    return []


def _duo_of(participant: Participant, duos: dict[int, Duo]) -> Duo | None:
    return duos.get(participant.pk)


def due_for(participants: list[Participant], now: datetime.datetime) -> Iterator[Due]:
    """Every questionnaire due now to one of these participants and not yet submitted."""
    today = timezone.localdate(now)
    programme_ids = {p.programme_id for p in participants}
    assignments = list(
        Assignment.objects.filter(programme_id__in=programme_ids, active=True)
        .select_related("questionnaire", "programme__organisation")
        .order_by("pk")
    )
    if not assignments:
        return
    ids = [p.pk for p in participants]
    # A person's latest duo decides the dates of the moments that follow a duo.
    duos: dict[int, Duo] = {}
    for latest in (
        Duo.objects.filter(programme_id__in=programme_ids)
        .filter(models_q_side(ids))
        .select_related("programme")
        .order_by("created_at", "pk")
    ):
        duos[latest.mentor_id] = latest
        duos[latest.mentee_id] = latest
    submitted = set(
        Response.objects.filter(
            participant_id__in=ids, status=Response.Status.SUBMITTED
        ).values_list("participant_id", "questionnaire_id", "moment", "occurrence")
    )
    for participant in participants:
        if participant.status in CLOSED_PEOPLE:
            continue
        duo = _duo_of(participant, duos)
        for assignment in assignments:
            if assignment.programme_id != participant.programme_id:
                continue
            if not _role_matches(assignment, participant):
                continue
            for occurrence, day in moments_of(assignment, participant, duo, today):
                if not (day <= today <= day + QUESTIONNAIRE_WINDOW):
                    continue
                key = (participant.pk, assignment.questionnaire_id, assignment.moment, occurrence)
                if key in submitted:
                    continue
                yield Due(assignment, participant, occurrence, duo, day)


def models_q_side(ids: list[int]) -> Any:
    from django.db.models import Q

    return Q(mentor_id__in=ids) | Q(mentee_id__in=ids)


def questionnaires_due(now: datetime.datetime) -> Iterator[Message]:
    """Every questionnaire due now to someone who has not answered it: one e-mail each."""
    from binome.notifications.dispatch import participant_recipient

    programme_ids = Assignment.objects.filter(active=True).values("programme_id")
    participants = list(
        Participant.objects.filter(programme_id__in=programme_ids)
        .exclude(status__in=CLOSED_PEOPLE)
        .select_related("programme__organisation")
        .prefetch_related("members")
        .order_by("pk")
    )
    for due in due_for(participants, now):
        recipient = participant_recipient(due.participant)
        if recipient is None:
            continue
        questionnaire = due.assignment.questionnaire
        with translation.override(recipient.language):
            link = absolute_url(answer_path(due))
            title = str(questionnaire.localized("title", recipient.language))
        programme = due.assignment.programme
        yield Message(
            Kind.QUESTIONNAIRE,
            f"questionnaire:assignment={due.assignment.pk}:participant={due.participant.pk}"
            f":n={due.occurrence}",
            recipient,
            context={
                "programme": programme.name,
                "organisation": programme.organisation.name,
                "questionnaire": title,
                "link": link,
            },
            reply_to=programme.organisation.contact_email,
        )


def participant_steps(user: Any) -> list[NextStep]:
    """The questionnaires the logged-in participant has to answer now."""
    if not getattr(user, "is_authenticated", False):
        return []
    own = list(Participant.objects.filter(user=user).select_related("programme"))
    own += list(represented_teams(user).select_related("programme"))
    if not own:
        return []
    steps = []
    for due in due_for(own, timezone.now()):
        questionnaire = due.assignment.questionnaire
        steps.append(
            NextStep(
                order=QUESTIONNAIRE,
                title=str(questionnaire.localized("title")),
                url=answer_path(due),
                action=str(translation.gettext("Answer")),
                detail=str(due.assignment.get_moment_display()),
            )
        )
    return steps
