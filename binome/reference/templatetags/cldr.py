"""Dates and lists in the reader's language, from CLDR: `{% load cldr %}`.

`{{ meeting.starts_at|cldr_datetime }}`, `{{ duo.started_on|cldr_date:"long" }}`,
`{{ day|cldr_date:"MMMEd" }}` (a CLDR skeleton), `{{ names|cldr_list }}`. Machine formats (the
`datetime` attribute of `<time>`, inputs, CSV) keep Django's `date` filter.
"""

import datetime
from collections.abc import Iterable

from django import template

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


@register.filter
def cldr_list(items: Iterable[object] | None) -> str:
    return cldr.format_list(items or [])
