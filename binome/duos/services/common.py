"""What every part of a duo's life shares: its error, the checks on its period, its start."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.errors import Refused
from binome.duos.models import Duo
from binome.duos.periods import add_months
from binome.programmes.selectors import current_edition_id

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
            % {"what": label, "start": date_format(duo.started_on, "SHORT_DATE_FORMAT")}
        )
    if duo.planned_end_on and day > duo.planned_end_on:
        raise DuoError(
            _("%(what)s cannot be after the duo's planned end (%(end)s).")
            % {"what": label, "end": date_format(duo.planned_end_on, "SHORT_DATE_FORMAT")}
        )


@transaction.atomic
def duo_start(*, duo: Duo, actor: User | None, started_on: datetime.date | None = None) -> Duo:
    """Set a new duo's period from the programme's duration and its coordinator."""
    duo.started_on = started_on or timezone.localdate()
    duo.planned_end_on = add_months(duo.started_on, duo.programme.duration_months)
    if duo.edition_id is None:
        duo.edition_id = duo.mentee.edition_id or current_edition_id(duo.programme)
    if duo.coordinator_id is None and actor is not None and actor.is_authenticated:
        from binome.accounts.roles import is_staff_of

        if is_staff_of(actor, duo.programme.organisation_id):
            duo.coordinator = actor
    duo.full_clean()
    duo.save(update_fields=["started_on", "planned_end_on", "coordinator", "edition"])
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
