"""What the duos tests share: the clock and a few small helpers."""

import datetime
import html
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from django.utils import translation

PARIS = ZoneInfo("Europe/Paris")
START = datetime.date(2025, 1, 6)  # a Monday; the cast's programme: 2 meetings a month, 6 months


def at(day: datetime.date, hour: int = 10):
    """Stop the clock on that day at that hour, Paris time."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), PARIS), tick=False
    )


def days(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def text(response) -> str:
    return html.unescape(response.content.decode())
