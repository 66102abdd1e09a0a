"""The ESF+ situation on a participant's page (people), for the organisation's staff."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from binome.accounts.roles import is_staff_of
from binome.evaluation.models import EsfSituation
from binome.people.models import Participant


def participant_esf(*, request: HttpRequest, participant: Participant, **_: object) -> str:
    """Her employment situation and education level at entry, at exit, six months after."""
    if not is_staff_of(request.user, participant.programme.organisation_id):
        return ""
    recorded = {s.moment: s for s in participant.esf_situations.all()}
    rows = [(code, label, recorded.get(code)) for code, label in EsfSituation.Moment.choices]
    context = {"participant": participant, "rows": rows}
    return render_to_string("evaluation/_participant_esf.html", context, request=request)
