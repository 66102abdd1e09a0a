"""Coordinator screens for participants, and the mentor's or mentee's own space."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from binome.accounts import roles
from binome.accounts.http import AuthenticatedHttpRequest
from binome.core import next_steps, panels, vocab
from binome.core.errors import EditConflict
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.core.params import whole_number
from binome.people import access, invitations, selectors, services
from binome.people.forms import (
    FilterForm,
    GuardianForm,
    IntakeForm,
    OwnLanguageForm,
    ParticipantForm,
    StatusForm,
    TeamMemberFormSet,
    member_initial,
    member_rows,
)
from binome.people.models import Participant
from binome.programmes import access as programmes_access
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import Named, ProgrammeVocabulary, vocabulary_of
from binome.reference import languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50


class ParticipantRow(TypedDict):
    """A participant as a row of the list: the record and its codes' labels."""

    participant: Participant
    languages: list[str]
    sector: StrOrPromise
    needs: list[Named]


class StatusRow(TypedDict):
    """A line of a programme's figures: one status, its participants by role."""

    status: str
    label: StrOrPromise
    mentee: int
    mentor: int
    total: int


def _keep_input_after_conflict(form: forms.BaseForm, conflict: EditConflict) -> None:
    """Keep what the user typed; a second save, now knowingly, replaces the other version."""
    keep_input_after_conflict(form, conflict)
    form.add_error(
        None,
        _(
            "Your input is kept below. Open the participant in another tab to compare, "
            "then save again to replace the other version with yours."
        ),
    )


def _row(participant: Participant, lists: ProgrammeVocabulary) -> ParticipantRow:
    return {
        "participant": participant,
        "languages": [languages.language_name(code) for code in participant.languages or {}],
        "sector": vocab.isco_html(participant.sector),
        "needs": lists.labels(Vocabulary.NEEDS, participant.needs),
    }


@login_required
@vary_on_headers("HX-Request")
def participant_list(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    form = FilterForm(request.GET or None, programme=programme)
    filters = form.filters() if form.is_bound else {}
    participants = selectors.participant_list(programme=programme, filters=filters)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    lists = vocabulary_of(programme)
    partial = request.htmx and not request.htmx.history_restore_request
    template = "people/list.html#table" if partial else "people/list.html"
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "rows": (_row(p, lists) for p in page),
    }
    return render(request, template, context)


