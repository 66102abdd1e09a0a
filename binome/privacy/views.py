"""An organisation's audit trail, for its admins: the list with its filters, and its export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.vary import vary_on_headers

from binome.accounts.http import AuthenticatedHttpRequest
from binome.privacy import access, selectors, services
from binome.privacy.export import csv_lines
from binome.privacy.forms import AuditFilterForm

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
