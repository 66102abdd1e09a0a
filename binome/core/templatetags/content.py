"""Texts written for participants, rendered in the reader's language with the fallback marked."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from binome.core.content import Translatable, direction_of, language_name

register = template.Library()


@register.filter
def localized(obj: Translatable | None, field: str) -> SafeString:
    """`{{ programme|localized:"name" }}`: inline text, in a marked <span> when a fallback."""
    if obj is None:
        return mark_safe("")
    return obj.localized(field).inline()


@register.filter
def localized_block(obj: Translatable | None, field: str) -> SafeString:
    """`{{ programme|localized_block:"description" }}`: a block with line breaks, marked."""
    if obj is None:
        return mark_safe("")
    return obj.localized(field).block()


@register.filter
def localized_text(obj: Translatable | None, field: str) -> str:
    """`{{ programme|localized_text:"name" }}`: the plain text (e-mails, titles), no markup."""
    if obj is None:
        return ""
    return str(obj.localized(field))


@register.filter
def text_direction(language: str) -> str:
    return direction_of(language)


@register.filter
def missing_in(obj: Translatable | None, languages: Iterable[str] | None) -> list[str]:
    """`{{ programme|missing_in:organisation.content_languages }}`: names of the languages a
    text written for participants still lacks, for staff."""
    if obj is None or not languages:
        return []
    return [language_name(code) for code in obj.missing_languages(languages)]
