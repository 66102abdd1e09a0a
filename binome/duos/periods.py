"""A duo's period in calendar arithmetic: months added, meetings its rhythm expects by a day.

Pure functions (no database): the services that start and close duos and the selectors of the
supervision board both count with them.
"""

import datetime
import math
from decimal import Decimal

from django.utils import timezone

from binome.duos.models import Duo


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expected_interval_days(duo: Duo) -> float | None:
    """Return the days expected between two meetings from the duo's rhythm, or None."""
    per_month = float(duo.rhythm or 0)
    if per_month <= 0:
        return None
    return 30.0 / per_month


def _months_between(start: datetime.date, end: datetime.date) -> float:
    """Calendar months from start to end, the last one counted by its share of days."""
    if end <= start:
        return 0.0
    whole = 0
    while add_months(start, whole + 1) <= end:
        whole += 1
    month_start, month_end = add_months(start, whole), add_months(start, whole + 1)
    return whole + (end - month_start).days / (month_end - month_start).days


def expected_meetings(
    *,
    started_on: datetime.date | None,
    planned_end_on: datetime.date | None,
    closed_on: datetime.date | None,
    per_month: Decimal | float | None,
    today: datetime.date,
) -> int | None:
    """Return the meetings the rhythm expects so far (None without a rhythm or a start)."""
    per_month = float(per_month or 0)
    if started_on is None or per_month <= 0:
        return None
    until = min(day for day in (today, planned_end_on, closed_on) if day is not None)
    # The small epsilon keeps 1 month × 2 meetings from becoming 1.9999… → 1.
    return math.floor(_months_between(started_on, until) * per_month + 1e-9)


def duo_expected_meetings(duo: Duo, today: datetime.date | None = None) -> int | None:
    """Return the meetings the duo's rhythm (its own or its programme's) expects by today."""
    return expected_meetings(
        started_on=duo.started_on,
        planned_end_on=duo.planned_end_on,
        closed_on=duo.closed_on,
        per_month=duo.rhythm,
        today=today or timezone.localdate(),
    )


def duration_months(duo: Duo) -> int:
    """Return the duo's planned length in whole months (its own period, else its programme's)."""
    if duo.started_on and duo.planned_end_on:
        return max(round(_months_between(duo.started_on, duo.planned_end_on)), 1)
    return duo.programme.duration_months
