"""Dates, times and lists come from CLDR (Babel) in the reader's language and time zone."""

import datetime
import zoneinfo

import pytest
from babel import dates as babel_dates
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from binome.reference import cldr

DAY = datetime.date(2026, 12, 4)
# 15:30 UTC is 16:30 in Paris (the site's time zone).
MOMENT = datetime.datetime(2026, 12, 4, 15, 30, tzinfo=datetime.UTC)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load cldr %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "4 décembre 2026"),
        ("en", "December 4, 2026"),
        ("ar", "4 ديسمبر 2026"),
        ("uk", "4 грудня 2026\u202fр."),  # the genitive month, as a date says it
    ],
)
def test_a_long_date_is_written_as_cldr_writes_it_in_the_reader_s_language(language, expected):
    assert render('{{ day|cldr_date:"long" }}', language, day=DAY) == expected
    assert expected == babel_dates.format_date(DAY, "long", locale=language)
    assert cldr.format_date(DAY, "long", language) == expected


@pytest.mark.parametrize("language", ["fr", "en", "ar", "uk"])
def test_every_width_and_skeleton_matches_babel(language):
    for width in ("short", "medium", "full"):
        expected = babel_dates.format_date(DAY, width, locale=language)
        assert render(f'{{{{ day|cldr_date:"{width}" }}}}', language, day=DAY) == expected
    expected = babel_dates.format_skeleton("MMMEd", DAY, locale=language)
    assert render('{{ day|cldr_date:"MMMEd" }}', language, day=DAY) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "4 décembre 2026, 16:30"),
        ("en", "December 4, 2026, 4:30\u202fPM"),
        ("ar", "4 ديسمبر 2026، 4:30 م"),
        ("uk", "4 грудня 2026\u202fр., 16:30"),
    ],
)
def test_a_moment_is_written_in_the_site_s_time_zone(language, expected):
    assert render("{{ moment|cldr_datetime }}", language, moment=MOMENT) == expected
    time = babel_dates.format_time(MOMENT, "short", tzinfo=PARIS, locale=language)
    assert render("{{ moment|cldr_time }}", language, moment=MOMENT) == time
    assert time in expected


def test_a_moment_follows_the_active_time_zone():
    with timezone.override(zoneinfo.ZoneInfo("America/Montreal")):
        assert cldr.format_datetime(MOMENT, "long", "fr") == "4 décembre 2026, 10:30"
    # Late in the evening in Paris is already the next day in Kyiv, and the date follows it.
    late = datetime.datetime(2026, 12, 4, 22, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Kyiv")):
        assert cldr.format_date(late, "long", "uk") == "5 грудня 2026\u202fр."


def test_nothing_is_written_for_a_missing_date():
    assert render("{{ day|cldr_date }}·{{ day|cldr_datetime }}·{{ day|cldr_time }}", "fr") == "··"


def test_lists_are_joined_as_the_reader_s_language_joins_them():
    names = ["Amina", "Marek", "Carla"]
    assert render("{{ names|cldr_list }}", "fr", names=names) == "Amina, Marek et Carla"
    assert render("{{ names|cldr_list }}", "uk", names=names[:2]) == "Amina і Marek"
    assert render("{{ names|cldr_list }}", "ar", names=["أ", "ب", "ج"]) == "أ، ب وج"
    # Names are text: the list is escaped like any other value.
    assert render("{{ names|cldr_list }}", "en", names=["<b>", "c"]) == "&lt;b&gt; and c"


def test_a_list_keeps_the_markup_of_a_safe_item():
    marked = mark_safe('<span lang="fr" dir="ltr">Emploi</span>')
    assert render("{{ items|cldr_list }}", "ar", items=[marked, "<i>"]) == (
        '<span lang="fr" dir="ltr">Emploi</span> و&lt;i&gt;'
    )
