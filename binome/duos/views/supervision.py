"""The 30-second check-in of each side, and the coordinator's supervision page of one duo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.audit import audit
from binome.core.forms import add_refusal
from binome.core.params import whole_number
from binome.duos import access, selectors
from binome.duos.forms.supervision import (
    AlertResolveForm,
    CheckInForm,
    EnteredCheckInForm,
    SupervisionNoteForm,
)
from binome.duos.models import Duo, Meeting
from binome.duos.services import supervision as services


def _meeting_from_query(request: HttpRequest, duo: Duo) -> Meeting | None:
    """The meeting named by ?meeting=<id>, which must be one of the duo's own, or None."""
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if not meeting_id:
        return None
    number = whole_number(meeting_id)
    meeting = selectors.duo_meeting(duo, number) if number is not None else None
    if meeting is not None and meeting.status != meeting.Status.HELD:
        meeting = None
    if meeting is None:
        raise Http404
    return meeting


@login_required
def checkin(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    seen = access.access_duo(request.user, duo_id)
    # The two sides answer for themselves (the side is who the user is, never a posted field);
    # a coordinator enters one given by phone, on paper or in person.
    if seen.side is None:
        return _checkin_entered(request, seen.duo)
    meeting = _meeting_from_query(request, seen.duo)
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.checkin_record(
                duo=seen.duo,
                side=seen.side,
                actor=request.user,
                meeting=meeting,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you! Your coordinator will read your answer."))
            return redirect("duos:detail", duo_id=seen.duo.pk)
    context = {"duo": seen.duo, "side": seen.side, "form": form, "meeting": meeting}
    return render(request, "duos/checkin.html", context)


def _checkin_entered(request: AuthenticatedHttpRequest, duo: Duo) -> HttpResponse:
    form = EnteredCheckInForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.checkin_record(duo=duo, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Check-in recorded, marked as entered by you."))
            return redirect("duos:detail", duo_id=duo.pk)
    return render(request, "duos/checkin.html", {"duo": duo, "form": form, "entered": True})


def _supervision_context(duo: Duo, note_form: SupervisionNoteForm) -> dict[str, object]:
    return {
        "duo": duo,
        "health": selectors.duo_health(duo),
        "alerts": selectors.duo_alerts(duo),
        "checkins": selectors.duo_checkins(duo),
        "notes": selectors.duo_supervision_notes(duo),
        "note_form": note_form,
        "resolve_form": AlertResolveForm(),
    }


@login_required
def supervision(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id, staff_only=True).duo
    form = SupervisionNoteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.supervision_note_add(duo=duo, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved in the duo's supervision log."))
            return redirect("duos:supervision", duo_id=duo.pk)
    # Supervision notes and check-in comments are for coordinators only: who read them is kept.
    audit(
        actor=request.user,
        organisation=duo.programme.organisation,
        action="duo.supervision_read",
        target=duo,
    )
    return render(request, "duos/supervision.html", _supervision_context(duo, form))


@login_required
@require_POST
def alert_resolve(request: AuthenticatedHttpRequest, duo_id: int, alert_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id, staff_only=True).duo
    alert = selectors.duo_alert(duo, alert_id)
    if alert is None:
        raise Http404
    form = AlertResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say in a few words what was done."))
        return redirect("duos:supervision", duo_id=duo.pk)
    try:
        services.alert_resolve(
            alert=alert, actor=request.user, resolution=form.cleaned_data["resolution"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alert resolved."))
    return redirect("duos:supervision", duo_id=duo.pk)


urlpatterns = [
    path("duos/<int:duo_id>/check-in/", checkin, name="checkin"),
    path("duos/<int:duo_id>/supervision/", supervision, name="supervision"),
    path("duos/<int:duo_id>/alerts/<int:alert_id>/resolve/", alert_resolve, name="alert_resolve"),
]
