"""The public application pages: the form of a programme for a mentee, a mentor or a team."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django_ratelimit.decorators import ratelimit

from binome.people.applications import services
from binome.people.applications.forms import (
    BaseTeamMemberFormSet,
    MenteeApplicationForm,
    MentorApplicationForm,
    PersonApplicationForm,
    TeamApplicationForm,
    TeamMemberFormSet,
)
from binome.people.models import Participant
from binome.programmes import access
from binome.programmes.models import Programme

ROLES = {"mentee": Participant.Role.MENTEE, "mentor": Participant.Role.MENTOR}


def apply_rate(group: str, request: HttpRequest) -> str:
    # Read at each request, so that a test or an operator can change it without a restart.
    return settings.APPLY_RATE


def _application_forms(
    request: HttpRequest, programme: Programme, role: str
) -> tuple[PersonApplicationForm | TeamApplicationForm, BaseTeamMemberFormSet | None]:
    data = request.POST if request.method == "POST" else None
    if programme.has_teams:
        form = TeamApplicationForm(data, programme=programme, role=role)
        return form, TeamMemberFormSet(data, prefix="members")
    form_class = MenteeApplicationForm if role == "mentee" else MentorApplicationForm
    return form_class(data, programme=programme), None


def _visitor_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@ratelimit(key="ip", rate=apply_rate, method="POST", block=False)
def apply(request: HttpRequest, org_slug: str, programme_slug: str, role: str) -> HttpResponse:
    programme = access.access_listed_programme(org_slug, programme_slug)
    if role not in ROLES:
        raise Http404
    context = {"programme": programme, "role": role}
    if not programme.applications_open:
        return render(request, "people/applications/apply_closed.html", context)
    if getattr(request, "limited", False):
        return render(request, "people/applications/apply_limited.html", context, status=429)
    form, members = _application_forms(request, programme, role)
    if request.method == "POST" and form.is_spam:
        return redirect("applications:applied", org_slug, programme_slug)
    if request.method == "POST" and _all_valid(form, members):
        fields = form.participant_fields()
        if members is not None:
            fields.update(members=members.members(), email=members.representative_email())
        try:
            services.application_submit(
                programme=programme,
                role=ROLES[role],
                consents=form.consents(),
                language=_visitor_language(),
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect("applications:applied", org_slug, programme_slug)
    context.update(form=form, members=members)
    template = (
        "people/applications/apply.html"
        if members is None
        else "people/applications/apply_team.html"
    )
    return render(request, template, context)


def _all_valid(form: forms.BaseForm, members: BaseTeamMemberFormSet | None) -> bool:
    # Validate both, so that every error shows at once.
    valid = form.is_valid()
    return (members is None or members.is_valid()) and valid


def applied(request: HttpRequest, org_slug: str, programme_slug: str) -> HttpResponse:
    programme = access.access_listed_programme(org_slug, programme_slug)
    return render(request, "people/applications/applied.html", {"programme": programme})
