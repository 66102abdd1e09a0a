"""The library: a list for each reader, a resource's page, its files, and staff's editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.accounts.roles import is_staff_of, organisation_ids
from binome.core.errors import EditConflict, Refused
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.programmes.models import Organisation
from binome.resources import access, selectors, services
from binome.resources.filetypes import CONTENT_TYPES, INLINE
from binome.resources.forms import FileForm, ResourceForm


@login_required
def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    language = selectors.reader_language(request.user, translation.get_language() or "fr")
    resources = selectors.in_language_first(list(selectors.library(request.user)), language)
    theme = request.GET.get("theme", "")
    themes = selectors.themes_of(resources)
    if theme:
        resources = [r for r in resources if theme in (r.themes or [])]
    staff_orgs = Organisation.objects.filter(pk__in=organisation_ids(request.user))
    return render(
        request,
        "resources/library.html",
        {
            "resources": resources,
            "language": language,
            "themes": themes,
            "theme": theme,
            "staff_orgs": staff_orgs,
        },
    )


@login_required
def detail(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access.access_resource(request.user, resource_id)
    language = selectors.reader_language(request.user, translation.get_language() or "fr")
    files = sorted(resource.files.all(), key=lambda f: f.language != language)
    staff = is_staff_of(request.user, resource.organisation_id)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "files": files,
            "language": language,
            "staff": staff,
            "missing": resource.missing_languages(resource.organisation.content_languages)
            if staff
            else [],
            "file_form": FileForm(initial={"language": language}) if staff else None,
        },
    )


@login_required
def file(request: AuthenticatedHttpRequest, resource_id: int, file_id: int) -> HttpResponseBase:
    stored = access.access_resource_file(request.user, resource_id, file_id)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(stored.extension, "application/octet-stream"),
        filename=f"{stored.resource.title[:80]}-{stored.language}.{stored.extension}",
        as_attachment=stored.extension not in INLINE,
    )
    # An upload is not trusted content: shown, it runs in a sandbox without scripts.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _organisation(user: object, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not is_staff_of(user, organisation.pk):
        raise Http404
    return organisation


@login_required
def create(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(request.user, organisation_id)
    form = ResourceForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                organisation=organisation,
                actor=request.user,
                data=form.data_for_service(),
                translations=form.cleaned_translations(),
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The resource is in the library."))
            return redirect("resources:detail", resource.pk)
    return render(request, "resources/form.html", {"form": form, "organisation": organisation})


@login_required
def edit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access.access_resource(request.user, resource_id, staff_only=True)
    form = ResourceForm(request.POST or None, instance=resource, organisation=resource.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=resource,
                actor=request.user,
                version=form.cleaned_data["version"] or 0,
                data=form.data_for_service(),
                translations=form.cleaned_translations(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("resources:detail", resource.pk)
    return render(
        request,
        "resources/form.html",
        {"form": form, "organisation": resource.organisation, "resource": resource},
    )


@login_required
@require_POST
def upload(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access.access_resource(request.user, resource_id, staff_only=True)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.resource_file_attach(
                resource=resource,
                actor=request.user,
                language=form.cleaned_data["language"],
                upload=form.cleaned_data["file"],
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The file is attached."))
            return redirect("resources:detail", resource.pk)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "files": list(resource.files.all()),
            "staff": True,
            "missing": resource.missing_languages(resource.organisation.content_languages),
            "file_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def delete(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access.access_resource(request.user, resource_id, staff_only=True)
    services.resource_delete(resource=resource, actor=request.user)
    messages.success(request, _("The resource is removed from the library."))
    return redirect("resources:library")
