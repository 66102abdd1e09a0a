"""Closing a duo: reason, outcome, each side's feedback, and the follow-up months later."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Required, TypedDict

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.core.audit import audit
from binome.duos.access import duo_sides
from binome.duos.models import (
    SIDES,
    ClosingFeedback,
    Duo,
    FollowUp,
    FollowUpAnswer,
    Meeting,
    Side,
)
from binome.duos.periods import add_months
from binome.duos.services.common import DuoError, entered_for
from binome.duos.services.supervision import alerts_refresh
from binome.people.models import Participant
from binome.people.services import TRANSITIONS, TransitionError, participant_set_status
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import Named, vocabulary_of
from binome.reference import cldr

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PStatus = Participant.Status
# Statuses in which a participant has already left the programme: "leaves" changes nothing.
GONE = (PStatus.CLOSED, PStatus.WITHDRAWN, PStatus.REJECTED)


class NextStep(models.TextChoices):
    """What becomes of a participant once the duo is closed."""

    POOL = "pool", gettext_lazy("Returns to the pool (can be matched again)")
    LEAVE = "leave", gettext_lazy("Leaves the programme")


class ClosureSide(TypedDict):
    side: str
    label: StrOrPromise
    feedback: ClosingFeedback | None
    answer: FollowUpAnswer | None


class ClosureSummary(TypedDict, total=False):
    """A closure as one reader may see it; only `closed` while the duo is open."""

    closed: Required[bool]
    closed_on: datetime.date | None
    reason: str
    reason_label: Named
    outcomes: list[str]
    outcome_labels: list[Named]
    follow_up_due: datetime.date | None
    feedback: dict[str, ClosingFeedback | None]
    answers: dict[str, FollowUpAnswer | None]
    sides: list[ClosureSide]
    # Staff only.
    outcome_notes: str


def follow_up_due(closed_on: datetime.date) -> datetime.date:
    """Return the day the follow-up questionnaire goes out for a duo closed on closed_on."""
    return add_months(closed_on, settings.FOLLOW_UP_MONTHS)


def _check_closure(
    duo: Duo, *, reason: str, closed_on: datetime.date, outcomes: list[str]
) -> list[str]:
    lists = vocabulary_of(duo.programme)
    if not reason or not lists.knows_or_ships(Vocabulary.CLOSE_REASONS, reason):
        raise DuoError(_("Choose a reason for closing the duo."))
    refused = lists.refuse_retired(Vocabulary.CLOSE_REASONS, [reason], duo.close_reason)
    if refused:
        raise DuoError({"reason": refused})
    if not isinstance(closed_on, datetime.date) or isinstance(closed_on, datetime.datetime):
        raise DuoError(_("Enter the closing date."))
    if duo.started_on and closed_on < duo.started_on:
        raise DuoError(
            _("The closing date cannot be before the duo's start (%(start)s).")
            % {"start": cldr.format_date(duo.started_on, "medium")}
        )
    # A closure records what happened: a date to come would be a guess (and would fire the
    # follow-up from the wrong day). A duo that ran past its planned end closes on the real day.
    if closed_on > timezone.localdate():
        raise DuoError(_("The closing date cannot be in the future."))
    chosen = set(outcomes or [])
    unknown = {o for o in chosen if not lists.knows_or_ships(Vocabulary.OUTCOMES, o)}
    if unknown:
        raise DuoError(_("This outcome is not known: %(value)s.") % {"value": sorted(unknown)[0]})
    refused = lists.refuse_retired(Vocabulary.OUTCOMES, sorted(chosen), duo.outcomes)
    if refused:
        raise DuoError({"outcomes": refused})
    # Stored in the order of the list, whatever the order of the boxes ticked.
    order = [code for code, _label in lists.choices(Vocabulary.OUTCOMES, duo.outcomes)]
    return [code for code in order if code in chosen]


def _status_path(participant: Participant, next_step: str) -> list[str]:
    """Return the statuses to go through, in order, for this next step; [] if already there."""
    current = participant.status
    allowed = TRANSITIONS.get(current, set())
    if next_step == NextStep.LEAVE:
        if current in GONE:
            return []
        if PStatus.CLOSED in allowed:
            return [PStatus.CLOSED]
    else:
        if current == PStatus.READY:
            return []
        if PStatus.READY in allowed:
            return [PStatus.READY]
        # The pipeline brings an active participant back to the pool through "closed": the
        # timeline then tells that the mentoring ended and that they are available again.
        if PStatus.CLOSED in allowed and PStatus.READY in TRANSITIONS[PStatus.CLOSED]:
            return [PStatus.CLOSED, PStatus.READY]
    raise DuoError(
        _("%(name)s cannot go from “%(status)s” to this next step: choose the other one.")
        % {"name": participant.display_name, "status": PStatus(current).label}
    )


def _plan_next_step(duo: Duo, participant: Participant, next_step: str) -> list[str]:
    if next_step not in NextStep.values:
        raise DuoError(
            _("Choose what comes next for %(name)s.") % {"name": participant.display_name}
        )
    if participant.pk == duo.mentor_id:
        others = Duo.objects.filter(mentor=participant, status__in=Duo.OPEN_STATUSES)
        if others.exclude(pk=duo.pk).exists():
            if next_step == NextStep.LEAVE:
                raise DuoError(
                    _(
                        "%(name)s is still in another open duo and cannot leave the programme "
                        "yet: choose “returns to the pool”."
                    )
                    % {"name": participant.display_name}
                )
            # Still mentoring someone else: the status stays as it is.
            return []
    return _status_path(participant, next_step)


@transaction.atomic
def duo_close(
    *,
    duo: Duo,
    actor: User,
    reason: str,
    closed_on: datetime.date,
    outcomes: list[str],
    outcome_notes: str = "",
    mentor_next: str,
    mentee_next: str,
) -> Duo:
    """Close a duo with its reason and outcome, move both sides on and schedule the follow-up."""
    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the programme's coordinators can close a duo."))
    # The row lock makes a second, simultaneous closure wait and then see the first one.
    locked = Duo.objects.select_for_update().get(pk=duo.pk)
    if locked.status == Duo.Status.CLOSED:
        raise DuoError(_("This duo is already closed."))
    outcomes = _check_closure(locked, reason=reason, closed_on=closed_on, outcomes=outcomes)
    mentor = Participant.objects.select_for_update().get(pk=locked.mentor_id)
    mentee = Participant.objects.select_for_update().get(pk=locked.mentee_id)
    # Every refusal is raised before anything is written.
    paths = [
        (mentor, _plan_next_step(locked, mentor, mentor_next)),
        (mentee, _plan_next_step(locked, mentee, mentee_next)),
    ]
    locked.status = Duo.Status.CLOSED
    locked.closed_on = closed_on
    locked.close_reason = reason
    locked.outcomes = outcomes
    locked.outcome_notes = (outcome_notes or "").strip()
    locked.closed_by = actor
    locked.full_clean()
    fields = ["status", "closed_on", "close_reason", "outcomes", "outcome_notes", "closed_by"]
    locked.save(update_fields=fields)
    note = _("Duo closed: %(reason)s") % {
        "reason": vocabulary_of(locked.programme).text(Vocabulary.CLOSE_REASONS, reason)
    }
    for participant, path in paths:
        for status in path:
            try:
                participant_set_status(
                    participant=participant, to_status=status, actor=actor, note=note[:300]
                )
            except TransitionError as error:
                raise DuoError(error.messages) from error
    # Planned meetings that have not happened yet will not: no reminder goes out for them.
    Meeting.objects.filter(
        duo=locked, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
    ).update(status=Meeting.Status.CANCELLED, version=models.F("version") + 1)
    follow_up = FollowUp(duo=locked, due_on=follow_up_due(closed_on))
    follow_up.full_clean()
    follow_up.save()
    # The outcome notes stay out of the audit detail: they are for coordinators' eyes only.
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="duo.close",
        target=locked,
        reason=reason,
        outcomes=outcomes,
        closed_on=closed_on.isoformat(),
        mentor_next=mentor_next,
        mentee_next=mentee_next,
    )
    for name in [*fields, "mentor", "mentee"]:
        setattr(duo, name, getattr(locked, name))
    # Closing resolves the duo's open alerts.
    alerts_refresh(duos=[locked])
    return duo


@transaction.atomic
def closing_feedback_give(
    *,
    duo: Duo,
    side: str,
    actor: User,
    rating: int,
    best: str = "",
    improve: str = "",
    channel: str = "",
    given_on: datetime.date | None = None,
) -> ClosingFeedback:
    """Record one side's closing feedback, once, on a closed duo, by that side itself.

    With a channel, a coordinator enters it for the side (given by phone, on paper, in person).
    """
    at = timezone.now()
    if channel:
        at = entered_for(duo=duo, side=side, actor=actor, channel=channel, given_on=given_on)
    elif side not in SIDES or side not in duo_sides(actor, duo):
        raise DuoError(_("Only the mentor and the mentee give their own closing feedback."))
    locked = Duo.objects.select_for_update().get(pk=duo.pk)
    if locked.status != Duo.Status.CLOSED:
        raise DuoError(_("Closing feedback is given once the duo is closed."))
    if ClosingFeedback.objects.filter(duo=locked, side=side).exists():
        raise DuoError(_("Your feedback is already recorded. Thank you!"))
    feedback = ClosingFeedback(
        duo=locked,
        side=side,
        rating=rating,
        best=(best or "").strip(),
        improve=(improve or "").strip(),
        by=actor,
        channel=channel,
        at=at,
    )
    feedback.full_clean()
    feedback.save()
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="duo.feedback",
        target=feedback,
        side=side,
        channel=channel,
    )
    return feedback


@transaction.atomic
def follow_up_answer(
    *,
    follow_up: FollowUp,
    side: str,
    situation: str,
    still_in_contact: bool,
    usefulness: int,
    comment: str = "",
) -> FollowUpAnswer:
    """Record one former side's answer to the follow-up questionnaire, once."""
    if side not in SIDES:
        raise DuoError(_("This questionnaire link is not valid."))
    # Lock the follow-up so that two tabs submitting at once give one answer and one refusal.
    locked = (
        FollowUp.objects.select_for_update().select_related("duo__programme").get(pk=follow_up.pk)
    )
    if FollowUpAnswer.objects.filter(follow_up=locked, side=side).exists():
        raise DuoError(_("Your answer is already recorded. Thank you!"))
    answer = FollowUpAnswer(
        follow_up=locked,
        side=side,
        situation=situation or "",
        still_in_contact=bool(still_in_contact),
        usefulness=usefulness,
        comment=(comment or "").strip(),
        answered_at=timezone.now(),
    )
    answer.full_clean()
    answer.save()
    # The person answers through a link, without an account: the audit row has no actor.
    audit(
        actor=None,
        organisation=locked.duo.programme.organisation,
        action="follow_up.answer",
        target=answer,
        side=side,
    )
    return answer


