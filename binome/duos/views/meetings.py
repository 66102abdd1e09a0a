"""Meetings of a duo (log, plan, edit, cancel, calendar file) and city-to-city visits."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.core.params import whole_number
from binome.duos import access, selectors
from binome.duos.forms.meetings import MeetingForm, VisitEditForm, VisitForm, rounded_now
from binome.duos.ics import meeting_ics as build_ics
from binome.duos.models import METHOD_STEPS, Duo, Meeting
from binome.duos.periods import expected_interval_days
from binome.duos.services import meetings as services
from binome.duos.services.plan import EditConflict
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import Named, ProgrammeVocabulary, vocabulary_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MeetingRow(TypedDict):
    """What a meeting shows on the meetings page."""

    meeting: Meeting
    mode: Named
    themes: list[Named]
    supports: list[Named]
    method: list[tuple[StrOrPromise, str]]
    private_notes: str


def _meeting(duo: Duo, meeting_id: int) -> Meeting:
    # Looked up through the duo the user was already granted: another duo's meeting is a 404.
    meeting = duo.meetings.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    meeting.duo = duo
    return meeting


def _row(meeting: Meeting, staff: bool, lists: ProgrammeVocabulary) -> MeetingRow:
    """What a meeting shows, in the programme's words; the private notes only reach staff."""
    return {
        "meeting": meeting,
        "mode": lists.label(Vocabulary.MEETING_MODES, meeting.mode),
        "themes": lists.labels(Vocabulary.THEMES, meeting.themes),
        "supports": lists.labels(Vocabulary.SUPPORTS, meeting.supports),
        "method": [
            (label, meeting.method_notes[step])
            for step, label in METHOD_STEPS.items()
            if (meeting.method_notes or {}).get(step)
        ],
        "private_notes": meeting.private_notes if staff else "",
    }


