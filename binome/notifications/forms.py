from django import forms
from django.utils.translation import gettext_lazy as _

from binome.notifications.models import Kind


class PreferencesForm(forms.Form):
    """The kinds of e-mail a participant wants; an unticked kind is an opt-out."""

    wanted = forms.MultipleChoiceField(
        label=_("E-mails I want to receive"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
