from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.content import TranslationsFormMixin
from binome.core.forms import VersionField
from binome.programmes.models import Organisation
from binome.resources.models import Resource
from binome.training.models import Module, Question, Skill


class ModuleForm(TranslationsFormMixin, forms.ModelForm):
    translated_fields = ("title", "summary", "body")
    version = VersionField()

    class Meta:
        model = Module
        fields = [
            "title",
            "summary",
            "body",
            "video_url",
            "duration_minutes",
            "pass_mark",
            "attachments",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "attachments": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "body": _("Lines starting with ## are headings, lines starting with - a list."),
            "pass_mark": _("Leave empty for a module without a quiz."),
            "video_url": _("A YouTube, Vimeo or PeerTube address is shown in the page."),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, languages=organisation.content_languages, **kwargs)
        field = self.fields["attachments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Resource.objects.filter(organisation=organisation)
        field.required = False
        self.initial.setdefault("version", self.instance.version if self.instance.pk else 1)

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "attachments"}


class QuestionForm(TranslationsFormMixin, forms.ModelForm):
    translated_fields = ("text", "choices")

    class Meta:
        model = Question
        fields = ["text", "choices"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "choices": _(
                "One choice per line; put a * before each right answer. Translations: "
                "the same lines in the same order, without the *."
            )
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, languages=organisation.content_languages, **kwargs)


class PathForm(forms.Form):
    modules = forms.ModelMultipleChoiceField(
        label=_("Required modules, in this order"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sessions_required = forms.IntegerField(
        label=_("Training sessions to attend"), min_value=0, max_value=50, initial=0
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["modules"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Module.objects.filter(organisation=organisation)


class SkillForm(TranslationsFormMixin, forms.ModelForm):
    translated_fields = ("name",)

    class Meta:
        model = Skill
        fields = ["name"]


class ExternalTrainingForm(forms.Form):
    note = forms.CharField(
        label=_("Training done elsewhere (where, when, what)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_value=999, decimal_places=1, max_digits=5, initial=0
    )


class SkillsForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills the team recognises"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, programme_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skills"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Skill.objects.filter(programme_id=programme_id).select_related(
            "programme__organisation"
        )
