"""Forms of the programmes app: directory filters and programme settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.core.content import CONTENT_LANGUAGES, TranslationsFormMixin, language_name
from binome.core.forms import (
    OUT_OF_DATE,
    CodesField,
    TextItemsMixin,
    VersionField,
    without_controls,
)
from binome.programmes.models import Organisation, Programme, VocabularyItem
from binome.programmes.selectors import DirectoryOptions
from binome.programmes.services import OrganisationFields, ProgrammeFields
from binome.programmes.vocabularies import ProgrammeVocabulary
from binome.reference import languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ANY: list[tuple[str, StrOrPromise]] = [("", _("Any"))]


class DirectoryFilterForm(forms.Form):
    """Filters of the public directory; an unknown value is ignored rather than refused."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    mode = forms.ChoiceField(label=_("How you meet"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    kind = forms.ChoiceField(label=_("Kind of mentoring"), required=False)

    def __init__(self, *args: Any, options: DirectoryOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds plain Fields to the stubs; these are the ChoiceFields declared above.
        cast(forms.ChoiceField, self.fields["language"]).choices = ANY + options["languages"]
        cast(forms.ChoiceField, self.fields["mode"]).choices = ANY + Programme.Mode.choices
        cast(forms.ChoiceField, self.fields["city"]).choices = ANY + options["cities"]
        cast(forms.ChoiceField, self.fields["kind"]).choices = ANY + Programme.Kind.choices

    def filters(self) -> dict[str, str]:
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class ThemesField(TextItemsMixin, forms.CharField):
    """Themes typed one per line, cleaned to a list without blanks or repeats."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    # Cleaned to a list, where the stubs' CharField promises a str.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        # By the casefolded theme, the first spelling typed.
        seen: dict[str, str] = {}
        for line in (super().to_python(value) or "").splitlines():
            line = without_controls(line).strip()
            if line:
                seen.setdefault(line.casefold(), line[:200])
        return list(seen.values())[:50]


class ProgrammeForm(TranslationsFormMixin, forms.Form):
    """A programme's settings, edited by an organisation admin.

    Its texts for participants get an input per language of the organisation, each after its
    source-language input (binome.core.content).
    """

    translated_fields = Programme.TRANSLATED

    # The organisations to choose from are the acting admin's, set by __init__.
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=50,
        required=False,
        help_text=_("Letters, digits and hyphens. Left empty, it is made from the name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Programme.Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    audience = forms.CharField(
        label=_("Who it is for"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    commitment = forms.CharField(
        label=_("Commitment asked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Programme.Mode.choices)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    duration_months = forms.IntegerField(
        label=_("Duration in months"), min_value=1, max_value=60, initial=6
    )
    meetings_per_month = forms.DecimalField(
        label=_("Meetings expected per month"),
        min_value=0,
        max_digits=4,
        decimal_places=2,
        initial=2,
    )
    default_mentor_capacity = forms.IntegerField(
        label=_("Default mentor capacity"), min_value=1, max_value=20, initial=1
    )
    intercultural_method = forms.TypedChoiceField(
        label=_(
            "Intercultural method at meetings (there, here, comparison, verification, conclusion)"
        ),
        choices=[
            ("", _("As usual for this kind of programme")),
            ("True", _("Yes")),
            ("False", _("No")),
        ],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )
    needs = CodesField(vocab.NEEDS, label=_("Needs worked on"))
    themes = ThemesField(label=_("Themes (one per line)"), required=False)
    applications_open = forms.BooleanField(label=_("Applications open"), required=False)
    listed = forms.BooleanField(label=_("Shown in the public directory"), required=False)
    # The version the form was opened on, to detect a save made by someone else meanwhile.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    setting_fields = [
        "name",
        "slug",
        "kind",
        "description",
        "audience",
        "commitment",
        "languages",
        "mode",
        "city",
        "duration_months",
        "meetings_per_month",
        "default_mentor_capacity",
        "intercultural_method",
        "needs",
        "themes",
        "applications_open",
        "listed",
    ]

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        editing: bool = False,
        programme: Programme | None = None,
        content_languages: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        # Read by TranslationsFormMixin for the texts already written in each language.
        self.instance = programme
        super().__init__(*args, languages=content_languages or [], **kwargs)
        order: list[str] = []
        for name in self.fields:
            if "__" in name:
                continue
            order.append(name)
            if name in self.translated_fields:
                order += [f"{name}__{code}" for code in self.other_languages]
        self.order_fields(order)
        languages_field = cast(forms.MultipleChoiceField, self.fields["languages"])
        languages_field.choices = languages.language_choices()
        if editing:
            self.fields["version"].required = True
            # Once created, a programme's needs and themes are items of its lists, edited on
            # their own page (programmes:vocabularies) with their translations.
            del self.fields["needs"]
            del self.fields["themes"]
        else:
            del self.fields["version"]
        if organisations is None or len(organisations) <= 1:
            # Editing, or an admin of a single organisation: nothing to choose.
            del self.fields["organisation"]
        else:
            organisation = cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"])
            organisation.queryset = organisations

    def settings(self) -> ProgrammeFields:
        """The cleaned settings, as the programme services take them."""
        data = self.cleaned_data
        fields: ProgrammeFields = {
            "name": data["name"],
            "slug": data["slug"],
            "kind": data["kind"],
            "description": data["description"],
            "audience": data["audience"],
            "commitment": data["commitment"],
            "languages": data["languages"],
            "mode": data["mode"],
            "city": data["city"],
            "duration_months": data["duration_months"],
            "meetings_per_month": data["meetings_per_month"],
            "default_mentor_capacity": data["default_mentor_capacity"],
            "intercultural_method": data["intercultural_method"],
            "applications_open": data["applications_open"],
            "listed": data["listed"],
            "translations": self.cleaned_translations(),
        }
        if "needs" in self.fields:
            fields["needs"], fields["themes"] = data["needs"], data["themes"]
        return fields

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's validation errors on the matching fields, the rest on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


def content_language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in CONTENT_LANGUAGES]


class OrganisationSettingsForm(forms.Form):
    """The settings an organisation admin changes, with the version the page was opened at."""

    source_language = forms.ChoiceField(
        label=_("Language the programme texts are written in first"),
        choices=content_language_choices,
        required=False,
        help_text=_(
            "The texts of the programme's own fields (name, description…) are in this language."
        ),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Languages they are also written in"),
        choices=content_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each text for participants gets an input per language; a participant reads hers, "
            "or the first language, marked as such, where a translation is missing."
        ),
    )

    require_two_factor = forms.BooleanField(
        label=_("Require two-step login for admins and coordinators"),
        help_text=_(
            "At their next login, admins and coordinators without an authenticator app are "
            "taken to set one up, and reach nothing else until they have. Mentors and mentees "
            "may turn it on for themselves; they are never required to."
        ),
        required=False,
    )
    version = VersionField(required=True, error_messages={"required": OUT_OF_DATE})

    def settings(self) -> OrganisationFields:
        fields: OrganisationFields = {"require_two_factor": self.cleaned_data["require_two_factor"]}
        source = self.cleaned_data["source_language"]
        if source:  # a form sent without the languages leaves them as they are
            others = self.cleaned_data["other_languages"]
            fields["content_languages"] = [
                source,
                *(code for code in CONTENT_LANGUAGES if code in others and code != source),
            ]
        return fields


class EditionForm(forms.Form):
    """An edition's name and dates; the service checks that the name is free."""

    name = forms.CharField(
        label=_("Name"), max_length=60, help_text=_("For example 2025–2026 or Spring 2026.")
    )
    starts_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lessons = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What worked, what to change: printed in the edition's global evaluation."),
    )

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's validation errors on the matching fields, the rest on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class VocabularyItemForm(TranslationsFormMixin, forms.Form):
    """An item of a programme's list: its label in each of the organisation's languages."""

    translated_fields = ("label",)

    label = forms.CharField(label=_("Label"), max_length=200)
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        item: VocabularyItem | None = None,
        content_languages: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        # Read by TranslationsFormMixin for the labels already written in each language.
        self.instance = item
        if item is not None:
            kwargs.setdefault("initial", {"label": item.label, "version": item.version})
        super().__init__(*args, languages=content_languages or [], **kwargs)
        if item is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = OUT_OF_DATE

    def label_translations(self) -> dict[str, str]:
        return self.cleaned_translations().get("label", {})


