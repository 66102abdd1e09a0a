"""Forms of the questionnaires app: the shape of the input only; the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.questionnaires.models import Assignment, GoalScore, Questionnaire, Response, Role

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English"), ("ar", "العربية"), ("uk", "Українська")]


class AssignmentForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    moment = forms.ChoiceField(label=_("When"), choices=Assignment.Moment.choices)
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=52, required=False
    )
    role = forms.ChoiceField(label=_("Who answers"), choices=Role.choices)

    def __init__(self, *args: object, questionnaires: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Instrument file (JSON)"), required=False)
    text = forms.CharField(
        label=_("…or paste its content"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                raise forms.ValidationError(_("The file is too large (1 MB at most)."))
            try:
                data["content"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file must be UTF-8 text.")) from None
        elif data.get("text"):
            data["content"] = data["text"]
        else:
            raise forms.ValidationError(_("Choose a file or paste its content."))
        return data


class EntryForm(forms.Form):
    assignment = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Assignment.objects.none()
    )
    entry_mode = forms.ChoiceField(label=_("Answers given"), choices=Response.EntryMode.choices)
    language = forms.ChoiceField(label=_("Answered in"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: object, assignments: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assignment"].queryset = assignments  # type: ignore[attr-defined]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class GoalLevelsForm(forms.Form):
    level_m2 = forms.CharField(
        label=_("−2: much less than expected"), max_length=300, required=False
    )
    level_m1 = forms.CharField(label=_("−1: less than expected"), max_length=300, required=False)
    level_0 = forms.CharField(label=_("0: the expected result"), max_length=300)
    level_p1 = forms.CharField(label=_("+1: more than expected"), max_length=300, required=False)
    level_p2 = forms.CharField(
        label=_("+2: much more than expected"), max_length=300, required=False
    )

    NAMES = {"-2": "level_m2", "-1": "level_m1", "0": "level_0", "1": "level_p1", "2": "level_p2"}

    def levels(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name) or "" for key, name in self.NAMES.items()}


class GoalScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(-2, "−2"), (-1, "−1"), (0, "0"), (1, "+1"), (2, "+2")],
        widget=forms.RadioSelect,
    )
    moment = forms.ChoiceField(label=_("When"), choices=GoalScore.Moment.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
