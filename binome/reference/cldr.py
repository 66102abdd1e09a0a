"""Dates, times and lists as the reader's language writes them, from CLDR (Babel).

Django's `date` filter writes month names from its own catalogues, in the nominative ("грудень"
where Ukrainian says "4 грудня") and with one pattern per language; CLDR gives each language its
own order, month forms and separators. Pages, e-mails and PDFs a participant reads go through
these helpers; machine formats (ISO in `<time datetime>`, inputs, CSV) stay Django's.

Aware datetimes are shown in the active time zone (the site's unless a request activated
another), as Django's `localtime` does.
"""

import datetime
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Literal

from django.utils import timezone
from django.utils.translation import get_language

if TYPE_CHECKING:
    from babel import Locale

# The four widths CLDR names; anything else is read as a CLDR skeleton ("MMMEd", "yMMMd").
Width = Literal["short", "medium", "long", "full"]
WIDTHS: dict[str, Width] = {"short": "short", "medium": "medium", "long": "long", "full": "full"}


def reader_language(language: str | None = None) -> str:
    """The reader's language without its region ("pt-br" -> "pt"), the active one by default."""
    return (language or get_language() or "en").split("-")[0]


@cache
def cldr_locale(language: str) -> "Locale | None":
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


def _locale(language: str | None) -> "Locale":
    from babel import Locale

    return cldr_locale(reader_language(language)) or Locale.parse("en")


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(
    value: datetime.date | datetime.datetime | None,
    format: str = "long",
    language: str | None = None,
) -> str:
    """Write a date ("4 décembre 2026", "4 ديسمبر 2026", "4 грудня 2026 р."); "" for None.

    `format` is a CLDR width (short, medium, long, full) or a CLDR skeleton such as "MMMEd"."""
    from babel import dates

    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    locale = _locale(language)
    if format in WIDTHS:
        return str(dates.format_date(value, format, locale=locale))
    return str(dates.format_skeleton(format, value, locale=locale))


def format_time(
    value: datetime.datetime | datetime.time | None, language: str | None = None
) -> str:
    """Write a time of day as the reader's language does ("16:30", "4:30 PM", "4:30 م")."""
    from babel import dates

    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).replace(tzinfo=None)
    return str(dates.format_time(value, "short", locale=_locale(language)))


def format_datetime(
    value: datetime.datetime | None, format: str = "long", language: str | None = None
) -> str:
    """Write a date and its time of day, joined as the language joins them
    ("4 décembre 2026, 16:30"): the date at `format`, the time in hours and minutes."""
    from babel import dates

    if value is None or value == "":
        return ""
    locale = _locale(language)
    width = WIDTHS.get(format, "medium")
    pattern = str(dates.get_datetime_format(width, locale=locale))
    return pattern.replace("{1}", format_date(value, format, language)).replace(
        "{0}", format_time(value, language)
    )


def format_list(items: Iterable[object], language: str | None = None) -> str:
    """Join names as the reader's language does: "A, B et C", "A، B وC", "A, B і C"."""
    from babel.lists import format_list as cldr_format_list

    names = [str(item) for item in items]
    lang = reader_language(language)
    if lang == "ar" and len(names) > 2:
        # CLDR joins every Arabic item with "و"; a long list reads better with the Arabic comma.
        return "، ".join(names[:-1]) + " و" + names[-1]
    if cldr_locale(lang) is None:
        return ", ".join(names)
    return str(cldr_format_list(names, locale=lang))