@login_required
def meetings(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo_access = access.access_duo(request.user, duo_id)
    duo, staff = duo_access.duo, duo_access.staff
    lists = vocabulary_of(duo.programme)
    rows = [_row(meeting, staff, lists) for meeting in duo.meetings.select_related("logged_by")]
    now = timezone.now()
    context = {
        "duo": duo,
        "staff": staff,
        "upcoming": [
            r
            for r in reversed(rows)
            if r["meeting"].status == Meeting.Status.PLANNED and r["meeting"].starts_at >= now
        ],
        "overdue": [
            r
            for r in rows
            if r["meeting"].status == Meeting.Status.PLANNED and r["meeting"].starts_at < now
        ],
        "held": [r for r in rows if r["meeting"].status == Meeting.Status.HELD],
        "cancelled": [r for r in rows if r["meeting"].status == Meeting.Status.CANCELLED],
        "summary": services.meetings_summary(duo),
        "city_to_city": duo.programme.kind == Programme.Kind.CITY_TO_CITY,
    }
    return render(request, "duos/meetings.html", context)


def _defaults(duo: Duo, planned: bool) -> dict[str, object]:
    """Prefill so that logging is tap, (pick), Save: now, 60 minutes, the last mode and place."""
    latest = duo.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at").first()
    starts_at = rounded_now()
    if planned:
        # The next meeting at the programme's rhythm, at the same time of day.
        starts_at += datetime.timedelta(days=round(expected_interval_days(duo) or 14))
    initial: dict[str, object] = {
        "starts_at": starts_at,
        "duration_minutes": 60,
        "mode": services.last_mode(duo),
    }
    if latest and latest.mode == Meeting.Mode.IN_PERSON:
        initial["place"] = latest.place
    return initial


@login_required
def meeting_new(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo_access = access.access_duo(request.user, duo_id)
    duo, staff = duo_access.duo, duo_access.staff
    planned = request.GET.get("planned") == "1"
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, duo=duo, staff=staff, initial=_defaults(duo, planned))
    if data is not None and form.is_valid():
        create = services.meeting_plan if planned else services.meeting_log
        try:
            meeting = create(duo=duo, actor=request.user, staff=staff, **form.content())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if planned:
                messages.success(request, _("Meeting planned. Add it to your calendar below."))
            else:
                messages.success(request, _("Meeting logged. Thank you!"))
            if duo_access.side and not planned:
                checkin = reverse("duos:checkin", args=[duo.pk])
                return redirect(f"{checkin}?meeting={meeting.pk}")
            return redirect("duos:meetings", duo.pk)
    context = {"duo": duo, "staff": staff, "form": form, "planned": planned}
    return render(request, "duos/meeting_form.html", context)


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, duo_id: int, meeting_id: int) -> HttpResponse:
    duo_access = access.access_duo(request.user, duo_id)
    duo, staff = duo_access.duo, duo_access.staff
    meeting = _meeting(duo, meeting_id)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, duo=duo, staff=staff, meeting=meeting)
    if data is not None and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                staff=staff,
                held=form.cleaned_data.get("held", False),
                **form.content(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("duos:meetings", duo.pk)
    context = {
        "duo": duo,
        "staff": staff,
        "form": form,
        "meeting": meeting,
        "history": services.record_history(meeting, staff=staff),
    }
    return render(request, "duos/meeting_form.html", context)


@login_required
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, duo_id: int, meeting_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id).duo
    meeting = _meeting(duo, meeting_id)
    version = request.POST.get("version", "")
    try:
        services.meeting_cancel(
            meeting=meeting,
            actor=request.user,
            expected_version=whole_number(version),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Meeting cancelled."))
    return redirect("duos:meetings", duo.pk)


@login_required
def meeting_ics(request: AuthenticatedHttpRequest, duo_id: int, meeting_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id).duo
    meeting = _meeting(duo, meeting_id)
    body = build_ics(meeting, translation.get_language())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="binome-meeting-{meeting.pk}.ics"'
    return response


def _city_to_city(
    request: AuthenticatedHttpRequest, duo_id: int, *, members: bool = False
) -> access.DuoAccess:
    duo_access = access.access_duo(request.user, duo_id, members=members)
    if duo_access.duo.programme.kind != Programme.Kind.CITY_TO_CITY:
        raise Http404
    return duo_access


@login_required
def visits(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo_access = _city_to_city(request, duo_id, members=True)
    duo = duo_access.duo
    context = {
        "duo": duo,
        "progress": selectors.visits_progress(duo),
        "visits": duo.visits.all(),
        "read_only": duo_access.member_of is not None,
    }
    return render(request, "duos/visits.html", context)


@login_required
def visit_new(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo = _city_to_city(request, duo_id).duo
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, initial={"host": "mentee", "city": duo.mentee.city})
    if data is not None and form.is_valid():
        try:
            services.visit_log(duo=duo, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("duos:visits", duo.pk)
    return render(request, "duos/visit_form.html", {"duo": duo, "form": form})


@login_required
def visit_edit(request: AuthenticatedHttpRequest, duo_id: int, visit_id: int) -> HttpResponse:
    """Correct a recorded visit; its history (who changed what, when) is shown below."""
    seen = _city_to_city(request, duo_id)
    visit = selectors.duo_visit(seen.duo, visit_id)
    if visit is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = VisitEditForm(data, initial={**model_to_dict(visit), "version": visit.version})
    if data is not None and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            services.visit_update(
                visit=visit, actor=request.user, expected_version=version, **fields
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Visit corrected."))
            return redirect("duos:visits", seen.duo.pk)
    context = {
        "duo": seen.duo,
        "form": form,
        "visit": visit,
        "history": services.record_history(visit, staff=seen.staff),
    }
    return render(request, "duos/visit_form.html", context)


urlpatterns = [
    path("duos/<int:duo_id>/meetings/", meetings, name="meetings"),
    path("duos/<int:duo_id>/meetings/new/", meeting_new, name="meeting_new"),
    path("duos/<int:duo_id>/meetings/<int:meeting_id>/", meeting_edit, name="meeting_edit"),
    path(
        "duos/<int:duo_id>/meetings/<int:meeting_id>/cancel/",
        meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "duos/<int:duo_id>/meetings/<int:meeting_id>/calendar.ics",
        meeting_ics,
        name="meeting_ics",
    ),
    path("duos/<int:duo_id>/visits/", visits, name="visits"),
    path("duos/<int:duo_id>/visits/new/", visit_new, name="visit_new"),
    path("duos/<int:duo_id>/visits/<int:visit_id>/", visit_edit, name="visit_edit"),
]
