"""Dates and lists in the reader's language, from CLDR: `{% load cldr %}`.

`{{ meeting.starts_at|cldr_datetime }}`, `{{ duo.started_on|cldr_date:"long" }}`,
`{{ day|cldr_date:"MMMEd" }}` (a CLDR skeleton), `{{ names|cldr_list }}`. Machine formats (the
`datetime` attribute of `<time>`, inputs, CSV) keep Django's `date` filter.
"""

import datetime
from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

from binome.reference import cldr

register = template.Library()


@register.filter
def cldr_date(value: datetime.date | datetime.datetime | None, format: str = "long") -> str:
    return cldr.format_date(value, format)


@register.filter
def cldr_datetime(value: datetime.datetime | None, format: str = "long") -> str:
    return cldr.format_datetime(value, format)


@register.filter
def cldr_time(value: datetime.datetime | datetime.time | None) -> str:
    return cldr.format_time(value)


@register.filter(needs_autoescape=True)
def cldr_list(items: Iterable[object] | None, autoescape: bool = True) -> SafeString:
    """Join as the reader's language does; each item escaped unless safe (a marked fallback)."""
    texts = [item if isinstance(item, SafeData) else str(item) for item in items or []]
    joined = [conditional_escape(text) if autoescape else text for text in texts]
    return mark_safe(cldr.format_list(joined))  # noqa: S308 - items escaped, separators text
