"""Forms of the community app: shape only, the rules are in services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.community.models import Activity, Audience
from binome.core.content import TranslationsFormMixin
from binome.core.forms import VersionField
from binome.people.models import Participant
from binome.programmes.models import Programme

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _when(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


class ActivityForm(TranslationsFormMixin, forms.Form):
    translated_fields = ("title", "description")

    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Step-free access, lift, hearing loop, childcare…"),
    )
    video_link = forms.URLField(label=_("Video link"), required=False, max_length=200)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Empty: no limit. Beyond it, people who say yes join a waiting list."),
    )
    audience = forms.ChoiceField(label=_("Who is invited"), choices=Audience.choices)
    statuses = forms.MultipleChoiceField(
        label=_("Only people whose status is"),
        choices=Participant.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone currently in the programme."),
    )
    counts_as_training = forms.BooleanField(label=_("Counts as training"), required=False)
    version = VersionField()

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes  # type: ignore[attr-defined]


class AnnouncementForm(TranslationsFormMixin, forms.Form):
    translated_fields = ("title", "body")

    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(label=_("To"), choices=Audience.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes  # type: ignore[attr-defined]
