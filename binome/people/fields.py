"""Form fields shared by every form that edits an intake profile (coordinator, applicant)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.core.forms import TextItemsMixin, without_controls
from binome.reference import languages


def normalise_phone(value: str, region: str = "FR") -> str:
    """Return an international phone number in E.164 form, or raise a translated ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "This phone number is not valid. "
                "Write it with the country code, e.g. +33 6 12 34 56 78."
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_key(value: str) -> str:
    """Return the form of a phone number that its keyed hash is taken of (search, duplicates).

    E.164 when the number is valid, whatever its spelling ("06 12 34 56 78", "+33612345678");
    otherwise its digits (and a leading +), so that an odd number typed the same way is found.
    """
    try:
        return normalise_phone(value)
    except ValidationError:
        value = (value or "").strip()
        return ("+" if value.startswith("+") else "") + "".join(c for c in value if c.isdigit())


class PhoneField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"})

    def clean(self, value: Any) -> str:
        return normalise_phone(super().clean(value))


class LanguageLevelsWidget(forms.Widget):
    """Rows of (language, level): the language typed with suggestions (a <datalist> of every
    language named in the reader's language, the programme's first), the level chosen. Works
    without JavaScript: a name, a code or an English name is read back to its ISO 639 code."""

    template_name = "includes/language_levels_widget.html"
    rows = 4
    use_fieldset = True  # several inputs under one label: a <fieldset> with a <legend>
    # The languages suggested first (a programme's), set by the form.
    first: tuple[str, ...] = ()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # A dict from the database, or the typed (language, level) pairs after an error.
        items = list(value.items()) if isinstance(value, dict) else list(value or [])
        items += [("", "")] * max(self.rows - len(items), 0)
        context["widget"]["rows"] = [
            {
                "index": i,
                # A code shows as its name; what was typed and not understood shows as typed.
                "language": languages.language_name(lang)
                if languages.is_language_code(lang)
                else lang,
                "level": level,
            }
            for i, (lang, level) in enumerate(items)
        ]
        context["widget"]["languages"] = languages.picker_choices(first=self.first)
        context["widget"]["levels"] = vocab.CEFR_CHOICES
        return context

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile[Any]], name: str
    ) -> list[tuple[str, str]]:
        pairs = []
        for i in range(20):
            typed = data.get(f"{name}_lang_{i}")
            if typed is None:
                break
            code = languages.code_for_name(typed) or " ".join(str(typed).split())[:100]
            pairs.append((code, data.get(f"{name}_level_{i}", "")))
        return pairs

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile[Any]], name: str
    ) -> bool:
        return f"{name}_lang_0" not in data


class LanguageLevelsField(forms.Field):
    """Languages spoken, each with a CEFR level: cleaned to {"ar": "native", "fr": "A2"}."""

    widget = LanguageLevelsWidget

    def to_python(self, value: Any) -> dict[str, str]:
        if isinstance(value, dict):
            return value
        result = {}
        for lang, level in value or []:
            if not lang and not level:
                continue
            if not lang or not level:
                raise ValidationError(
                    _("For each language, choose both the language and the level."),
                    code="incomplete",
                )
            if not languages.is_language_code(lang) or level not in vocab.CEFR_LEVELS:
                raise ValidationError(_("Choose a language and a level from the lists."))
            result[lang] = level
        return result

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class AvailabilityField(forms.MultipleChoiceField):
    """Weekly availability: morning / afternoon / evening for each day."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        choices = [
            (f"{day}_{part}", f"{day_label} – {part_label}")
            for day, day_label in vocab.DAYS.items()
            for part, part_label in vocab.DAY_PARTS.items()
        ]
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)


class TagsField(TextItemsMixin, forms.CharField):
    """Free keywords separated by commas (interests), cleaned to a sorted list without repeats."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    # Cleaned to a list, where the stubs' CharField promises a str.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        value = super().to_python(value)
        if isinstance(value, list):
            return value
        tags = {without_controls(tag).strip().casefold() for tag in (value or "").split(",")}
        return sorted(tag for tag in tags if tag)[:30]