@login_required
def participant_detail(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    allowed = services.allowed_transitions(participant)
    context = {
        "participant": participant,
        "programme": participant.programme,
        "labels": selectors.profile_labels(participant),
        "timeline": selectors.participant_timeline(participant),
        "consents": selectors.participant_consents(participant),
        "members": selectors.participant_members(participant),
        "guardians": list(participant.guardians.all()),
        "panels": panels.render_panels(
            panels.PARTICIPANT_DETAIL, request=request, participant=participant
        ),
        "status_form": StatusForm(allowed=allowed) if allowed else None,
        # The organisation's admins get a link to what was done with this person's records.
        "is_admin": roles.is_admin_of(request.user, participant.programme.organisation_id),
    }
    # The page shows the legal status and the intake notes: who read them is kept.
    services.participant_sensitive_read(participant=participant, actor=request.user, page="detail")
    return render(request, "people/detail.html", context)


@login_required
def participant_create(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    data = request.POST if request.method == "POST" else None
    role = request.GET.get("role", Participant.Role.MENTEE)
    form = ParticipantForm(data, programme=programme, initial={"role": role})
    members = TeamMemberFormSet(data, prefix="members") if programme.has_teams else None
    valid = form.is_valid() & (members is None or members.is_valid())
    if data is not None and valid:
        profile = form.profile()
        team = profile["kind"] == Participant.Kind.TEAM
        try:
            participant = services.participant_create(
                programme=programme,
                actor=request.user,
                # A team's kind is offered where the programme has teams, and members with it.
                members=member_rows(members) if team and members is not None else None,
                **profile,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Participant created."))
            return redirect("people:detail", programme.pk, participant.pk)
    context = {"programme": programme, "form": form, "members": members}
    return render(request, "people/form.html", context)


@login_required
def participant_edit(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    programme, data = participant.programme, request.POST if request.method == "POST" else None
    if data is None:
        services.participant_sensitive_read(
            participant=participant, actor=request.user, page="edit"
        )
    form = ParticipantForm(data, programme=programme, participant=participant)
    team = participant.kind == Participant.Kind.TEAM or programme.has_teams
    initial = member_initial(participant) if team else None
    members = TeamMemberFormSet(data, prefix="members", initial=initial) if team else None
    if data is not None and form.is_valid() & (members is None or members.is_valid()):
        is_team = participant.kind == Participant.Kind.TEAM
        kept = member_rows(members) if is_team and members is not None else None
        version = form.cleaned_data["version"]
        try:
            services.participant_edit(
                participant=participant,
                actor=request.user,
                version=version,
                members=kept,
                **form.profile(),
            )
        except EditConflict as conflict:
            _keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", programme.pk, participant.pk)
    context = {"programme": programme, "participant": participant, "form": form}
    return render(request, "people/form.html", {**context, "members": members})


@login_required
def participant_intake(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    data = request.POST if request.method == "POST" else None
    if data is None:
        services.participant_sensitive_read(
            participant=participant, actor=request.user, page="intake"
        )
    form = IntakeForm(data, programme=participant.programme, participant=participant)
    if data is not None and form.is_valid():
        try:
            services.participant_intake_record(
                participant=participant,
                actor=request.user,
                version=form.cleaned_data["version"],
                consents=form.cleaned_data["consents"],
                consent_method=form.cleaned_data["consent_method"],
                ready=form.cleaned_data["ready"],
                **form.profile(),
            )
        except EditConflict as conflict:
            _keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Intake interview recorded."))
            return redirect("people:detail", participant.programme_id, participant.pk)
    context = {"participant": participant, "programme": participant.programme, "form": form}
    return render(request, "people/intake.html", context)


@login_required
@require_POST
def participant_status(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    form = StatusForm(request.POST, allowed=services.allowed_transitions(participant))
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect("people:detail", programme_id, participant.pk)
    try:
        services.participant_set_status(
            participant=participant,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except services.TransitionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status changed."))
    return redirect("people:detail", programme_id, participant.pk)


@login_required
@require_POST
def consent_withdraw(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    consent_id = whole_number(request.POST.get("consent"))
    if consent_id is None:
        raise Http404
    consent = access.access_consent(request.user, participant, consent_id)
    services.consent_withdraw(consent=consent, actor=request.user)
    messages.success(request, _("The consent is marked as withdrawn."))
    return redirect("people:detail", programme_id, participant.pk)


@login_required
@require_POST
def participant_invite(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    try:
        user = invitations.participant_invite(participant=participant, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to log in is sent to %(email)s.") % {"email": user.email}
        )
    # Back where the button was (the participant's page, or their duo's), on this site only.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("people:detail", programme_id, participant.pk)


@login_required
@require_POST
def team_member_invite(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int, member_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    member = access.access_team_member(request.user, participant, member_id)
    try:
        user = invitations.team_member_invite(member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to log in is sent to %(email)s.") % {"email": user.email}
        )
    return redirect("people:detail", programme_id, participant.pk)


@login_required
def guardian_create(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    data = request.POST if request.method == "POST" else None
    form = GuardianForm(data, initial={"language": participant.language})
    if data is not None and form.is_valid():
        try:
            services.guardian_create(
                participant=participant, actor=request.user, **form.guardian_fields()
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Family contact added."))
            return redirect("people:detail", programme_id, participant.pk)
    context = {"participant": participant, "programme": participant.programme, "form": form}
    return render(request, "people/guardian_form.html", context)


@login_required
def guardian_edit(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int, guardian_id: int
) -> HttpResponse:
    participant = access.access_programme_participant(request.user, programme_id, participant_id)
    guardian = access.access_guardian(request.user, participant, guardian_id)
    data = request.POST if request.method == "POST" else None
    form = GuardianForm(data, instance=guardian, initial={"version": guardian.version})
    if data is not None and request.POST.get("delete"):
        services.guardian_delete(guardian=guardian, actor=request.user)
        messages.success(request, _("Family contact removed."))
        return redirect("people:detail", programme_id, participant.pk)
    if data is not None and form.is_valid():
        try:
            services.guardian_update(
                guardian=guardian,
                actor=request.user,
                version=form.cleaned_data["version"],
                **form.guardian_fields(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Family contact saved."))
            return redirect("people:detail", programme_id, participant.pk)
    context = {
        "participant": participant,
        "programme": participant.programme,
        "form": form,
        "guardian": guardian,
    }
    return render(request, "people/guardian_form.html", context)


@login_required
def my_space(request: AuthenticatedHttpRequest) -> HttpResponse:
    participant = access.own_participant(request.user)
    labels = selectors.profile_labels(participant)
    steps = next_steps.participant_steps(request.user)
    context = {
        "steps": steps,
        "proposal_waiting": any(step.order == next_steps.PROPOSAL for step in steps),
        "participant": participant,
        "labels": labels,
        "organisation": participant.programme.organisation,
        "language_form": OwnLanguageForm(initial={"language": participant.language}),
        "languages_spoken": languages.format_list(
            f"{name} ({level})"
            for name, level in selectors.profile_labels(participant)["languages"]
        ),
    }
    return render(request, "people/my_space.html", context)


@login_required
@require_POST
def my_language(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A participant chooses her language: saved on her record and her account, used at once."""
    participant = access.own_participant(request.user)
    form = OwnLanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("people:my_space")
    language = form.cleaned_data["language"]
    services.participant_set_language(
        participant=participant, actor=request.user, language=language
    )
    response = redirect(translate_url(reverse("people:my_space"), language))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@login_required
def programme_dashboard(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's figures: its participants by status and role, for staff and viewers."""
    programme = programmes_access.access_programme(
        request.user, programme_id, roles=roles.FIGURES_ROLES
    )
    counts = selectors.status_role_counts(programme)
    rows: list[StatusRow] = []
    for status, label in Participant.Status.choices:
        mentee, mentor = counts.get((status, "mentee"), 0), counts.get((status, "mentor"), 0)
        rows.append(
            {
                "status": status,
                "label": label,
                "mentee": mentee,
                "mentor": mentor,
                "total": mentee + mentor,
            }
        )
    totals = {
        "mentee": sum(row["mentee"] for row in rows),
        "mentor": sum(row["mentor"] for row in rows),
        "total": sum(row["total"] for row in rows),
    }
    staff = roles.is_staff_of(request.user, programme.organisation_id)
    todos = [
        todo
        for todo in (next_steps.coordinator_todos(request.user) if staff else [])
        if todo.programme_id == programme.pk
    ]
    context = {
        "programme": programme,
        "todos": todos,
        "rows": rows,
        "totals": totals,
        "participants_url": reverse("people:list", args=[programme.pk]) if staff else "",
        "is_admin": roles.is_admin_of(request.user, programme.organisation_id),
    }
    return render(request, "people/programme_dashboard.html", context)
