"""Forms of a duo's corrections: its period, rhythm and coordinator, and a pause (shape only)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DuoCorrectForm(forms.Form):
    started_on = forms.DateField(label=_("Start"), widget=DATE)
    planned_end_on = forms.DateField(label=_("Planned end"), widget=DATE)
    meetings_per_month = forms.DecimalField(
        label=_("Meetings expected per month"),
        min_value=0,
        max_value=31,
        max_digits=4,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the programme's rhythm."),
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=User.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the duo's audit trail."),
    )

    def __init__(self, *args: Any, coordinators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = coordinators

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("planned_end_on")
        if start and end and end <= start:
            self.add_error("planned_end_on", _("The planned end must come after the start."))
        return data


class DuoPauseForm(forms.Form):
    paused_from = forms.DateField(label=_("Paused from"), widget=DATE)
    paused_until = forms.DateField(label=_("Until"), widget=DATE)
    pause_reason = forms.CharField(
        label=_("Why (illness, travel…)"),
        max_length=200,
        required=False,
        help_text=_("Seen by coordinators only."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("paused_from"), data.get("paused_until")
        if start and end and end < start:
            self.add_error("paused_until", _("The pause cannot end before it starts."))
        return data
