"""What every part of a duo's life shares: its error, the checks on its period, its start."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.core.audit import audit
from binome.core.errors import Refused
from binome.core.vocab import (
    ENGAGEMENTS,
    ENTRY_CHANNELS,
    duo_engagement,
    programme_engagement,
)
from binome.duos.models import Duo
from binome.duos.periods import add_months
from binome.programmes.selectors import current_edition_id
from binome.reference import cldr

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DuoError(Refused):
    """A refused change on a duo; its message is shown to the user as it is."""


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
            % {"what": label, "start": cldr.format_date(duo.started_on, "medium")}
        )
    if duo.planned_end_on and day > duo.planned_end_on:
        raise DuoError(
            _("%(what)s cannot be after the duo's planned end (%(end)s).")
            % {"what": label, "end": cldr.format_date(duo.planned_end_on, "medium")}
        )


@transaction.atomic
def duo_start(*, duo: Duo, actor: User | None, started_on: datetime.date | None = None) -> Duo:
    """Set a new duo's period and rhythm (its engagement level's, else the programme's)."""
    duo.started_on = started_on or timezone.localdate()
    programme = duo.programme
    months = programme.duration_months
    code = duo_engagement(
        mentor=duo.mentor.engagement,
        mentee=duo.mentee.engagement,
        implied=programme_engagement(programme.meetings_per_month, programme.duration_months),
    )
    level = ENGAGEMENTS.get(code)
    if level is not None:
        duo.engagement = code
        duo.meetings_per_month = level.meetings_per_month
        months = level.months
    duo.planned_end_on = add_months(duo.started_on, months)
    if duo.edition_id is None:
        duo.edition_id = duo.mentee.edition_id or current_edition_id(duo.programme)
    if duo.coordinator_id is None and actor is not None and actor.is_authenticated:
        from binome.accounts.roles import is_staff_of

        if is_staff_of(actor, duo.programme.organisation_id):
            duo.coordinator = actor
    duo.full_clean()
    duo.save(
        update_fields=[
            "started_on",
            "planned_end_on",
            "coordinator",
            "engagement",
            "meetings_per_month",
            "edition",
        ]
    )
    audit(actor=actor, organisation=duo.programme.organisation, action="duo.start", target=duo)
    return duo


def field_label(model: type[models.Model], name: str) -> StrOrPromise:
    """Return the verbose name of one of the model's own fields, as the user reads it."""
    field = model._meta.get_field(name)
    # The model's own field, named in code: never a relation from another model (no label).
    assert isinstance(field, models.Field), name
    return field.verbose_name


def video_base_configured() -> bool:
    return bool(settings.VIDEO_BASE_URL)


def entered_for(
    *, duo: Duo, side: str, actor: User, channel: str, given_on: datetime.date | None
) -> datetime.datetime:
    """Check that a coordinator may enter this side's answer; return when it was given.

    For someone without an account, or who answered by phone, on paper or in person: the
    record keeps the channel and the day, and shows it was entered by the coordinator.
    """
    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the programme's coordinators can enter an answer for someone."))
    if side not in ("mentor", "mentee"):
        raise DuoError(_("Choose the mentor's or the mentee's side."))
    if channel not in ENTRY_CHANNELS:
        raise DuoError(_("Say how the answer was given: by phone, on paper or in person."))
    now = timezone.now()
    today = timezone.localdate(now)
    if given_on is None or given_on == today:
        return now
    if given_on > today:
        raise DuoError(_("The day it was given cannot be in the future."))
    started = duo.started_on or timezone.localdate(duo.created_at)
    if given_on < started:
        raise DuoError(
            _("The day it was given cannot be before the duo's start (%(start)s).")
            % {"start": cldr.format_date(started, "medium")}
        )
    # Noon of that day: the hour is unknown, and noon stays on that day in every time zone
    # the organisation's staff may read it from.
    return timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12)))


class DuoCorrection(TypedDict, total=False):
    """What a coordinator may correct on a duo: its period, rhythm and coordinator."""

    started_on: datetime.date | None
    planned_end_on: datetime.date | None
    meetings_per_month: Decimal | None
    coordinator: User | None


@transaction.atomic
def duo_correct(*, duo: Duo, actor: User, reason: str, **fields: Unpack[DuoCorrection]) -> Duo:
    """Correct a duo's dates, rhythm or coordinator, with a reason kept in the audit trail."""
    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the programme's coordinators can correct a duo."))
    reason = (reason or "").strip()
    if not reason:
        raise DuoError({"reason": _("Say why the duo is corrected: it is kept in its history.")})
    locked = Duo.objects.select_for_update().select_related("programme").get(pk=duo.pk)
    if locked.status == Duo.Status.CLOSED:
        raise DuoError(_("This duo is closed: nothing can be added or changed."))
    start = fields.get("started_on", locked.started_on)
    end = fields.get("planned_end_on", locked.planned_end_on)
    if start and end and end <= start:
        raise DuoError(
            {
                "planned_end_on": _(
                    "The planned end (%(end)s) must come after the start (%(start)s)."
                )
                % {
                    "end": cldr.format_date(end, "medium"),
                    "start": cldr.format_date(start, "medium"),
                }
            }
        )
    coordinator = fields.get("coordinator", locked.coordinator)
    if coordinator is not None and not is_staff_of(coordinator, locked.programme.organisation_id):
        raise DuoError({"coordinator": _("Choose a coordinator of this organisation.")})
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, fields[name])  # type: ignore[literal-required]
    locked.full_clean()
    locked.save(update_fields=changed)
    audit(
        actor=actor,
        organisation=locked.programme.organisation,
        action="duo.correct",
        target=locked,
        fields=changed,
        # Asked for the audit trail: the coordinator's reason, not a participant's data.
        reason=reason[:500],
    )
    duo.refresh_from_db()
    return locked


@transaction.atomic
def duo_pause(
    *,
    duo: Duo,
    actor: User,
    paused_from: datetime.date | None,
    paused_until: datetime.date | None,
    reason: str = "",
) -> Duo:
    """Pause a duo for a while (illness, travel): its silence alerts and check-ins wait.

    Both dates empty end the pause.
    """
    from binome.duos.services.supervision import alerts_refresh  # supervision imports this module

    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the programme's coordinators can pause a duo."))
    require_open(duo)
    if (paused_from is None) != (paused_until is None):
        raise DuoError(_("Give the first and the last day of the pause."))
    if paused_from and paused_until and paused_until < paused_from:
        raise DuoError({"paused_until": _("The pause cannot end before it starts.")})
    locked = Duo.objects.select_for_update().select_related("programme").get(pk=duo.pk)
    locked.paused_from, locked.paused_until = paused_from, paused_until
    locked.pause_reason = (reason or "").strip()[:200] if paused_from else ""
    locked.full_clean()
    locked.save(update_fields=["paused_from", "paused_until", "pause_reason"])
    audit(
        actor=actor,
        organisation=locked.programme.organisation,
        action="duo.pause" if paused_from else "duo.resume",
        target=locked,
        paused_from=paused_from.isoformat() if paused_from else None,
        paused_until=paused_until.isoformat() if paused_until else None,
    )
    alerts_refresh(duos=[locked])
    duo.refresh_from_db()
    return locked
