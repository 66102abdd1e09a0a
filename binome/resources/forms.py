from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.content import CONTENT_LANGUAGES, TranslationsFormMixin, language_name
from binome.core.forms import VersionField
from binome.programmes.models import Organisation, Programme
from binome.resources.models import Audience, Resource


class ResourceForm(TranslationsFormMixin, forms.ModelForm):
    translated_fields = ("title", "description", "body")

    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(
        label=_("For whom"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one audience.")},
    )
    version = VersionField()

    class Meta:
        model = Resource
        fields = ["kind", "programme", "title", "description", "body", "url"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {"body": _("Lines starting with ## are headings.")}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, languages=organisation.content_languages, **kwargs)
        programmes = Programme.objects.filter(organisation=organisation)
        programme_field = self.fields["programme"]
        assert isinstance(programme_field, forms.ModelChoiceField)
        programme_field.queryset = programmes
        programme_field.empty_label = str(_("Every programme"))
        themes = sorted({t for p in programmes for t in p.themes or []}, key=str.casefold)
        themes += [t for t in self.instance.themes or [] if t not in themes]
        theme_field = self.fields["themes"]
        assert isinstance(theme_field, forms.MultipleChoiceField)
        theme_field.choices = [(t, t) for t in themes]
        if self.instance.pk:
            self.initial.setdefault("themes", self.instance.themes)
            self.initial.setdefault("audiences", self.instance.audiences)
            self.initial.setdefault("version", self.instance.version)
        else:
            self.initial.setdefault("audiences", [Audience.MENTORS])
            self.initial.setdefault("version", 1)

    def data_for_service(self) -> dict[str, Any]:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data["themes"] = self.cleaned_data["themes"]
        for code in Audience.values:
            data[f"for_{code}"] = code in self.cleaned_data["audiences"]
        return data


class FileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the file"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, language_name(code)) for code in CONTENT_LANGUAGES]