class VocabularyActionForm(forms.Form):
    """Move, retire or bring back an item, from the version the page showed."""

    action = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("retire", "retire"), ("restore", "restore")]
    )
    version = VersionField(required=True, error_messages={"required": OUT_OF_DATE})


class _FromVocabulary:
    """Offer a programme's items; a retired one sent by a page opened before is refused with
    its name, not as an unknown choice."""

    lists: ProgrammeVocabulary | None = None
    vocabulary = ""
    offered: list[tuple[str, str]] = []

    def offer(
        self,
        lists: ProgrammeVocabulary,
        vocabulary: str,
        current: Iterable[str] | str | None = None,
        blank: bool = False,
    ) -> None:
        """Offer the list's items in use and the record's current ones (`blank`: a "—" first)."""
        self.lists, self.vocabulary = lists, vocabulary
        self.offered = lists.choices(vocabulary, current)
        # The field's choices property (ChoiceField's), set where the stubs see a plain Field.
        cast(forms.ChoiceField, self).choices = [("", "—")] * blank + self.offered

    def _refuse_retired(self, values: Iterable[str]) -> None:
        if self.lists is None:
            return
        offered = {code for code, _label in self.offered}
        message = self.lists.refuse_retired(self.vocabulary, values, offered)
        if message and any(self.lists.knows(self.vocabulary, v) for v in values):
            raise ValidationError(message, code="retired")


class VocabularyChoiceField(_FromVocabulary, forms.ChoiceField):
    def validate(self, value: Any) -> None:
        if value:
            self._refuse_retired([value])
        super().validate(value)


class VocabularyMultipleChoiceField(_FromVocabulary, forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def validate(self, value: Any) -> None:
        self._refuse_retired([v for v in value or [] if v])
        super().validate(value)
