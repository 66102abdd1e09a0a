from collections.abc import Collection, Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.duos.models import Signature
from binome.duos.services.agreement import BODY_MAX_CHARS


class SignForm(forms.Form):
    """An online confirmation: the signer types their full name under the text they read."""

    party = forms.ChoiceField(choices=Signature.Party.choices, widget=forms.HiddenInput)
    language = forms.CharField(max_length=8, widget=forms.HiddenInput)
    # The hash of the text shown, required: a text that changed since is not signed blindly.
    seen_hash = forms.CharField(max_length=64, widget=forms.HiddenInput)
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    confirm = forms.BooleanField(
        label=_("I have read this agreement and I agree to it."),
        error_messages={"required": _("Tick the box to confirm that you agree.")},
    )


class PaperSignatureForm(forms.Form):
    """A signature made on paper, recorded by a coordinator with its scan."""

    party = forms.ChoiceField(label=_("Who signed"), choices=Signature.Party.choices)
    signer_name = forms.CharField(label=_("Name of the person who signed"), max_length=200)
    signed_on = forms.DateField(
        label=_("Date of the signature"), widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language of the signed text"), choices=())
    scan = forms.FileField(
        label=_("Scan of the signed paper"),
        help_text=_("PDF, JPEG or PNG, 5 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(
        self,
        *args: Any,
        parties: Collection[str] | None = None,
        languages: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds plain Fields to the stubs; these are the ChoiceFields declared above.
        if parties is not None:
            cast(forms.ChoiceField, self.fields["party"]).choices = [
                (value, label) for value, label in Signature.Party.choices if value in parties
            ]
        cast(forms.ChoiceField, self.fields["language"]).choices = list(languages)


class AgreementTemplateForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the agreement"),
        max_length=BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 28, "dir": "auto"}),
        help_text=_(
            "A line starting with “## ” is a heading, a line starting with “- ” an item of a "
            "list; a blank line separates paragraphs."
        ),
    )
    # The saved template's stamp when the form was opened (see services.template_stamp).
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)
