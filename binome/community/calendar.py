"""A month of activities and meetings as weeks of days, for the server-rendered calendar."""

import calendar as pycalendar
import datetime
from collections.abc import Iterable

from django.utils import timezone

from binome.community.models import Activity
from binome.community.selectors import Day
from binome.duos.models import Meeting


def parse_month(value: str | None) -> datetime.date:
    """The first day of the month `YYYY-MM` names, else of the current month."""
    today = timezone.localdate()
    if value and len(value) == 7 and value.isascii():
        try:
            year, month = int(value[:4]), int(value[5:])
            if 1900 < year < 3000 and 1 <= month <= 12 and value[4] == "-":
                return datetime.date(year, month, 1)
        except ValueError:
            pass
    return today.replace(day=1)


def month_bounds(first: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's start and end as aware datetimes of the site's time zone."""
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))
    return start, end


def neighbours(first: datetime.date) -> tuple[str, str]:
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return previous.strftime("%Y-%m"), following.strftime("%Y-%m")


def month_weeks(
    first: datetime.date, activities: Iterable[Activity], meetings: Iterable[Meeting]
) -> list[list[Day]]:
    """The weeks (Monday first) covering the month, each day with its events."""
    days: dict[datetime.date, Day] = {}
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        row = [Day(date=day, in_month=day.month == first.month) for day in week]
        days.update({day.date: day for day in row})
        weeks.append(row)
    for activity in activities:
        day = days.get(timezone.localtime(activity.starts_at).date())
        if day is not None:
            day.activities.append(activity)
    for meeting in meetings:
        day = days.get(timezone.localtime(meeting.starts_at).date())
        if day is not None:
            day.meetings.append(meeting)
    return weeks


def busy_days(weeks: list[list[Day]]) -> list[Day]:
    """The month's days that hold something, for the list view."""
    return [
        day for week in weeks for day in week if day.in_month and (day.activities or day.meetings)
    ]
