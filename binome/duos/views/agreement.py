"""The mentoring agreement: read, sign, record a paper signature, print; the template editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from binome.accounts import roles
from binome.accounts.http import AuthenticatedHttpRequest
from binome.accounts.models import User
from binome.core.audit import audit
from binome.duos import access, agreement_text, pdf
from binome.duos.forms.agreement import AgreementTemplateForm, PaperSignatureForm, SignForm
from binome.duos.models import AgreementTemplate, Signature
from binome.duos.periods import add_months
from binome.duos.services import agreement as services
from binome.duos.services.plan import EditConflict
from binome.programmes import access as programmes_access
from binome.programmes.models import Programme
from binome.reference import cldr

SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _parties_for(user: User, seen: access.DuoAccess) -> list[str]:
    """The parties this user may confirm online: their own side, the coordinator if staff."""
    parties = list(access.duo_sides(user, seen.duo))
    if seen.staff:
        parties.append(Signature.Party.COORDINATOR)
    return parties


def _page(
    request: AuthenticatedHttpRequest,
    seen: access.DuoAccess,
    *,
    language: str | None = None,
    sign_form: SignForm | None = None,
    paper_form: PaperSignatureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    duo, user = seen.duo, request.user
    agreement = agreement_text.agreement_as_shown(duo)
    signatures = agreement_text.signatures_of(agreement)
    signed = {signature.party for signature in signatures}
    own = services.signer_language(duo, seen.side, user) if seen.side else user.language
    language = agreement_text.pick_language(
        agreement.texts, language, translation.get_language(), own
    )
    text = agreement.texts.get(language, "")
    shown_hash = agreement_text.text_hash(text)
    open_ = not duo.is_closed and not agreement.frozen_at
    to_sign = [p for p in _parties_for(user, seen) if p not in signed] if open_ else []
    if sign_form is not None and (
        sign_form["seen_hash"].value() != shown_hash or sign_form["language"].value() != language
    ):
        # The text changed since it was shown: a fresh form, unticked, for the text shown now.
        typed_name = sign_form["typed_name"].value()
        party = sign_form["party"].value()
        sign_form = SignForm(
            initial={
                "party": party,
                "language": language,
                "seen_hash": shown_hash,
                "typed_name": typed_name,
            }
        )
    forms = [
        sign_form
        if sign_form is not None and sign_form["party"].value() == party
        else SignForm(initial={"party": party, "language": language, "seen_hash": shown_hash})
        for party in to_sign
    ]
    unsigned = [party for party in Signature.Party.values if party not in signed]
    if seen.staff and open_ and paper_form is None:
        paper_form = PaperSignatureForm(
            parties=unsigned,
            languages=[(code, _language_name(code)) for code in sorted(agreement.texts)],
            initial={"signed_on": timezone.localdate(), "language": language},
        )
    context = {
        "duo": duo,
        "seen": seen,
        "agreement": agreement,
        "language": language,
        "rtl": get_language_info(language).get("bidi", False) if text else False,
        "languages": [(code, _language_name(code)) for code in sorted(agreement.texts)],
        "blocks": agreement_text.text_blocks(text),
        "shown_hash": shown_hash,
        "signatures": [
            (s, s.text_hash == agreement_text.text_hash(agreement.texts.get(s.language, "")))
            for s in signatures
        ],
        "unsigned": [Signature.Party(party).label for party in unsigned],
        "intact": agreement_text.is_intact(agreement),
        "sign_forms": list(zip(to_sign, forms, strict=True)),
        "paper_form": paper_form if seen.staff and open_ else None,
        # The reader's language first: the PDF she gets by default is the one she reads.
        "pdf_languages": sorted(
            ((code, _language_name(code)) for code in pdf.pdf_languages(agreement)),
            key=lambda item: item[0] != language,
        ),
        "pdf_language": pdf.pdf_language(agreement, language),
        "is_admin": roles.is_admin_of(user, duo.programme.organisation_id),
        "to_check": not agreement.frozen_at
        and language in agreement_text.unchecked_languages(duo.programme),
    }
    return render(request, "duos/agreement.html", context, status=status)


@login_required
def agreement(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    seen = access.access_duo(request.user, duo_id)
    return _page(request, seen, language=request.GET.get("language"))


@login_required
@require_POST
def agreement_sign(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    seen = access.access_duo(request.user, duo_id)
    form = SignForm(request.POST)
    language = request.POST.get("language")
    if not form.is_valid():
        if "seen_hash" in form.errors:
            messages.error(
                request, _("The text of the agreement has just changed: read it again, then sign.")
            )
        return _page(request, seen, language=language, sign_form=form, status=400)
    data = form.cleaned_data
    try:
        services.agreement_sign(
            duo=seen.duo,
            party=data["party"],
            actor=request.user,
            typed_name=data["typed_name"],
            language=data["language"],
            seen_hash=data["seen_hash"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _page(request, seen, language=language, sign_form=form, status=400)
    messages.success(request, _("Thank you: your signature is recorded."))
    url = reverse("duos:agreement", args=[seen.duo.pk])
    return redirect(f"{url}?language={data['language']}")


@login_required
@require_POST
def agreement_paper(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    seen = access.access_duo(request.user, duo_id, staff_only=True)
    agreement = agreement_text.agreement_as_shown(seen.duo)
    form = PaperSignatureForm(
        request.POST,
        request.FILES,
        languages=[(code, code) for code in agreement.texts],
    )
    if not form.is_valid():
        return _page(request, seen, paper_form=form, status=400)
    data = form.cleaned_data
    try:
        services.agreement_record_paper(
            duo=seen.duo,
            party=data["party"],
            actor=request.user,
            signer_name=data["signer_name"],
            signed_on=data["signed_on"],
            scan=data["scan"],
            language=data["language"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _page(request, seen, paper_form=form, status=400)
    messages.success(request, _("The paper signature is recorded."))
    return redirect("duos:agreement", seen.duo.pk)


# No Content-Security-Policy on the PDF: it is ours and holds no active content, and a browser's
# built-in PDF viewer does not open under the site's object-src 'none'.
@csp_override({})
@login_required
def agreement_pdf(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    seen = access.access_duo(request.user, duo_id)
    agreement = agreement_text.agreement_as_shown(seen.duo)
    language = pdf.pdf_language(agreement, request.GET.get("language"), translation.get_language())
    response = HttpResponse(pdf.agreement_pdf_bytes(agreement, language), "application/pdf")
    name = f"agreement-duo-{seen.duo.pk}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def signature_scan(
    request: AuthenticatedHttpRequest, duo_id: int, signature_id: int
) -> HttpResponseBase:
    seen = access.access_duo(request.user, duo_id, staff_only=True)
    signature = (
        Signature.objects.filter(pk=signature_id, agreement__duo=seen.duo).exclude(scan="").first()
    )
    if signature is None:
        raise Http404
    try:
        scan = signature.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Signatures without a scan are excluded above.
    assert signature.scan.name is not None
    extension = signature.scan.name.rsplit(".", 1)[-1].lower()
    audit(
        actor=request.user,
        organisation=seen.duo.programme.organisation,
        action="agreement.scan_view",
        target=signature,
    )
    # Downloaded, never shown in the page's origin: an upload is not trusted content.
    return FileResponse(
        scan,
        content_type=SCAN_TYPES.get(extension, "application/octet-stream"),
        filename=f"signature-{signature.party}.{extension}",
        as_attachment=True,
    )


def _sample_values(programme: Programme, user: User) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "mentor": _("(name of the mentor)"),
        "mentee": _("(name of the mentee)"),
        "programme": programme.name,
        "organisation": programme.organisation.name,
        "start": cldr.format_date(today),
        "end": cldr.format_date(add_months(today, programme.duration_months)),
        "meetings_per_month": agreement_text.format_count(programme.meetings_per_month),
        "duration_months": str(programme.duration_months),
        "coordinator": user.full_name,
        "coordinator_contact": user.email,
    }


@login_required
def agreement_template(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(
        request.user, programme_id, roles=roles.ADMIN_ROLES
    )
    languages = agreement_text.template_languages()
    if request.method == "POST":
        language = request.POST.get("language")
    else:
        language = request.GET.get("language") or languages[0]
    if language not in languages:
        # Never another language's template in its place: saving would overwrite it.
        raise Http404
    bodies = agreement_text.template_bodies(programme)
    unchecked = agreement_text.unchecked_languages(programme)
    body, saved = bodies.get(language, ("", False))
    stamp = services.template_stamp(
        AgreementTemplate.objects.filter(programme=programme, language=language).first()
    )
    form = AgreementTemplateForm(request.POST or None, initial={"body": body, "based_on": stamp})
    preview, error = None, ""
    if request.method == "POST" and "confirm" in request.POST:
        try:
            services.agreement_template_confirm(
                programme=programme, language=language, actor=request.user
            )
        except ValidationError as failure:
            messages.error(request, _errors(failure))
        else:
            messages.success(request, _("Translation confirmed: it is now the programme's text."))
        url = reverse("duos:agreement_template", args=[programme.pk])
        return redirect(f"{url}?language={language}")
    if request.method == "POST" and form.is_valid():
        new_body = form.cleaned_data["body"]
        if "preview" in request.POST:
            unknown = agreement_text.unknown_placeholders(new_body)
            error = ", ".join(f"${name}" for name in unknown)
            sample = agreement_text.fill(new_body, _sample_values(programme, request.user))
            preview = agreement_text.text_blocks(sample)
        else:
            try:
                services.agreement_template_save(
                    programme=programme,
                    language=language,
                    body=new_body,
                    actor=request.user,
                    based_on=form.cleaned_data["based_on"],
                )
            except EditConflict as conflict:
                messages.error(request, " ".join(conflict.messages))
                # The text typed stays; saving again (after a look) replaces the newer one.
                data = request.POST.copy()
                data["based_on"] = stamp
                form = AgreementTemplateForm(data, initial={"body": body, "based_on": stamp})
                form.is_valid()
            except ValidationError as failure:
                messages.error(request, _errors(failure))
            else:
                messages.success(
                    request,
                    _("Agreement template saved. Agreements nobody has signed yet follow it."),
                )
                url = reverse("duos:agreement_template", args=[programme.pk])
                return redirect(f"{url}?language={language}")
    context = {
        "programme": programme,
        "form": form,
        "language": language,
        "rtl": get_language_info(language).get("bidi", False),
        "languages": [
            (
                code,
                _language_name(code),
                code in bodies,
                bodies.get(code, ("", False))[1],
                code in unchecked,
            )
            for code in languages
        ],
        "saved": saved,
        "to_check": language in agreement_text.unchecked_languages(programme),
        "reference": "" if language in bodies else bodies.get("fr", ("", False))[0],
        "placeholders": [
            (f"${name}", label) for name, label in agreement_text.PLACEHOLDERS.items()
        ],
        "preview": preview,
        "unknown": error,
    }
    return render(request, "duos/agreement_template.html", context)


urlpatterns = [
    path("duos/<int:duo_id>/agreement/", agreement, name="agreement"),
    path("duos/<int:duo_id>/agreement/sign/", agreement_sign, name="agreement_sign"),
    path("duos/<int:duo_id>/agreement/paper/", agreement_paper, name="agreement_paper"),
    path("duos/<int:duo_id>/agreement/pdf/", agreement_pdf, name="agreement_pdf"),
    path(
        "duos/<int:duo_id>/agreement/signatures/<int:signature_id>/scan/",
        signature_scan,
        name="signature_scan",
    ),
    path(
        "programmes/<int:programme_id>/agreement-template/",
        agreement_template,
        name="agreement_template",
    ),
]
