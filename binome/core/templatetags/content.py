"""Texts written for participants, rendered in the reader's language with the fallback marked."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from binome.core.content import Translatable, direction_of

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
def text_direction(language: str) -> str:
    return direction_of(language)