def closure_summary(duo: Duo, *, side: str | None = None, staff: bool = False) -> ClosureSummary:
    """Return what the duo page shows of a closure, cut to what this reader may see.

    Pass the reader's `DuoAccess.side` and `DuoAccess.staff`. Staff get everything, outcome notes
    included; a mentor or mentee gets the closure itself and only their own side's feedback and
    follow-up answer; with neither, no per-side data at all.
    """
    if duo.status != Duo.Status.CLOSED:
        return {"closed": False}
    lists = vocabulary_of(duo.programme)
    shown = list(SIDES) if staff else [s for s in SIDES if s == side]
    feedback = {f.side: f for f in ClosingFeedback.objects.filter(duo=duo, side__in=shown)}
    follow_up = FollowUp.objects.filter(duo=duo).first()
    answers: dict[str, FollowUpAnswer] = {}
    if follow_up is not None:
        answers = {a.side: a for a in follow_up.answers.filter(side__in=shown)}
    summary: ClosureSummary = {
        "closed": True,
        "closed_on": duo.closed_on,
        "reason": duo.close_reason,
        "reason_label": lists.label(Vocabulary.CLOSE_REASONS, duo.close_reason)
        if duo.close_reason
        else "",
        "outcomes": list(duo.outcomes or []),
        "outcome_labels": lists.labels(Vocabulary.OUTCOMES, duo.outcomes),
        "follow_up_due": follow_up.due_on if follow_up else None,
        "feedback": {s: feedback.get(s) for s in shown},
        "answers": {s: answers.get(s) for s in shown},
        # The same, as rows a template can loop over with each side's translated name.
        "sides": [
            {
                "side": s,
                "label": Side(s).label,
                "feedback": feedback.get(s),
                "answer": answers.get(s),
            }
            for s in shown
        ],
    }
    if staff:
        summary["outcome_notes"] = duo.outcome_notes
    return summary
