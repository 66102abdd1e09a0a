"""Forms of the closure: the coordinator's closing form, closing feedback, follow-up answers."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binome.duos.forms.supervision import EnteredForFields
from binome.duos.models import Duo, FollowUpAnswer
from binome.duos.services.closure import NextStep
from binome.programmes.forms import VocabularyChoiceField, VocabularyMultipleChoiceField
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

# Words beside the numbers: a mentee reading in a second language need not guess what 1 means.
RATING_CHOICES = [
    (1, _("1 – Bad")),
    (2, _("2 – Not so good")),
    (3, _("3 – Fair")),
    (4, _("4 – Good")),
    (5, _("5 – Very good")),
]
USEFULNESS_CHOICES = [
    (1, _("1 – Not useful")),
    (2, _("2 – A little useful")),
    (3, _("3 – Fairly useful")),
    (4, _("4 – Useful")),
    (5, _("5 – Very useful")),
]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CloseForm(forms.Form):
    # The programme's own reasons and outcomes (binome.programmes.vocabularies), set by __init__.
    reason = VocabularyChoiceField(label=_("Reason for closing"))
    closed_on = forms.DateField(
        label=_("Closing date"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outcomes = VocabularyMultipleChoiceField(label=_("Outcomes"), required=False)
    outcome_notes = forms.CharField(
        label=_("Outcome notes"),
        help_text=_("Coordinators only: never shown to the mentor or the mentee."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    mentor_next = forms.ChoiceField(choices=NextStep.choices, widget=forms.RadioSelect)
    mentee_next = forms.ChoiceField(choices=NextStep.choices, widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, duo: Duo, mentor_other_duos: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "closed_on": timezone.localdate(),
                # Mentors usually stay volunteers; most mentees end their journey here.
                "mentor_next": NextStep.POOL,
                "mentee_next": NextStep.LEAVE,
            },
        )
        super().__init__(*args, **kwargs)
        lists = vocabulary_of(duo.programme)
        reason = cast(VocabularyChoiceField, self.fields["reason"])
        reason.offer(lists, Vocabulary.CLOSE_REASONS, duo.close_reason, blank=True)
        outcomes = cast(VocabularyMultipleChoiceField, self.fields["outcomes"])
        outcomes.offer(lists, Vocabulary.OUTCOMES, duo.outcomes)
        self.fields["mentor_next"].label = _("Next for %(name)s (mentor)") % {
            "name": duo.mentor.display_name
        }
        self.fields["mentee_next"].label = _("Next for %(name)s (mentee)") % {
            "name": duo.mentee.display_name
        }
        if mentor_other_duos:
            self.fields["mentor_next"].help_text = _(
                "Still mentoring in another open duo: stays matched there."
            )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the mentoring?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    best = forms.CharField(
        label=_("What helped you most?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    improve = forms.CharField(
        label=_("What could be better?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("What is your situation today?"),
        choices=FollowUpAnswer.Situation.choices,
        widget=forms.RadioSelect,
    )
    still_in_contact = forms.TypedChoiceField(
        label=_("Are you still in touch with each other?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the mentoring for you?"),
        choices=USEFULNESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EnteredFeedbackForm(FeedbackForm, EnteredForFields):
    """Closing feedback a coordinator enters for a side, given by phone, on paper or in person."""

    field_order = ["side", "channel", "given_on", "rating", "best", "improve"]
