"""May this user see or answer this proposal? 404 for missing and forbidden alike."""

from django.http import Http404

from binome.accounts.roles import is_staff_of
from binome.matching.models import Proposal
from binome.people.access import speaks_for


def answering_sides(user: object, proposal: Proposal) -> list[str]:
    """Return the sides of a proposal ("mentee", "mentor") this user answers for in person."""
    return [side for side in ("mentee", "mentor") if speaks_for(user, getattr(proposal, side))]


def access_proposal(user: object, proposal_id: int) -> tuple[Proposal, list[str], bool]:
    """Return (proposal, sides the user answers for, is staff) for its parties and staff, or 404."""
    proposal = (
        Proposal.objects.select_related("programme__organisation", "mentee", "mentor")
        .prefetch_related("mentee__members", "mentor__members")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    sides = answering_sides(user, proposal)
    staff = is_staff_of(user, proposal.programme.organisation_id)
    if not sides and not staff:
        raise Http404
    return proposal, sides, staff
