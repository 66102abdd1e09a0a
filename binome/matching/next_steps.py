"""What the matching asks of people: a proposal to answer, proposals left without an answer."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.core.next_steps import PROPOSAL, NextStep
from binome.matching import access, selectors
from binome.matching.models import Proposal
from binome.programmes.access import programmes_for


def proposal_steps(user: object) -> list[NextStep]:
    """The proposals waiting for this person's own answer, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    waiting = selectors.proposals_for_party(user).filter(status=Proposal.Status.PENDING)  # type: ignore[arg-type]
    steps = []
    for proposal in waiting.prefetch_related("mentee__members", "mentor__members"):
        if not any(
            proposal.answer_of(side) == "" for side in access.answering_sides(user, proposal)
        ):
            continue
        steps.append(
            NextStep(
                order=PROPOSAL,
                title=_("A proposal is waiting for your answer"),
                detail=_("The team has found someone for you. Read the proposal and answer it."),
                url=reverse("matching:proposal", args=[proposal.pk]),
                action=_("Read and answer"),
            )
        )
    return steps


def stale_proposal_todos(user: object) -> list[NextStep]:
    """Per programme, the proposals still waiting for an answer after a week."""
    before = timezone.now() - selectors.STALE_AFTER
    rows = (
        Proposal.objects.filter(
            programme__in=programmes_for(user),
            status=Proposal.Status.PENDING,
            created_at__lte=before,
        )
        .filter(Q(mentee_answer="") | Q(mentor_answer=""))
        .values("programme_id", "programme__name")
        .annotate(count=Count("pk"))
        .order_by("programme__name", "programme_id")
    )
    return [
        NextStep(
            order=PROPOSAL,
            title=ngettext(
                "%(count)d proposal without an answer for 7 days",
                "%(count)d proposals without an answer for 7 days",
                row["count"],
            )
            % {"count": row["count"]},
            detail=row["programme__name"],
            url=reverse("matching:run", args=[row["programme_id"]]) + "?waiting=1#proposals-title",
            action=_("See the proposals"),
            count=row["count"],
            programme_id=row["programme_id"],
        )
        for row in rows
    ]
