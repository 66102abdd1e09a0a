"""Partner, contact, referral and carried-objective forms: the shape of the input only."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.content import TranslationsFormMixin
from binome.core.forms import VersionField
from binome.duos.models import Duo, Objective
from binome.partners.models import Partner, PartnerContact, Referral
from binome.programmes.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(TranslationsFormMixin, forms.ModelForm):
    translated_fields = ("description",)
    version = VersionField()

    class Meta:
        model = Partner
        fields = ["name", "kind", "description", "address", "website", "email", "phone", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def partner_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)

    class Meta:
        model = PartnerContact
        fields = ["name", "function", "email", "phone", "language", "active"]

    def contact_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=PartnerContact.objects.none(), required=False
    )
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the partner needs to know; coordinators alone read it here."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(organisation=organisation, active=True)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["contact"].queryset = (  # type: ignore[attr-defined]
            PartnerContact.objects.filter(partner__in=partners, active=True).select_related(
                "partner"
            )
        )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)
    outcome_on = forms.DateField(label=_("Outcome on"), required=False, widget=DATE_WIDGET)
    outcome_note = forms.CharField(label=_("Outcome note"), max_length=500, required=False)
    version = VersionField()


class ObjectivePartnerForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none())
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("No partner"),
    )
    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=PartnerContact.objects.none(), required=False
    )
    role = forms.CharField(label=_("What the partner does"), max_length=200, required=False)

    def __init__(self, *args: Any, duo: Duo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_id = duo.programme.organisation_id
        partners = Partner.objects.filter(organisation_id=organisation_id, active=True)
        self.fields["objective"].queryset = duo.objectives.all()  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["contact"].queryset = (  # type: ignore[attr-defined]
            PartnerContact.objects.filter(partner__in=partners, active=True).select_related(
                "partner"
            )
        )
