"""Import of participants: upload → mapping and check → confirm → result."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.people.importing import records, storage, validation, writing
from binome.people.importing.forms import ConfirmForm, MappingForm, UploadForm
from binome.programmes import access as programmes_access
from binome.programmes.models import Programme


def _file_key(programme_id: int) -> str:
    return f"import_file_{programme_id}"


def _result_key(programme_id: int) -> str:
    return f"import_result_{programme_id}"


def _stored_table(request: HttpRequest, programme_id: int) -> records.Table | None:
    return storage.load_stored(request.session.get(_file_key(programme_id)))


# Room in a request beside the file: the multipart headers and the CSRF token.
BODY_OVERHEAD = 64 * 1024


class UploadLimit(FileUploadHandler):
    """Stop reading an upload past IMPORT_MAX_BYTES, rather than receive it whole to refuse it."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# The CSRF middleware would read the whole body: the check is made in _receive, once the
# body is known to be small enough to be read.
@csrf_exempt
@login_required
def upload(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    if request.method != "POST":
        return _upload_page(request, programme, UploadForm())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES + BODY_OVERHEAD:
        return _upload_page(request, programme, UploadForm({}, too_big=True))
    limit = UploadLimit(request)
    request.upload_handlers.insert(0, limit)
    return _receive(request, programme, limit)


@csrf_protect
def _receive(request: HttpRequest, programme: Programme, limit: UploadLimit) -> HttpResponse:
    files = request.FILES  # reads the body, through UploadLimit
    form = UploadForm(request.POST, files, too_big=limit.exceeded)
    if not form.is_valid():
        return _upload_page(request, programme, form)
    key = _file_key(programme.pk)
    storage.delete_stored(request.session.get(key))
    request.session[key] = storage.store_table(form.table, form.cleaned_data["file"].name)
    return redirect("importing:preview", programme_id=programme.pk)


def _upload_page(request: HttpRequest, programme: Programme, form: UploadForm) -> HttpResponse:
    return render(request, "people/import_upload.html", {"programme": programme, "form": form})


@login_required
def preview(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    table = _stored_table(request, programme.pk)
    if table is None:
        messages.info(request, _("Upload a file to import first."))
        return redirect("importing:upload", programme_id=programme.pk)
    if request.method == "POST":
        form = MappingForm(request.POST, headers=table.headers)
    else:
        form = MappingForm.guessed(table.headers)
    return _render_check(request, programme, table, form, ConfirmForm())


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    table = _stored_table(request, programme.pk)
    if table is None:
        messages.info(request, _("Upload a file to import first."))
        return redirect("importing:upload", programme_id=programme.pk)
    form = MappingForm(request.POST, headers=table.headers)
    choices = ConfirmForm(request.POST)
    if not (form.is_valid() and choices.is_valid()):
        return _render_check(request, programme, table, form, choices, status=400)
    report = validation.validate(
        table, form.mapping, programme=programme, default_role=form.cleaned_data["default_role"]
    )
    try:
        rows = writing.rows_to_import(
            report,
            valid_only=choices.cleaned_data["scope"] == "valid",
            skip_duplicates=choices.cleaned_data["duplicates"] == "skip",
        )
    except records.ImportRefused as refused:
        choices.add_error("scope", refused.message)
        return _render_check(request, programme, table, form, choices, report, status=400)
    count = writing.participants_import(
        programme=programme,
        actor=request.user,
        rows=rows,
        consent_collected=choices.cleaned_data["consent_collected"],
    )
    storage.delete_stored(request.session.pop(_file_key(programme.pk), None))
    request.session[_result_key(programme.pk)] = {
        "created": count,
        "invalid": report.invalid_count,
        "duplicates_skipped": len(report.valid_rows) - len(rows),
        "total": len(report.rows),
    }
    return redirect("importing:result", programme_id=programme.pk)


@login_required
def result(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    context = {
        "programme": programme,
        "result": request.session.get(_result_key(programme.pk)),
        # The people app owns the participant list; its address is fixed by the URL scheme.
        "participants_url": f"/{request.LANGUAGE_CODE}/programmes/{programme.pk}/participants/",
    }
    return render(request, "people/import_result.html", context)


def _render_check(
    request: HttpRequest,
    programme: Programme,
    table: records.Table,
    form: MappingForm,
    choices: ConfirmForm,
    report: records.Report | None = None,
    status: int = 200,
) -> HttpResponse:
    if report is None and form.is_valid():
        report = validation.validate(
            table,
            form.mapping,
            programme=programme,
            default_role=form.cleaned_data["default_role"],
        )
    errors = report.errors if report else []
    duplicates = report.duplicates if report else []
    context = {
        "programme": programme,
        "form": form,
        "choices": choices,
        "report": report,
        "file_name": request.session.get(_file_key(programme.pk), {}).get("name", ""),
        "headers": table.headers,
        "sample": table.rows[:5],
        "row_count": len(table.rows),
        "errors": errors[: records.MAX_SHOWN],
        "error_count": len(errors),
        "duplicates": duplicates[: records.MAX_SHOWN],
        "duplicate_count": len(duplicates),
        "valid_count": len(report.valid_rows) if report else 0,
        "max_shown": records.MAX_SHOWN,
    }
    return render(request, "people/import_preview.html", context, status=status)
