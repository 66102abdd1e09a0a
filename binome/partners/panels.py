"""The partners' sections on pages of the apps below: a participant's page, a duo's plan."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from binome.accounts.roles import is_staff_of
from binome.duos.models import Duo
from binome.partners import selectors
from binome.people.models import Participant


def participant_referrals(*, request: HttpRequest, participant: Participant, **_: object) -> str:
    """The participant's referrals to partners, for the organisation's coordinators."""
    if not is_staff_of(request.user, participant.programme.organisation_id):
        return ""
    context = {
        "participant": participant,
        "referrals": list(selectors.referrals_of_participant(participant)),
    }
    return render_to_string("partners/_participant_referrals.html", context, request=request)


def plan_partners(*, request: HttpRequest, duo: Duo, staff: bool, **_: object) -> str:
    """Which partner carries which objective of the action plan (everyone who sees the plan)."""
    links = selectors.objective_partners_of_duo(duo.pk)
    if not links and not staff:
        return ""
    objectives = {objective.pk: objective for objective in duo.objectives.all()}
    rows = [(objectives[pk], link) for pk, link in links.items() if pk in objectives]
    context = {"duo": duo, "rows": rows, "staff": staff}
    return render_to_string("partners/_plan_partners.html", context, request=request)
