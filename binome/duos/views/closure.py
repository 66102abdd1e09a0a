"""Closing a duo, each side's closing feedback, and the follow-up questionnaire by link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.forms import add_refusal
from binome.duos import access
from binome.duos.forms.closure import CloseForm, EnteredFeedbackForm, FeedbackForm, FollowUpForm
from binome.duos.models import Duo
from binome.duos.services import closure
from binome.duos.tokens import read_follow_up_token


@login_required
def close(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo = access.access_duo(request.user, duo_id, staff_only=True).duo
    others = Duo.objects.filter(mentor=duo.mentor_id, status__in=Duo.OPEN_STATUSES)
    form = CloseForm(
        request.POST or None, duo=duo, mentor_other_duos=others.exclude(pk=duo.pk).exists()
    )
    if request.method == "POST" and form.is_valid():
        try:
            closure.duo_close(duo=duo, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The duo is closed. The follow-up is scheduled."))
            return redirect("duos:close", duo.pk)
    context = {
        "duo": duo,
        "form": form,
        "summary": closure.closure_summary(duo, staff=True),
        "follow_up_if_today": closure.follow_up_due(form.initial["closed_on"]),
        "follow_up_months": settings.FOLLOW_UP_MONTHS,
    }
    return render(request, "duos/close.html", context)


@login_required
def feedback(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    found = access.access_duo(request.user, duo_id)
    if found.side is None:
        return _feedback_entered(request, found.duo)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure.closing_feedback_give(
                duo=found.duo, side=found.side, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your feedback!"))
        return redirect("duos:feedback", found.duo.pk)
    context = {
        "duo": found.duo,
        "side": found.side,
        "staff": found.staff,
        "form": form,
        "summary": closure.closure_summary(found.duo, side=found.side, staff=found.staff),
    }
    return render(request, "duos/feedback.html", context)


def _feedback_entered(request: AuthenticatedHttpRequest, duo: Duo) -> HttpResponse:
    """A coordinator's page: both sides' feedback, and one given by phone or on paper entered."""
    form = EnteredFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure.closing_feedback_give(duo=duo, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Feedback recorded, marked as entered by you."))
            return redirect("duos:feedback", duo.pk)
    context = {
        "duo": duo,
        "side": None,
        "staff": True,
        "form": form,
        "summary": closure.closure_summary(duo, side=None, staff=True),
    }
    return render(request, "duos/feedback.html", context)


@never_cache
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    link = read_follow_up_token(token)
    if link is None:
        return render(request, "duos/follow_up_invalid.html", status=404)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure.follow_up_answer(follow_up=link.follow_up, side=link.side, **form.cleaned_data)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
        return redirect("duos:follow_up", token=token)
    context = {
        "form": form,
        "programme": link.follow_up.duo.programme,
        "closed_on": link.follow_up.duo.closed_on,
        "answered": link.follow_up.answers.filter(side=link.side).exists(),
    }
    return render(request, "duos/follow_up.html", context)


urlpatterns = [
    path("duos/<int:duo_id>/close/", close, name="close"),
    path("duos/<int:duo_id>/feedback/", feedback, name="feedback"),
    path("follow-up/<str:token>/", follow_up, name="follow_up"),
]
