from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from binome.accounts import roles
from binome.core.errors import EditConflict
from binome.core.forms import keep_input_after_conflict
from binome.people.models import Participant
from binome.programmes import access, selectors, services
from binome.programmes.forms import (
    DirectoryFilterForm,
    MenteeApplicationForm,
    MentorApplicationForm,
    ProgrammeForm,
    TeamApplicationForm,
    TeamMemberFormSet,
)
from binome.reference.languages import language_name

ROLES = {"mentee": Participant.Role.MENTEE, "mentor": Participant.Role.MENTOR}


def _with_language_names(programmes):
    programmes = list(programmes)
    for programme in programmes:
        programme.language_names = [language_name(code) for code in programme.languages]
    return programmes


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET, options=selectors.directory_options())
    programmes = _with_language_names(selectors.listed_programmes(**form.filters()))
    context = {"form": form, "programmes": programmes, "filtered": any(form.filters().values())}
    return render(request, "programmes/directory.html", context)


def public(request: HttpRequest, org_slug: str, programme_slug: str) -> HttpResponse:
    programme = access.access_listed_programme(org_slug, programme_slug)
    _with_language_names([programme])
    return render(request, "programmes/public.html", {"programme": programme})


def apply_rate(group: str, request: HttpRequest) -> str:
    # Read at each request, so that a test or an operator can change it without a restart.
    return settings.APPLY_RATE


def _application_forms(request: HttpRequest, programme, role: str):
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
        return render(request, "programmes/apply_closed.html", context)
    if getattr(request, "limited", False):
        return render(request, "programmes/apply_limited.html", context, status=429)
    form, members = _application_forms(request, programme, role)
    if request.method == "POST" and form.is_spam:
        return redirect("programmes:applied", org_slug, programme_slug)
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
            return redirect("programmes:applied", org_slug, programme_slug)
    context.update(form=form, members=members)
    template = "programmes/apply.html" if members is None else "programmes/apply_team.html"
    return render(request, template, context)


def _all_valid(form, members) -> bool:
    # Validate both, so that every error shows at once.
    valid = form.is_valid()
    return (members is None or members.is_valid()) and valid


def applied(request: HttpRequest, org_slug: str, programme_slug: str) -> HttpResponse:
    programme = access.access_listed_programme(org_slug, programme_slug)
    return render(request, "programmes/applied.html", {"programme": programme})


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    roles.require_role_somewhere(request.user, roles.FIGURES_ROLES)
    held = roles.roles_by_organisation(request.user)
    context = {
        "programmes": selectors.programmes_with_figures(request.user),
        "admin_org_ids": {org for org, role in held.items() if role in roles.ADMIN_ROLES},
    }
    return render(request, "programmes/list.html", context)


def _participants_url(programme) -> str:
    # The people app owns this page; until its URL exists, link to the agreed path.
    try:
        return reverse("people:list", args=[programme.pk])
    except NoReverseMatch:
        return f"/{get_language()}/programmes/{programme.pk}/participants/"


@login_required
def dashboard(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id, roles=roles.FIGURES_ROLES)
    counts = selectors.status_role_counts(programme)
    rows = [
        {
            "status": status,
            "label": label,
            "mentee": counts.get((status, "mentee"), 0),
            "mentor": counts.get((status, "mentor"), 0),
        }
        for status, label in Participant.Status.choices
    ]
    for row in rows:
        row["total"] = row["mentee"] + row["mentor"]
    totals = {key: sum(row[key] for row in rows) for key in ("mentee", "mentor", "total")}
    staff = roles.is_staff_of(request.user, programme.organisation_id)
    context = {
        "programme": programme,
        "rows": rows,
        "totals": totals,
        "participants_url": _participants_url(programme) if staff else "",
        "is_admin": roles.is_admin_of(request.user, programme.organisation_id),
    }
    return render(request, "programmes/dashboard.html", context)


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    roles.require_role_somewhere(request.user, roles.ADMIN_ROLES)
    organisations = access.organisations_for(request.user, roles=roles.ADMIN_ROLES)
    form = ProgrammeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organisation") or organisations.get()
        organisation = access.access_organisation(request.user, chosen.pk, roles.ADMIN_ROLES)
        try:
            programme = services.programme_create(
                organisation=organisation, actor=request.user, **form.settings()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The programme was created."))
            return redirect("programmes:dashboard", programme.pk)
    return render(request, "programmes/form.html", {"form": form, "programme": None})


@login_required
def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id, roles=roles.ADMIN_ROLES)
    initial = {name: getattr(programme, name) for name in ProgrammeForm.setting_fields}
    initial["version"] = programme.version
    form = ProgrammeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme=programme,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.settings(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programmes:dashboard", programme.pk)
    return render(request, "programmes/form.html", {"form": form, "programme": programme})
