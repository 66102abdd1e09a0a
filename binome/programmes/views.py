from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts import roles, two_factor
from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.content import language_name as content_language_name
from binome.core.errors import EditConflict
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.programmes import access, selectors, services
from binome.programmes.forms import (
    DirectoryFilterForm,
    EditionForm,
    OrganisationSettingsForm,
    ProgrammeForm,
    VocabularyActionForm,
    VocabularyItemForm,
)
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import FIXED, vocabulary_of
from binome.reference.languages import language_name


def _with_language_names(programmes: Iterable[Programme]) -> list[Programme]:
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


@login_required
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles.require_role_somewhere(request.user, roles.FIGURES_ROLES)
    held = roles.roles_by_organisation(request.user)
    context = {
        "programmes": selectors.programmes_with_figures(request.user),
        "admin_org_ids": {org for org, role in held.items() if role in roles.ADMIN_ROLES},
        "staff_org_ids": {org for org, role in held.items() if role in roles.STAFF_ROLES},
        # Each organisation the user administers, for the link to its audit trail.
        "admin_organisations": access.organisations_for(request.user, roles.ADMIN_ROLES).order_by(
            "name"
        ),
    }
    return render(request, "programmes/list.html", context)


@login_required
def programme_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles.require_role_somewhere(request.user, roles.ADMIN_ROLES)
    organisations = access.organisations_for(request.user, roles=roles.ADMIN_ROLES)
    # With one organisation, its languages; with several, the one chosen is known only on save.
    languages = organisations[0].content_languages if len(organisations) == 1 else None
    form = ProgrammeForm(
        request.POST or None, organisations=organisations, content_languages=languages
    )
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
            return redirect("people:programme_dashboard", programme.pk)
    return render(request, "programmes/form.html", {"form": form, "programme": None})


@login_required
def programme_edit(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id, roles=roles.ADMIN_ROLES)
    initial = {name: getattr(programme, name) for name in ProgrammeForm.setting_fields}
    initial["version"] = programme.version
    form = ProgrammeForm(
        request.POST or None,
        initial=initial,
        editing=True,
        programme=programme,
        content_languages=programme.organisation.content_languages,
    )
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
            return redirect("people:programme_dashboard", programme.pk)
    context = {
        "form": form,
        "programme": programme,
        "missing": [
            content_language_name(code)
            for code in programme.missing_languages(programme.organisation.content_languages)
        ],
    }
    return render(request, "programmes/form.html", context)


