"""The action plan: objectives co-edited by both sides and the coordinator, with their history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core import panels
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.duos import access
from binome.duos.forms.plan import ObjectiveForm
from binome.duos.models import Duo, Objective, ObjectiveRevision
from binome.duos.services import plan as services
from binome.duos.services.common import field_label
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import ProgrammeVocabulary, vocabulary_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class HistoryRow(TypedDict):
    """One revision of an objective and what it changed: (field label, value shown)."""

    revision: ObjectiveRevision
    changes: list[tuple[StrOrPromise, str]]


def _objective(duo: Duo, objective_id: int) -> Objective:
    # Looked up through the duo the user was already granted: another duo's objective is a 404.
    objective = duo.objectives.filter(pk=objective_id).first()
    if objective is None:
        raise Http404
    objective.duo = duo
    return objective


def _plan_context(duo: Duo, form: ObjectiveForm, staff: bool) -> dict[str, object]:
    objectives = list(duo.objectives.all())
    lists = vocabulary_of(duo.programme)
    for objective in objectives:
        objective.need_label = (
            lists.label(Vocabulary.NEEDS, objective.need) if objective.need else ""
        )
        objective.step_lines = [line for line in objective.steps.splitlines() if line.strip()]
    return {
        "duo": duo,
        "staff": staff,
        "objectives": objectives,
        "progress": services.plan_progress(duo),
        "form": form,
    }


@login_required
def plan(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo_access = access.access_duo(request.user, duo_id, members=True)
    if duo_access.member_of is not None and request.method == "POST":
        raise Http404  # a team member reads the plan; the team's representative edits it
    duo, data = duo_access.duo, request.POST if request.method == "POST" else None
    form = ObjectiveForm(data, programme=duo.programme)
    if data is not None and form.is_valid():
        try:
            services.objective_create(duo=duo, actor=request.user, **form.objective_fields())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Objective added to the action plan."))
            if not request.htmx:
                return redirect("duos:plan", duo.pk)
            form = ObjectiveForm(programme=duo.programme)
    context = _plan_context(duo, form, duo_access.staff)
    context["read_only"] = duo_access.member_of is not None
    context["panels"] = panels.render_panels(
        panels.DUO_PLAN, request=request, duo=duo, staff=duo_access.staff
    )
    template = "duos/plan.html#plan" if request.htmx else "duos/plan.html"
    return render(request, template, context)


@login_required
def objective_edit(
    request: AuthenticatedHttpRequest, duo_id: int, objective_id: int
) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id).duo
    objective = _objective(duo, objective_id)
    data = request.POST if request.method == "POST" else None
    form = ObjectiveForm(data, programme=duo.programme, objective=objective)
    if data is not None and form.is_valid():
        try:
            services.objective_update(
                objective=objective,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.objective_fields(),
            )
        except services.EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Objective saved."))
            return redirect("duos:plan", duo.pk)
    context = {"duo": duo, "objective": objective, "form": form}
    return render(request, "duos/objective_edit.html", context)


def _history_rows(objective: Objective) -> list[HistoryRow]:
    """Each revision with the fields it changed compared with the one before."""
    revisions = list(objective.revisions.select_related("by").order_by("version"))
    lists = vocabulary_of(objective.duo.programme)
    rows: list[HistoryRow] = []
    previous: dict[str, object] = {}
    for revision in revisions:
        changes: list[tuple[StrOrPromise, str]] = []
        for name in services.OBJECTIVE_FIELDS:
            value = revision.data.get(name)
            if value != previous.get(name) and (previous or value not in ("", None)):
                changes.append((field_label(Objective, name), _shown(name, value, lists)))
        rows.append({"revision": revision, "changes": changes})
        previous = revision.data
    return list(reversed(rows))


def _shown(name: str, value: Any, lists: ProgrammeVocabulary) -> str:
    if value in ("", None):
        return "—"
    if name == "status":
        return str(Objective.Status(value).label) if value in Objective.Status.values else value
    if name == "carried_by":
        return str(Objective.Carrier(value).label) if value in Objective.Carrier.values else value
    if name == "need":
        return lists.text(Vocabulary.NEEDS, value)
    return str(value)


@login_required
def objective_history(
    request: AuthenticatedHttpRequest, duo_id: int, objective_id: int
) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id, members=True).duo
    objective = _objective(duo, objective_id)
    context = {"duo": duo, "objective": objective, "rows": _history_rows(objective)}
    return render(request, "duos/objective_history.html", context)


urlpatterns = [
    path("duos/<int:duo_id>/plan/", plan, name="plan"),
    path("duos/<int:duo_id>/plan/<int:objective_id>/", objective_edit, name="objective_edit"),
    path(
        "duos/<int:duo_id>/plan/<int:objective_id>/history/",
        objective_history,
        name="objective_history",
    ),
]
