"""The privacy screens: an organisation's audit trail and retention periods (its admins), a
participant's copy and erasure (its staff), and her own copy and corrections (herself)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.errors import EditConflict
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.core.mail import language_of
from binome.people import services as people_services
from binome.people.models import Participant
from binome.privacy import access, selectors, services, subject
from binome.privacy.export import csv_lines
from binome.privacy.forms import AuditFilterForm, EraseForm, MyDetailsForm, RetentionForm
from binome.privacy.models import Erasure
from binome.privacy.services import erasure
from binome.privacy.services import retention as services_retention
from binome.privacy.services import subject as services_subject
from binome.privacy.subject_pdf import subject_pdf_bytes

PAGE_SIZE = 100


@login_required
@vary_on_headers("HX-Request")
def audit_list(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access.access_audit_trail(request.user, organisation_id)
    form = AuditFilterForm(request.GET or None, organisation=organisation)
    filters = form.filters()
    events = selectors.audit_events(organisation=organisation, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    person = None
    if filters.person is not None:
        person = selectors.organisation_participant(
            organisation=organisation, participant_id=filters.person
        )
    partial = request.htmx and not request.htmx.history_restore_request
    context = {
        "organisation": organisation,
        "form": form,
        "page": page,
        "rows": selectors.audit_rows(organisation=organisation, events=page),
        "person": person,
        "person_unknown": filters.person is not None and person is None,
    }
    return render(
        request, "privacy/audit.html#events" if partial else "privacy/audit.html", context
    )


@login_required
def audit_export(request: AuthenticatedHttpRequest, organisation_id: int) -> StreamingHttpResponse:
    organisation = access.access_audit_trail(request.user, organisation_id)
    filters = AuditFilterForm(request.GET or None, organisation=organisation).filters()
    # Recorded before the first line goes out: a download cut short was still made.
    services.audit_export_record(actor=request.user, organisation=organisation, filters=filters)
    events = selectors.audit_events(organisation=organisation, filters=filters)
    lines = csv_lines(organisation=organisation, events=events, language=translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    filename = f"audit-{organisation.slug}-{day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _copy_response(
    request: AuthenticatedHttpRequest, participant: Participant, *, scope: str, fmt: str
) -> HttpResponse:
    """A copy of the participant's data as a download, recorded on the audit trail first."""
    services_subject.participant_export_record(
        participant=participant, actor=request.user, scope=scope, file_format=fmt
    )
    data = subject.subject_data(participant, scope=scope)
    day = timezone.localdate().isoformat()
    if fmt == "pdf":
        # In the person's own language, whoever downloads it (she is its reader).
        body = subject_pdf_bytes(data, language_of(participant.language))
        response = HttpResponse(body, content_type="application/pdf")
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
        response = HttpResponse(text, content_type="application/json; charset=utf-8")
    filename = f"binome-data-{participant.pk}-{day}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def participant_export(
    request: AuthenticatedHttpRequest, participant_id: int, fmt: str
) -> HttpResponse:
    """The complete copy of a participant's data, for the organisation's staff to hand over."""
    participant = access.access_subject(request.user, participant_id)
    return _copy_response(request, participant, scope=subject.FULL, fmt=fmt)


@login_required
def my_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """A participant's own copy of her data (staff notes excepted: see binome.privacy.subject)."""
    participant = access.own_subject(request.user)
    return _copy_response(request, participant, scope=subject.SELF, fmt=fmt)


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her copy to download, and her contact details and language to correct herself."""
    participant = access.own_subject(request.user)
    initial = {
        "phone": participant.phone,
        "city": participant.city,
        "language": participant.language,
        "version": participant.version,
    }
    form = MyDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("phone", "city", "language")}
        try:
            people_services.participant_edit(
                participant=participant,
                actor=request.user,
                version=form.cleaned_data["version"],
                **fields,
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Thank you: your details are corrected."))
            return redirect("privacy:my_data")
    context = {
        "participant": participant,
        "organisation": participant.programme.organisation,
        "form": form,
    }
    return render(request, "privacy/my_data.html", context)


@login_required
def participant_erase(request: AuthenticatedHttpRequest, participant_id: int) -> HttpResponse:
    """Erase a participant's data, once confirmed; or say why the law keeps it for now."""
    participant = access.access_subject(request.user, participant_id)
    erased = Erasure.objects.filter(participant=participant).select_related("by").first()
    refusal = None if erased else erasure.erasure_refusal(participant)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and erased is None and form.is_valid():
        try:
            erasure.participant_erase(participant=participant, actor=request.user)
        except erasure.ErasureRefused as error:
            refusal = error
        else:
            messages.success(request, _("The participant's data is erased."))
            return redirect("people:detail", participant.programme_id, participant.pk)
    context = {
        "participant": participant,
        "programme": participant.programme,
        "erased": erased,
        "refusal": refusal,
        "form": form,
    }
    return render(request, "privacy/erase.html", context)


@login_required
def retention(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation's retention periods, for its admins."""
    organisation = access.access_retention(request.user, organisation_id)
    initial = {name: getattr(organisation, name) for name in RetentionForm.FIELDS}
    initial["version"] = organisation.retention_version
    form = RetentionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RetentionForm.FIELDS}
        try:
            services_retention.retention_update(
                organisation=organisation,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **fields,
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("privacy:retention", organisation.pk)
    return render(request, "privacy/retention.html", {"organisation": organisation, "form": form})