@login_required
def organisation_settings(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation's settings and its staff's two-step login, for its admins."""
    organisation = access.access_organisation(request.user, organisation_id, roles.ADMIN_ROLES)
    initial = {
        "require_two_factor": organisation.require_two_factor,
        "source_language": organisation.source_language,
        "other_languages": organisation.content_languages[1:],
        "version": organisation.version,
    }
    form = OrganisationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.settings(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The organisation's settings were saved."))
            return redirect("programmes:organisation_settings", organisation.pk)
    members = list(selectors.organisation_members(organisation))
    with_device = two_factor.users_with_device([member.user_id for member in members])
    refused = access.reset_refused(request.user, [member.user_id for member in members])
    context = {
        "organisation": organisation,
        "form": form,
        "members": [
            (member, member.user_id in with_device, member.user_id not in refused)
            for member in members
        ],
    }
    return render(request, "programmes/organisation_settings.html", context)


@login_required
@require_POST
def two_factor_reset(
    request: AuthenticatedHttpRequest, organisation_id: int, user_id: int
) -> HttpResponse:
    """Remove a coordinator's second factor (a lost phone): they set up a new one at login."""
    organisation = access.access_organisation(request.user, organisation_id, roles.ADMIN_ROLES)
    member = access.access_resettable_member(request.user, organisation, user_id)
    two_factor.two_factor_reset(actor=request.user, user=member.user, organisation=organisation)
    messages.success(
        request,
        _("Two-step login of %(name)s is reset; they are logged out everywhere.")
        % {"name": member.user.full_name},
    )
    return redirect("programmes:organisation_settings", organisation.pk)


@login_required
def edition_list(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's editions (cohorts) with their head counts, and a form to open a new one."""
    programme = access.access_programme(request.user, programme_id, roles=roles.STAFF_ROLES)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_create(programme=programme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The edition was created."))
            return redirect("programmes:editions", programme.pk)
    context = {
        "programme": programme,
        "editions": selectors.programme_editions(programme),
        "current_id": selectors.current_edition_id(programme),
        "form": form,
    }
    return render(request, "programmes/editions.html", context)


@login_required
def edition_edit(request: AuthenticatedHttpRequest, edition_id: int) -> HttpResponse:
    edition = access.access_edition(request.user, edition_id, roles=roles.STAFF_ROLES)
    initial = {
        "name": edition.name,
        "starts_on": edition.starts_on,
        "ends_on": edition.ends_on,
        "lessons": edition.lessons,
    }
    form = EditionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_update(edition=edition, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The edition was saved."))
            return redirect("programmes:editions", edition.programme_id)
    context = {"edition": edition, "programme": edition.programme, "form": form}
    return render(request, "programmes/edition_form.html", context)


def _vocabulary_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    failed: tuple[str, VocabularyItemForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    languages = programme.organisation.content_languages
    lists = vocabulary_of(programme)
    sections = []
    for vocabulary, name in Vocabulary.choices:
        form = VocabularyItemForm(prefix=vocabulary, content_languages=languages)
        if failed is not None and failed[0] == vocabulary:
            form = failed[1]
        items = lists.items[vocabulary]
        sections.append(
            {
                "code": vocabulary,
                "name": name,
                "items": items,
                "form": None if vocabulary in FIXED else form,
                "last": len(items) - 1,
            }
        )
    context = {"programme": programme, "sections": sections, "languages": languages}
    return render(request, "programmes/vocabularies.html", context, status=status)


@login_required
def vocabularies(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's lists, for its organisation's coordinators and admins."""
    programme = access.access_programme(request.user, programme_id, roles.STAFF_ROLES)
    return _vocabulary_page(request, programme)


@login_required
@require_POST
def vocabulary_add(
    request: AuthenticatedHttpRequest, programme_id: int, vocabulary: str
) -> HttpResponse:
    programme = access.access_programme(request.user, programme_id, roles.STAFF_ROLES)
    if vocabulary not in Vocabulary.values:
        raise Http404
    form = VocabularyItemForm(
        request.POST, prefix=vocabulary, content_languages=programme.organisation.content_languages
    )
    if form.is_valid():
        try:
            services.vocabulary_item_add(
                programme=programme,
                actor=request.user,
                vocabulary=vocabulary,
                label=form.cleaned_data["label"],
                translations=form.label_translations(),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The item was added."))
            return redirect(
                reverse("programmes:vocabularies", args=[programme.pk]) + f"#{vocabulary}"
            )
    return _vocabulary_page(request, programme, failed=(vocabulary, form), status=400)


@login_required
def vocabulary_item_edit(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_vocabulary_item(request.user, item_id, roles.STAFF_ROLES)
    programme = item.programme
    form = VocabularyItemForm(
        request.POST or None, item=item, content_languages=programme.organisation.content_languages
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.vocabulary_item_update(
                item=item,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                label=form.cleaned_data["label"],
                translations=form.label_translations(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The item was saved."))
            url = reverse("programmes:vocabularies", args=[programme.pk])
            return redirect(f"{url}#{item.vocabulary}")
    context = {"programme": programme, "item": item, "form": form}
    return render(request, "programmes/vocabulary_item_form.html", context)


@login_required
@require_POST
def vocabulary_item_action(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    """Move an item up or down, retire it or bring it back; a stale page is refused."""
    item = access.access_vocabulary_item(request.user, item_id, roles.STAFF_ROLES)
    form = VocabularyActionForm(request.POST)
    url = reverse("programmes:vocabularies", args=[item.programme_id]) + f"#{item.vocabulary}"
    if not form.is_valid():
        messages.error(request, _("This form is out of date: reload the page."))
        return redirect(url)
    action, version = form.cleaned_data["action"], form.cleaned_data["version"]
    try:
        if action in ("up", "down"):
            services.vocabulary_item_move(
                item=item, actor=request.user, expected_version=version, up=action == "up"
            )
        else:
            services.vocabulary_item_retire(
                item=item, actor=request.user, expected_version=version, retire=action == "retire"
            )
    except EditConflict:
        messages.error(
            request,
            _(
                "Someone changed this item while you were looking: nothing was done, "
                "check it again."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if action == "retire":
            messages.success(
                request, _("The item is no longer offered; records that chose it keep it.")
            )
        elif action == "restore":
            messages.success(request, _("The item is offered again."))
    return redirect(url)
