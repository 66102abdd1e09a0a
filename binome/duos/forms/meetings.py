"""Meeting and visit forms: the shape of the input; rules live in the services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.core.forms import VersionField
from binome.duos.models import METHOD_STEPS, Duo, Meeting, Side
from binome.duos.services.meetings import MeetingFields, uses_method
from binome.programmes.forms import VocabularyChoiceField, VocabularyMultipleChoiceField
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

# The meeting's fields offered from the programme's lists, and the list each reads.
MEETING_LISTS = {
    "mode": Vocabulary.MEETING_MODES,
    "themes": Vocabulary.THEMES,
    "supports": Vocabulary.SUPPORTS,
}

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def rounded_now(minutes: int = 15) -> datetime.datetime:
    """Now in local time, rounded down so that a held meeting's default is never in the future."""
    now = timezone.localtime()
    return now.replace(minute=now.minute - now.minute % minutes, second=0, microsecond=0)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=5,
        max_value=720,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
    )
    # The programme's own ways of meeting, themes and supports, set by __init__.
    mode = VocabularyChoiceField(label=_("Mode"), widget=forms.RadioSelect)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    held = forms.BooleanField(label=_("This meeting took place"), required=False)
    themes = VocabularyMultipleChoiceField(label=_("Themes"), required=False)
    supports = VocabularyMultipleChoiceField(label=_("Support given"), required=False)
    shared_notes = forms.CharField(
        label=_("Notes for the duo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did, what comes next. Both of you can read them."),
    )
    private_notes = forms.CharField(
        label=_("Private coordinator notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only coordinators see these notes, never the mentor or the mentee."),
    )
    # The version the form was opened on, to detect a save made by someone else meanwhile.
    version = VersionField()

    def __init__(
        self, *args: Any, duo: Duo, staff: bool, meeting: Meeting | None = None, **kwargs: Any
    ) -> None:
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = meeting_initial(meeting, staff=staff)
        super().__init__(*args, **kwargs)
        self.method = uses_method(duo.programme)
        lists = vocabulary_of(duo.programme)
        # The lists with nothing left to offer: a page opened before may still send an item.
        self.unoffered: dict[str, str] = {}
        for name, vocabulary in MEETING_LISTS.items():
            # self.fields holds plain Fields to the stubs; these are the fields declared above.
            field = cast(VocabularyMultipleChoiceField, self.fields[name])
            field.offer(lists, vocabulary, getattr(meeting, name, None))
            if not field.offered:
                del self.fields[name]
                self.unoffered[name] = vocabulary
        self.lists = lists
        if "mode" not in self.initial and "mode" in self.fields:
            modes = cast(VocabularyChoiceField, self.fields["mode"]).offered
            self.initial["mode"] = modes[0][0] if modes else Meeting.Mode.IN_PERSON
        if self.method:
            for step, label in METHOD_STEPS.items():
                self.fields[f"method_{step}"] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
        if not staff:
            # Not even an empty field: a party's save must never touch the private notes.
            del self.fields["private_notes"]
        if meeting is None or meeting.status != Meeting.Status.PLANNED:
            del self.fields["held"]
        if meeting is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name, vocabulary in self.unoffered.items():
            getlist = getattr(self.data, "getlist", None)
            sent = [code for code in getlist(name) if code] if getlist else []
            refused = self.lists.refuse_retired(vocabulary, sent)
            if refused:
                self.add_error(None, refused)
        return cleaned

    def when_fields(self) -> list[BoundField]:
        return [self["starts_at"], self["duration_minutes"]]

    def how_fields(self) -> list[BoundField]:
        return [self[name] for name in ("mode", "place", "held") if name in self.fields]

    def more_fields(self) -> list[BoundField]:
        names = ["themes", "supports", *(f"method_{step}" for step in METHOD_STEPS)]
        return [self[name] for name in [*names, "shared_notes"] if name in self.fields]

    def staff_fields(self) -> list[BoundField]:
        return [self["private_notes"]] if "private_notes" in self.fields else []

    def content(self) -> MeetingFields:
        """The cleaned input as the meeting services take it."""
        data = self.cleaned_data
        fields: MeetingFields = {
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "mode": data["mode"],
            "place": data["place"].strip(),
            "shared_notes": data["shared_notes"],
        }
        if "supports" in self.fields:
            fields["supports"] = data["supports"]
        if "themes" in self.fields:
            fields["themes"] = data["themes"]
        if self.method:
            fields["method_notes"] = {step: data[f"method_{step}"] for step in METHOD_STEPS}
        if "private_notes" in self.fields:
            fields["private_notes"] = data["private_notes"]
        return fields


def meeting_initial(meeting: Meeting, *, staff: bool) -> dict[str, object]:
    initial: dict[str, object] = {
        "starts_at": timezone.localtime(meeting.starts_at),
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.mode,
        "place": meeting.place,
        "themes": meeting.themes,
        "supports": meeting.supports,
        "shared_notes": meeting.shared_notes,
        "version": meeting.version,
        **{f"method_{step}": text for step, text in (meeting.method_notes or {}).items()},
    }
    if staff:
        initial["private_notes"] = meeting.private_notes
    return initial


class VisitForm(forms.Form):
    host = forms.ChoiceField(
        label=_("Host"),
        choices=[(Side.MENTEE, _("The mentee city")), (Side.MENTOR, _("The mentor city"))],
        widget=forms.RadioSelect,
    )
    city = forms.CharField(label=_("Host city"), max_length=120)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mentee_attendees = forms.CharField(
        label=_("Who came from the mentee team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name and role per line."),
    )
    mentor_attendees = forms.CharField(
        label=_("Who came from the mentor team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name and role per line."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitEditForm(VisitForm):
    """A recorded visit, corrected; the version detects a correction saved meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
