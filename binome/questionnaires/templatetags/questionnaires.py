"""Template helpers for answering a questionnaire in the language the person chose."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from binome.core.content import Translatable, localize
from binome.questionnaires.models import GOAL_LEVELS, GoalScale, Item

register = template.Library()


@register.simple_tag
def in_language(obj: Translatable, field: str, language: str) -> SafeString:
    """The text in the response's language, or its source text marked with its own language."""
    return obj.localized(field, language).inline()


def _label(texts: dict[str, str], item: Item, language: str) -> SafeString:
    source = texts.get(item.language, "")
    return localize(source, texts, language=language, source_language=item.language).inline()


@register.filter
def points(item: Item, language: str) -> list[dict[str, Any]]:
    """The points of a Likert or goal item, each with its anchor (if any) in the language."""
    low, high = item.min_value, item.max_value
    if low is None or high is None:
        return []
    return [
        {"value": value, "label": _label(item.anchors.get(str(value), {}), item, language)}
        for value in range(low, high + 1)
    ]


@register.filter
def options(item: Item, language: str) -> list[dict[str, Any]]:
    return [
        {"value": option["value"], "label": _label(option.get("label", {}), item, language)}
        for option in item.options
    ]


@register.filter
def goal_rows(scale: GoalScale | None) -> list[tuple[str, str]]:
    if scale is None:
        return []
    return [
        (f"{value:+d}" if value else "0", scale.level(value)) for value in reversed(GOAL_LEVELS)
    ]


@register.filter
def get_level(levels: dict[str, str] | None, key: str) -> str:
    return (levels or {}).get(key, "")
