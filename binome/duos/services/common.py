"""What every part of a duo's life shares: its error, its period, its start."""

import datetime
import math

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from binome.core.audit import audit
from binome.core.errors import Refused
from binome.duos.models import Duo


class DuoError(Refused):
    """A refused change on a duo; its message is shown to the user as it is."""


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


def require_open(duo: Duo) -> None:
    """Refuse any change of content on a closed duo.

    Inside a transaction the duo's row is locked and its status read afresh: a closure cannot
    commit between this check and the change, and a change made while a closure is under way
    waits for it, then is refused. Callers lock the duo before the records they change, in the
    order duo_close locks them, so that the two never wait for each other.
    """
    if connection.in_atomic_block:
        status = (
            Duo.objects.select_for_update().filter(pk=duo.pk).values_list("status", flat=True)
        ).first()
        duo.status = status or duo.status
    if duo.status == Duo.Status.CLOSED:
        raise DuoError(_("This duo is closed: nothing can be added or changed."))


def require_in_period(duo: Duo, day: datetime.date, *, label: str) -> None:
    """Refuse a date before the duo's start or after its planned end."""
    if duo.started_on and day < duo.started_on:
        raise DuoError(
            _("%(what)s cannot be before the duo's start (%(start)s).")
            % {"what": label, "start": date_format(duo.started_on, "SHORT_DATE_FORMAT")}
        )
    if duo.planned_end_on and day > duo.planned_end_on:
        raise DuoError(
            _("%(what)s cannot be after the duo's planned end (%(end)s).")
            % {"what": label, "end": date_format(duo.planned_end_on, "SHORT_DATE_FORMAT")}
        )


def expected_interval_days(duo: Duo) -> float | None:
    """Return the days expected between two meetings from the programme's rhythm, or None."""
    per_month = float(duo.programme.meetings_per_month or 0)
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
    per_month,
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
    """Return the meetings the programme's rhythm expects of this duo by today."""
    return expected_meetings(
        started_on=duo.started_on,
        planned_end_on=duo.planned_end_on,
        closed_on=duo.closed_on,
        per_month=duo.programme.meetings_per_month,
        today=today or timezone.localdate(),
    )


@transaction.atomic
def duo_start(*, duo: Duo, actor, started_on: datetime.date | None = None) -> Duo:
    """Set a new duo's period from the programme's duration and its coordinator."""
    duo.started_on = started_on or timezone.localdate()
    duo.planned_end_on = add_months(duo.started_on, duo.programme.duration_months)
    if duo.coordinator_id is None and actor is not None and getattr(actor, "is_authenticated", 0):
        from binome.accounts.roles import is_staff_of

        if is_staff_of(actor, duo.programme.organisation_id):
            duo.coordinator = actor
    duo.full_clean()
    duo.save(update_fields=["started_on", "planned_end_on", "coordinator"])
    audit(actor=actor, organisation=duo.programme.organisation, action="duo.start", target=duo)
    return duo


def video_base_configured() -> bool:
    return bool(settings.VIDEO_BASE_URL)
