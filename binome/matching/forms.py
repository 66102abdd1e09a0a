import re
from typing import Any, Required

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binome.core.vocab import ENTRY_CHANNEL_CHOICES
from binome.matching import explain
from binome.matching.models import MatchingSettings, Proposal
from binome.matching.services import SettingsFields

_PAIR = re.compile(r"^(\d{1,12})-(\d{1,12})$")
_ACTION = re.compile(
    r"^(?:(lock|forbid|skip|clear):(\d{1,12})-(\d{1,12})|(exchange|rerun|send|send_ticked))$"
)


def parse_pair(value: str) -> tuple[int, int]:
    found = _PAIR.match(value or "")
    if not found:
        raise ValidationError(_("This pair is not valid."))
    return int(found[1]), int(found[2])


class SettingsChanges(SettingsFields):
    """What a valid settings form asks to save, and the version it was opened on."""

    expected_version: Required[int]


class PairListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[tuple[int, int]]:
        return [parse_pair(v) for v in value or []]


class RunActionForm(forms.Form):
    """One action on the proposed set; the clicked button says which (and on which pair)."""

    action = forms.CharField(max_length=40)
    swap = PairListField(required=False)
    fingerprint = forms.CharField(max_length=64, required=False)
    run = forms.IntegerField(required=False, min_value=1)

    def clean_action(self) -> tuple[str, tuple[int, int] | None]:
        found = _ACTION.match(self.cleaned_data["action"])
        if not found:
            raise ValidationError(_("Unknown action."))
        if found[4]:
            return (found[4], None)
        return (found[1], (int(found[2]), int(found[3])))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        verb = (data.get("action") or ("", None))[0]
        if verb == "exchange" and len(data.get("swap") or []) != 2:
            raise ValidationError(_("Tick exactly two pairs to exchange their partners."))
        if verb == "send_ticked" and not data.get("swap"):
            raise ValidationError(_("Tick the pairs to send first."))
        return data


class RunFilterForm(forms.Form):
    """Search and filters of a run's rows (GET)."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Pairs and people without a partner")),
            ("pairs", _("Pairs only")),
            ("unmatched", _("Without a partner only")),
            ("locked", _("Locked pairs only")),
        ],
    )
    below = forms.IntegerField(label=_("Score below"), min_value=0, max_value=101, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(type="search", autocomplete="off")


class MatchingSettingsForm(forms.Form):
    min_language_level = forms.ChoiceField(
        label=_("Minimum level in a shared language"), choices=MatchingSettings.Level.choices
    )
    min_shared_slots = forms.IntegerField(
        label=_("Minimum common time slots per week"), min_value=0, max_value=21
    )
    min_score = forms.IntegerField(label=_("Minimum score (0–100)"), min_value=0, max_value=100)
    require_training = forms.BooleanField(
        label=_("Mentors must have completed the training"), required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=MatchingSettings.Method.choices)
    # The version the form was opened on, to detect a save made by someone else meanwhile.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in explain.CRITERIA.items():
            self.fields[f"weight_{name}"] = forms.IntegerField(
                label=_("Weight: %(criterion)s") % {"criterion": label},
                min_value=0,
                max_value=100,
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        weights = [data.get(f"weight_{name}") for name in explain.CRITERIA]
        if all(w is not None for w in weights) and not any(weights):
            raise ValidationError(_("At least one criterion needs a weight above zero."))
        return data

    def weights(self) -> dict[str, int]:
        return {name: self.cleaned_data[f"weight_{name}"] for name in explain.CRITERIA}

    def changes(self, *, reset: bool) -> SettingsChanges | None:
        """Return what to save and the version it was based on, or None if the input is invalid."""
        if reset:
            # Back to the default weights: the other fields are not saved, so they need not be
            # valid; the version still is, so that a reset does not silently undo a newer save.
            try:
                version = self.fields["version"].clean(self.data.get("version"))
            except ValidationError:
                return None
            return {"expected_version": version, "weights": {}}
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "weights": self.weights(),
            "min_language_level": data["min_language_level"],
            "min_shared_slots": data["min_shared_slots"],
            "min_score": data["min_score"],
            "require_training": data["require_training"],
            "method": data["method"],
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            (Proposal.Answer.ACCEPTED, _("I accept")),
            (Proposal.Answer.DECLINED, _("I decline")),
        ]
    )
    reason = forms.CharField(
        label=_("Why? (optional)"), max_length=500, required=False, widget=forms.Textarea
    )
    # Only for a coordinator recording an answer given by phone, on paper or in person.
    side = forms.ChoiceField(
        choices=[("mentee", _("Mentee")), ("mentor", _("Mentor"))], required=False
    )
    channel = forms.ChoiceField(
        label=_("How it was given"), choices=ENTRY_CHANNEL_CHOICES, required=False
    )
    given_on = forms.DateField(
        label=_("Given on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProposeForm(forms.Form):
    """A pair chosen by hand: the partner, and why it goes out despite a rule it breaks."""

    partner = forms.TypedChoiceField(label=_("Partner"), coerce=int)
    reason = forms.CharField(
        label=_("Reason for the exception (needed if the pair breaks a rule)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *partners]
