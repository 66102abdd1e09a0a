"""May this user see or change this questionnaire or response? 404 for missing and forbidden."""

from django.db.models import Q, QuerySet
from django.http import Http404

from binome.accounts.roles import STAFF_ROLES, is_staff_of, organisation_ids
from binome.questionnaires.models import Assignment, Questionnaire, Response


def questionnaires_for(user: object) -> QuerySet[Questionnaire]:
    """The library and the instruments of the organisations the user runs."""
    ids = organisation_ids(user, STAFF_ROLES)
    return Questionnaire.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=ids))


def access_questionnaire(user: object, questionnaire_id: int) -> Questionnaire:
    """Return a questionnaire of the library (for any staff) or of the user's organisation."""
    if not organisation_ids(user, STAFF_ROLES):
        raise Http404
    questionnaire = questionnaires_for(user).filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def access_assignment(user: object, programme_id: int, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("programme__organisation", "questionnaire")
        .filter(pk=assignment_id, programme_id=programme_id)
        .first()
    )
    if assignment is None:
        raise Http404
    if not is_staff_of(user, assignment.programme.organisation_id):
        raise Http404
    return assignment


def access_response(user: object, response_id: int) -> Response:
    """Return a response for its organisation's coordinators and admins (entry, correction)."""
    response = (
        Response.objects.select_related(
            "participant__programme__organisation", "questionnaire", "version"
        )
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        raise Http404
    if not is_staff_of(user, response.participant.programme.organisation_id):
        raise Http404
    return response
