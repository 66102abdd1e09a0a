"""Reads of the matching, already scoped to the acting user."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from binome.accounts.models import User
from binome.matching.models import MatchingRun, PairRule, Proposal, RunRow
from binome.people.models import TeamMember
from binome.programmes.models import Programme


def proposals_for_party(user: User) -> QuerySet[Proposal]:
    """Return the proposals this mentor, mentee or team representative is a party to."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    teams = TeamMember.objects.filter(is_representative=True, email__iexact=user.email).values(
        "participant_id"
    )
    return (
        Proposal.objects.filter(
            Q(mentee__user=user) | Q(mentor__user=user) | Q(mentee__in=teams) | Q(mentor__in=teams)
        )
        .select_related("programme__organisation", "mentee", "mentor")
        .order_by("-created_at", "pk")
    )


def programme_proposals(programme: Programme) -> QuerySet[Proposal]:
    """Return a programme's proposals, newest first (for its coordinators)."""
    return (
        Proposal.objects.filter(programme=programme)
        .select_related("mentee", "mentor")
        .order_by("-created_at", "pk")
    )


# A proposal still unanswered after this long needs the coordinator to call someone.
STALE_AFTER = datetime.timedelta(days=7)


def stale_proposals(programme: Programme) -> QuerySet[Proposal]:
    """Return a programme's proposals still missing an answer a week after they were sent."""
    return programme_proposals(programme).filter(
        Q(mentee_answer="") | Q(mentor_answer=""),
        status=Proposal.Status.PENDING,
        created_at__lte=timezone.now() - STALE_AFTER,
    )


def programme_rules(programme: Programme) -> QuerySet[PairRule]:
    """Return a programme's locks and exclusions with both people."""
    return PairRule.objects.filter(programme=programme).select_related("mentee", "mentor")


def latest_run(programme: Programme) -> MatchingRun | None:
    """Return the programme's newest matching run, whatever its status."""
    return MatchingRun.objects.filter(programme=programme).order_by("-created_at", "-pk").first()


# What the filter of a run's rows shows.
SHOW_ALL, SHOW_PAIRS, SHOW_UNMATCHED, SHOW_LOCKED = "", "pairs", "unmatched", "locked"


def run_rows(
    run: MatchingRun, *, q: str = "", show: str = SHOW_ALL, below: int | None = None
) -> QuerySet[RunRow]:
    """Return a run's rows (pairs, then people without a partner), filtered and searched."""
    rows = RunRow.objects.filter(run=run).select_related("mentee", "mentor")
    if show == SHOW_PAIRS:
        rows = rows.filter(mentee__isnull=False, mentor__isnull=False)
    elif show == SHOW_UNMATCHED:
        rows = rows.filter(Q(mentee__isnull=True) | Q(mentor__isnull=True))
    elif show == SHOW_LOCKED:
        rows = rows.filter(locked=True)
    if below is not None:
        rows = rows.filter(score__lt=below)
    for word in q.split()[:5]:
        found = Q()
        for side in ("mentee", "mentor"):
            for name in ("first_name", "last_name", "team_name"):
                found |= Q(**{f"{side}__{name}__icontains": word})
        rows = rows.filter(found)
    return rows.order_by("position")
