"""Corrections of a duo by its coordinators: period, rhythm and coordinator; a pause."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.accounts.models import User
from binome.accounts.roles import STAFF_ROLES
from binome.core.forms import add_refusal
from binome.duos import access
from binome.duos.forms.corrections import DuoCorrectForm, DuoPauseForm
from binome.duos.models import Duo
from binome.duos.services import common


def _coordinators(duo: Duo) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=duo.programme.organisation_id,
        memberships__role__in=STAFF_ROLES,
    ).order_by("full_name", "pk")


def _page(
    request: AuthenticatedHttpRequest,
    duo: Duo,
    correct: DuoCorrectForm | None = None,
    pause: DuoPauseForm | None = None,
) -> HttpResponse:
    correct = correct or DuoCorrectForm(
        coordinators=_coordinators(duo),
        initial={
            "started_on": duo.started_on,
            "planned_end_on": duo.planned_end_on,
            "meetings_per_month": duo.meetings_per_month,
            "coordinator": duo.coordinator_id,
        },
    )
    pause = pause or DuoPauseForm(
        initial={
            "paused_from": duo.paused_from,
            "paused_until": duo.paused_until,
            "pause_reason": duo.pause_reason,
        }
    )
    context = {"duo": duo, "correct": correct, "pause": pause}
    return render(request, "duos/edit.html", context)


@login_required
def edit(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id, staff_only=True).duo
    if request.method != "POST":
        return _page(request, duo)
    form = DuoCorrectForm(request.POST, coordinators=_coordinators(duo))
    if form.is_valid():
        data = form.cleaned_data
        try:
            common.duo_correct(
                duo=duo,
                actor=request.user,
                reason=data["reason"],
                started_on=data["started_on"],
                planned_end_on=data["planned_end_on"],
                meetings_per_month=data["meetings_per_month"],
                coordinator=data["coordinator"],
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Duo corrected; the reason is in its audit trail."))
            return redirect("duos:detail", duo.pk)
    return _page(request, duo, correct=form)


@login_required
@require_POST
def pause(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id, staff_only=True).duo
    ending = "resume" in request.POST
    form = DuoPauseForm(request.POST)
    if ending or form.is_valid():
        data = {} if ending else form.cleaned_data
        try:
            common.duo_pause(
                duo=duo,
                actor=request.user,
                paused_from=data.get("paused_from"),
                paused_until=data.get("paused_until"),
                reason=data.get("pause_reason", ""),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            done = _("The pause is over.") if ending else _("Duo paused: its alerts wait.")
            messages.success(request, done)
            return redirect("duos:detail", duo.pk)
    return _page(request, duo, pause=form)


urlpatterns = [
    path("duos/<int:duo_id>/edit/", edit, name="edit"),
    path("duos/<int:duo_id>/pause/", pause, name="pause"),
]
