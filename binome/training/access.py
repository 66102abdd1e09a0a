"""Who may follow or change a module, a path, a person's training. 404 when missing or forbidden."""

from django.http import Http404

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.people.models import Participant
from binome.programmes.models import Organisation
from binome.training.models import Module, PathModule, Question


def access_organisation(user: object, organisation_id: int) -> Organisation:
    """Return an organisation whose training catalogue the user manages (staff)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not is_staff_of(user, organisation.pk):
        raise Http404
    return organisation


def own_trainee(user: object) -> Participant | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return (
        Participant.objects.select_related("programme__organisation", "user")
        .filter(user=user)
        .first()
    )


def access_module(user: object, module_id: int, *, staff_only: bool = False) -> Module:
    """Return a module for its organisation's staff, or for a person whose path includes it."""
    module = Module.objects.select_related("organisation").filter(pk=module_id).first()
    if module is None:
        raise Http404
    if is_staff_of(user, module.organisation_id):
        return module
    if staff_only:
        raise Http404
    trainee = own_trainee(user)
    if trainee is None:
        raise Http404
    in_path = PathModule.objects.filter(
        module=module, path__programme_id=trainee.programme_id, path__role=trainee.role
    ).exists()
    if not in_path:
        raise Http404
    return module


def access_question(user: object, module_id: int, question_id: int) -> Question:
    module = access_module(user, module_id, staff_only=True)
    question = Question.objects.filter(pk=question_id, module=module).first()
    if question is None:
        raise Http404
    question.module = module
    return question
