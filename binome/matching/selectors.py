"""Reads of the matching, already scoped to the acting user."""

from django.db.models import Q, QuerySet

from binome.accounts.models import User
from binome.matching.models import PairRule, Proposal
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
        .select_related("programme", "mentee", "mentor")
        .order_by("-created_at", "pk")
    )


def programme_proposals(programme: Programme) -> QuerySet[Proposal]:
    """Return a programme's proposals, newest first (for its coordinators)."""
    return (
        Proposal.objects.filter(programme=programme)
        .select_related("mentee", "mentor")
        .order_by("-created_at", "pk")
    )


def programme_rules(programme: Programme) -> QuerySet[PairRule]:
    """Return a programme's locks and exclusions with both people."""
    return PairRule.objects.filter(programme=programme).select_related("mentee", "mentor")
