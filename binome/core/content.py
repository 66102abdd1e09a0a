"""Texts a coordinator writes for participants, in the organisation's languages.

A model keeps each text in its source language in its own field (what staff screens, search and
ordering use) and the other languages in one `translations` column:
`{"name": {"ar": "…", "uk": "…"}, "description": {"ar": "…"}}`. A reader gets her language; where
it is missing she gets the source text marked with its own `lang` and `dir`, so that a French
sentence inside an Arabic page keeps its punctuation where it belongs. Staff see which languages
a text lacks (`missing_languages`); a participant is never shown another language unmarked.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# Every language Binôme's interface speaks; an organisation writes its content in some of them.
CONTENT_LANGUAGES: list[str] = [code for code, _name in settings.LANGUAGES]
SOURCE_LANGUAGE = settings.LANGUAGE_CODE


def direction_of(language: str) -> str:
    """Return "rtl" or "ltr" for a language code (unknown codes read left to right)."""
    try:
        return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def language_name(language: str) -> str:
    """The language's name in the active interface language ("Arabe" on a French page)."""
    try:
        return str(translation.get_language_info(language)["name_translated"])
    except KeyError:
        return language


@dataclass(frozen=True)
class Localized:
    """A text in the language it is actually written in, rendered with that language marked."""

    text: str
    language: str
    fallback: bool

    @property
    def direction(self) -> str:
        return direction_of(self.language)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> str:
        return self.inline()

    def _foreign(self) -> bool:
        return self.fallback or self.language != (translation.get_language() or SOURCE_LANGUAGE)

    def inline(self) -> SafeString:
        """The text in a <span>, its language and direction marked when they are not the page's."""
        if not self.text:
            return mark_safe("")
        if not self._foreign():
            return format_html('<bdi dir="auto">{}</bdi>', self.text)
        return format_html(
            '<span lang="{}" dir="{}">{}</span>', self.language, self.direction, self.text
        )

    def block(self) -> SafeString:
        """The text as a paragraph block, line breaks kept, its language marked."""
        if not self.text:
            return mark_safe("")
        return format_html(
            '<div lang="{}" dir="{}" class="content-text">{}</div>',
            self.language,
            self.direction,
            linebreaksbr(self.text),
        )


def localize(
    source: str,
    translated: dict[str, str] | None,
    *,
    language: str | None = None,
    source_language: str = SOURCE_LANGUAGE,
) -> Localized:
    """Return the text in `language` (default: the active one), else the source text, marked."""
    wanted = language or translation.get_language() or source_language
    wanted = wanted.split("-")[0]
    if wanted == source_language:
        return Localized(source or "", source_language, fallback=False)
    text = (translated or {}).get(wanted, "")
    if text:
        return Localized(text, wanted, fallback=False)
    return Localized(source or "", source_language, fallback=True)


class Translatable(models.Model):
    """A model with texts for participants in several languages (see the module's docstring).

    A subclass names its texts in TRANSLATED and says in which language its own fields are
    written by overriding `source_language` (usually its organisation's first language).
    """

    TRANSLATED: ClassVar[tuple[str, ...]] = ()

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def source_language(self) -> str:
        return SOURCE_LANGUAGE

    def localized(self, field: str, language: str | None = None) -> Localized:
        """Return the text of `field` in `language` (default: the active one), or its fallback."""
        if field not in self.TRANSLATED:
            raise ValueError(f"{type(self).__name__}.{field} is not a translated text")
        return localize(
            getattr(self, field),
            (self.translations or {}).get(field),
            language=language,
            source_language=self.source_language(),
        )

    def missing_languages(self, languages: Iterable[str]) -> list[str]:
        """The languages, among those given, that lack a translation of a text that is written."""
        source = self.source_language()
        stored = self.translations or {}
        missing = []
        for language in languages:
            if language == source:
                continue
            for field in self.TRANSLATED:
                if getattr(self, field) and not stored.get(field, {}).get(language):
                    missing.append(language)
                    break
        return missing


def translation_field_name(field: str, language: str) -> str:
    return f"{field}__{language}"


class TranslationsFormMixin(forms.BaseForm):
    """Add an input per text and per language of the organisation beside a model form's own.

    The form gets `languages` (the organisation's, its source language first) and reads the
    inputs back with `cleaned_translations()`, the value for the model's `translations`.
    """

    translated_fields: ClassVar[Sequence[str]] = ()

    def __init__(self, *args: Any, languages: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.source_language = languages[0] if languages else SOURCE_LANGUAGE
        self.other_languages = [code for code in languages[1:] if code in CONTENT_LANGUAGES]
        stored = getattr(instance, "translations", None) or {}
        for field in self.translated_fields:
            base = self.fields[field]
            for language in self.other_languages:
                multiline = isinstance(base.widget, forms.Textarea)
                extra = forms.CharField(
                    label=_("%(field)s (%(language)s)")
                    % {"field": base.label, "language": language_name(language)},
                    required=False,
                    max_length=getattr(base, "max_length", None),
                    initial=stored.get(field, {}).get(language, ""),
                    widget=forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput,
                )
                extra.widget.attrs.update({"lang": language, "dir": direction_of(language)})
                self.fields[translation_field_name(field, language)] = extra
            base.widget.attrs.update(
                {"lang": self.source_language, "dir": direction_of(self.source_language)}
            )

    def cleaned_translations(self) -> dict[str, dict[str, str]]:
        """Return {field: {language: text}} for the texts typed, empty ones left out."""
        result: dict[str, dict[str, str]] = {}
        for field in self.translated_fields:
            texts = {}
            for language in self.other_languages:
                text = (
                    self.cleaned_data.get(translation_field_name(field, language)) or ""
                ).strip()
                if text:
                    texts[language] = text
            if texts:
                result[field] = texts
        return result


def merge_translations(
    stored: dict[str, dict[str, str]],
    typed: dict[str, dict[str, str]],
    *,
    fields: Iterable[str],
    languages: Iterable[str],
) -> dict[str, dict[str, str]]:
    """Replace the stored texts of the languages a form showed; keep the others as they were.

    An organisation that drops a language from its list keeps the texts written in it, so that
    adding the language back does not lose them.
    """
    shown = set(languages)
    merged: dict[str, dict[str, str]] = {}
    for field in set(stored) | set(fields):
        kept = {code: text for code, text in stored.get(field, {}).items() if code not in shown}
        kept.update(typed.get(field, {}))
        if kept:
            merged[field] = kept
    return merged
