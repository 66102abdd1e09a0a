"""Coordinator screens for partners, their contacts, referrals and the partners of objectives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.errors import EditConflict
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.duos import access as duos_access
from binome.partners import access, selectors, services
from binome.partners.forms import (
    ContactForm,
    ObjectivePartnerForm,
    OutcomeForm,
    PartnerForm,
    ReferralForm,
)
from binome.people import access as people_access
from binome.programmes import access as programmes_access


@login_required
def partner_list(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = programmes_access.access_organisation(request.user, organisation_id)
    partners = list(selectors.partners_of(organisation))
    context = {"organisation": organisation, "partners": partners}
    return render(request, "partners/list.html", context)


@login_required
def partner_create(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = programmes_access.access_organisation(request.user, organisation_id)
    data = request.POST if request.method == "POST" else None
    form = PartnerForm(data, languages=organisation.content_languages)
    if data is not None and form.is_valid():
        try:
            partner = services.partner_create(
                organisation=organisation,
                actor=request.user,
                translations=form.cleaned_translations(),
                **form.partner_fields(),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Partner added."))
            return redirect("partners:detail", partner.pk)
    context = {"organisation": organisation, "form": form, "partner": None}
    return render(request, "partners/form.html", context)


@login_required
def partner_detail(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner(request.user, partner_id)
    context = {
        "organisation": partner.organisation,
        "partner": partner,
        "contacts": list(partner.contacts.all()),
        "referrals": list(selectors.referrals_to_partner(partner)),
        "objectives": list(selectors.objectives_carried_by(partner)),
        "missing": partner.missing_languages(partner.organisation.content_languages),
        "contact_form": ContactForm(),
    }
    return render(request, "partners/detail.html", context)


@login_required
def partner_edit(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner(request.user, partner_id)
    organisation = partner.organisation
    data = request.POST if request.method == "POST" else None
    initial = {"version": partner.version}
    form = PartnerForm(
        data, instance=partner, initial=initial, languages=organisation.content_languages
    )
    if data is not None and form.is_valid():
        try:
            services.partner_update(
                partner=access.access_partner(request.user, partner_id),
                actor=request.user,
                version=form.cleaned_data["version"],
                translations=form.cleaned_translations(),
                **form.partner_fields(),
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("partners:detail", partner.pk)
    context = {"organisation": organisation, "form": form, "partner": partner}
    return render(request, "partners/form.html", context)


@login_required
def contact_create(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner(request.user, partner_id)
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data)
    if data is not None and form.is_valid():
        try:
            services.contact_create(partner=partner, actor=request.user, **form.contact_fields())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect("partners:detail", partner.pk)
    context = {"organisation": partner.organisation, "partner": partner, "form": form}
    return render(request, "partners/contact_form.html", context)


@login_required
def contact_edit(
    request: AuthenticatedHttpRequest, partner_id: int, contact_id: int
) -> HttpResponse:
    contact = access.access_contact(request.user, partner_id, contact_id)
    partner = contact.partner
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data, instance=contact)
    if data is not None and form.is_valid():
        try:
            services.contact_update(contact=contact, actor=request.user, **form.contact_fields())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("partners:detail", partner.pk)
    context = {"organisation": partner.organisation, "partner": partner, "form": form}
    return render(request, "partners/contact_form.html", {**context, "contact": contact})


@login_required
def referral_create(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = people_access.access_programme_participant(
        request.user, programme_id, participant_id
    )
    organisation = participant.programme.organisation
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, organisation=organisation)
    if data is not None and form.is_valid():
        try:
            services.referral_create(
                participant=participant, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Referral recorded."))
            return redirect("people:detail", programme_id, participant.pk)
    context = {
        "participant": participant,
        "programme": participant.programme,
        "organisation": organisation,
        "form": form,
        "has_partners": selectors.partners_of(organisation, active_only=True).exists(),
    }
    return render(request, "partners/referral_form.html", context)


@login_required
def referral_outcome(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = access.access_referral(request.user, referral_id)
    data = request.POST if request.method == "POST" else None
    initial = {
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on,
        "outcome_note": referral.outcome_note,
        "version": referral.version,
    }
    form = OutcomeForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            services.referral_record_outcome(
                referral=referral,
                actor=request.user,
                version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                outcome_on=form.cleaned_data["outcome_on"],
                outcome_note=form.cleaned_data["outcome_note"],
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Outcome saved."))
            participant = referral.participant
            return redirect("people:detail", participant.programme_id, participant.pk)
    context = {"referral": referral, "participant": referral.participant, "form": form}
    return render(request, "partners/referral_outcome.html", context)


@login_required
def objective_partner(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo = duos_access.access_duo(request.user, duo_id, staff_only=True).duo
    data = request.POST if request.method == "POST" else None
    initial = {"objective": request.GET.get("objective")} if data is None else None
    form = ObjectivePartnerForm(data, duo=duo, initial=initial)
    if data is not None and form.is_valid():
        try:
            services.objective_partner_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Partner of the objective saved."))
            return redirect("duos:plan", duo.pk)
    links = selectors.objective_partners_of_duo(duo.pk)
    context = {"duo": duo, "form": form, "links": links.values()}
    return render(request, "partners/objective_partner.html", context)
