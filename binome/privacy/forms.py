"""The privacy screens' forms: the audit trail's filters (a GET form, every field optional), an
erasure's confirmation, an organisation's retention periods, and a participant's own details."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binome.accounts.models import User
from binome.core.forms import VersionField
from binome.people.fields import PhoneField
from binome.privacy import selectors
from binome.privacy.actions import action_label
from binome.programmes.models import Organisation


class AuditFilterForm(forms.Form):
    # Set by the link on a participant's page; shown above the list with a way to remove it.
    person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Participant's name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    staff: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Staff member"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Everyone"),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = selectors.organisation_staff(organisation=organisation)
        actions = selectors.audit_actions(organisation=organisation)
        labelled = sorted(((code, action_label(code)) for code in actions), key=lambda c: c[1])
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("All actions")), *labelled]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return cleaned

    def filters(self) -> selectors.AuditFilters:
        """The valid filters; an invalid one (a stale bookmark) is ignored, not an error."""
        if not self.is_bound:
            return selectors.AuditFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        if self.non_field_errors():
            data.pop("date_from", None)
            data.pop("date_to", None)
        staff = data.get("staff")
        return selectors.AuditFilters(
            person=data.get("person"),
            name=(data.get("name") or "").strip(),
            staff=staff.pk if staff else None,
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class EraseForm(forms.Form):
    """The confirmation of an erasure: it cannot be undone."""

    confirm = forms.BooleanField(
        label=_("I understand that this participant's data will be erased for good."),
        required=True,
    )


class RetentionForm(forms.Form):
    """An organisation's retention periods, with the version the form was opened on."""

    retention_closed_days = forms.IntegerField(
        label=_("Closed or withdrawn participants are anonymised after (days)"),
        min_value=1,
        max_value=36_500,
    )
    retention_rejected_days = forms.IntegerField(
        label=_("Applications not retained are anonymised after (days)"),
        min_value=1,
        max_value=36_500,
    )
    retention_scan_days = forms.IntegerField(
        label=_("Scans of paper signatures are deleted after the duo's end (days)"),
        min_value=1,
        max_value=36_500,
    )
    retention_audit_days = forms.IntegerField(
        label=_("Audit trail events are deleted after (days)"),
        min_value=1,
        max_value=36_500,
    )
    agreement_retention_years = forms.IntegerField(
        label=_("Signed agreements are kept after the duo's end (years)"),
        help_text=_(
            "The legal duty to keep a signed agreement: until then, its signers cannot be erased."
        ),
        min_value=0,
        max_value=30,
    )
    version = VersionField()

    FIELDS = (
        "retention_closed_days",
        "retention_rejected_days",
        "retention_scan_days",
        "retention_audit_days",
        "agreement_retention_years",
    )


class MyDetailsForm(forms.Form):
    """What a participant corrects herself: how to reach her, and her language (GDPR art. 16)."""

    phone = PhoneField(label=_("Phone"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)
    version = VersionField()
