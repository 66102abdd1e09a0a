"""Forms of the check-in, the coordinator's log and the supervision board (shape only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.vocab import ENTRY_CHANNEL_CHOICES
from binome.duos.models import Alert, Duo, Side, SupervisionNote

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from binome.programmes.models import Programme

# Labels read aloud by screen readers and shown under each face.
MOODS = [
    (1, _("Very bad")),
    (2, _("Bad")),
    (3, _("So-so")),
    (4, _("Good")),
    (5, _("Very good")),
]
# The mouth of each face, drawn in SVG so that no emoji font is needed on the phone.
MOUTHS = {
    1: "M7.5 17.5 Q12 12 16.5 17.5",
    2: "M8.5 16.5 Q12 14 15.5 16.5",
    3: "M8.5 15.5 L15.5 15.5",
    4: "M8.5 14.5 Q12 17.5 15.5 14.5",
    5: "M7.5 14 Q12 20 16.5 14",
}


class Face(TypedDict):
    value: int
    label: StrOrPromise
    mouth: str
    checked: bool


class EnteredForFields(forms.Form):
    """Who gave the answer a coordinator enters, how, and on which day."""

    side = forms.ChoiceField(label=_("Given by"), choices=Side.choices)
    channel = forms.ChoiceField(label=_("How it was given"), choices=ENTRY_CHANNEL_CHOICES)
    given_on = forms.DateField(
        label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label=_("How is it going?"),
        choices=MOODS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a face to say how it is going."),
            "invalid_choice": _("Choose one of the five faces."),
        },
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_comment_help"}),
        help_text=_("Only the coordinator reads this, not the other person of your duo."),
    )
    wants_call = forms.BooleanField(
        label=_("I would like the coordinator to call me"), required=False
    )

    def faces(self) -> list[Face]:
        """The five choices with their face, for the big buttons of the template."""
        chosen = str(self["mood"].value() or "")
        return [
            {
                "value": value,
                "label": label,
                "mouth": MOUTHS[value],
                "checked": str(value) == chosen,
            }
            for value, label in MOODS
        ]


class AlertResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say in a few words what was done.")},
    )


class SupervisionNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SupervisionNote.Kind.choices, initial=SupervisionNote.Kind.CALL
    )
    with_side = forms.ChoiceField(
        label=_("With"),
        choices=[("", _("Both / nobody in particular")), *Side.choices],
        required=False,
    )
    at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    text = forms.CharField(
        label=_("Notes"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what was said or noted.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))


class BoardFilterForm(forms.Form):
    """The GET form above the supervision board; every field is optional."""

    STATUS_CHOICES = [
        ("", _("Open duos")),
        *Duo.Status.choices,
        ("all", _("All duos")),
    ]
    SORT_CHOICES = [
        ("health", _("Needs attention first")),
        ("last_meeting", _("Longest without a meeting")),
        ("end", _("Ending soonest")),
        ("name", _("Name")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Mentor or mentee")}),
    )
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    kind = forms.ChoiceField(label=_("Alert"), required=False)
    alerts = forms.BooleanField(label=_("With open alerts only"), required=False)
    follow_up = forms.ChoiceField(
        label=_("Follow-up"),
        required=False,
        choices=[("", _("Any")), ("due", _("Due, not answered"))],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, programmes: Iterable[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds plain Fields to the stubs; these are the ChoiceFields declared above.
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("All programmes")),
            *((programme.pk, programme.name) for programme in programmes),
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Any alert or none")),
            *Alert.Kind.choices,
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one (a stale bookmark) is ignored, not an error."""
        if self.is_valid():
            return self.cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class EnteredCheckInForm(CheckInForm, EnteredForFields):
    """A check-in a coordinator enters for a side, given by phone, on paper or in person."""

    field_order = ["side", "channel", "given_on", "mood", "comment", "wants_call"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("Only coordinators read this.")
        self.fields["wants_call"].label = _("They would like the coordinator to call them")
