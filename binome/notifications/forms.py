from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.notifications.models import Kind


class PreferencesForm(forms.Form):
    """The kinds of e-mail a person wants among those they may get; unticked is an opt-out."""

    wanted = forms.MultipleChoiceField(
        label=_("E-mails I want to receive"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kinds: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds plain Fields to the stubs; "wanted" is the field declared above.
        wanted = cast(forms.MultipleChoiceField, self.fields["wanted"])
        wanted.choices = [(kind, Kind(kind).label) for kind in kinds]
