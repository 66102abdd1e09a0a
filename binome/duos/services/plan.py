"""The action plan: objectives co-edited by both sides and staff, with their history."""

import datetime
from collections.abc import Mapping
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.errors import EditConflict, conflict_message
from binome.duos.models import Duo, Objective, ObjectiveRevision
from binome.duos.services.common import DuoError, field_label, require_in_period, require_open
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

# What a save of an objective may change; the history snapshots exactly these.
__all__ = ["EditConflict", "conflict_message"]  # re-exported for the views

OBJECTIVE_FIELDS = ("title", "need", "why", "steps", "due_on", "status", "carried_by")


class ObjectiveFields(TypedDict, total=False):
    """The OBJECTIVE_FIELDS of a save, as the objective form cleans them."""

    title: str
    need: str
    why: str
    steps: str
    due_on: datetime.date | None
    status: str
    carried_by: str


class PlanProgress(TypedDict):
    counts: dict[str, int]
    total: int
    achieved: int
    active_total: int


def user_name(user: User | None) -> str:
    if user is None:
        return ""
    name: str = getattr(user, "full_name", "") or getattr(user, "email", "") or str(user)
    return name


def objective_snapshot(objective: Objective) -> dict[str, object]:
    """Return the objective's content as JSON-ready data (what a revision keeps)."""
    data: dict[str, object] = {name: getattr(objective, name) for name in OBJECTIVE_FIELDS}
    data["due_on"] = objective.due_on.isoformat() if objective.due_on else None
    return data


def _check_need(duo: Duo, need: str, *, current: str = "") -> None:
    if not need:
        return
    lists = vocabulary_of(duo.programme)
    if not lists.knows_or_ships(Vocabulary.NEEDS, need):
        raise DuoError(_("Choose one of the needs offered."))
    refused = lists.refuse_retired(Vocabulary.NEEDS, [need], current)
    if refused:
        raise DuoError({"need": refused})


def _check_due(duo: Duo, due_on: datetime.date | None) -> None:
    if due_on is not None:
        require_in_period(duo, due_on, label=_("The due date"))


def _record_revision(objective: Objective, actor: User | None) -> ObjectiveRevision:
    revision = ObjectiveRevision(
        objective=objective,
        version=objective.version,
        data=objective_snapshot(objective),
        by=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
    )
    revision.full_clean()
    revision.save()
    return revision


def _unknown(fields: Mapping[str, object]) -> None:
    unknown = set(fields) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise TypeError(f"not objective fields: {sorted(unknown)}")


@transaction.atomic
def objective_create(
    *, duo: Duo, actor: User | None, **fields: Unpack[ObjectiveFields]
) -> Objective:
    """Add an objective to the duo's action plan and keep its first revision."""
    _unknown(fields)
    require_open(duo)
    _check_need(duo, fields.get("need", ""))
    _check_due(duo, fields.get("due_on"))
    objective = Objective(duo=duo, version=1, **fields)
    objective.full_clean()
    objective.save()
    _record_revision(objective, actor)
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="objective.create",
        target=objective,
        duo=duo.pk,
    )
    return objective


def _changed_since(objective: Objective, version: int) -> list[str]:
    """Return the labels of the fields saved by others since `version` (from the history)."""
    then = objective.revisions.filter(version=version).first()
    now = objective_snapshot(objective)
    if then is None:
        return []
    return [
        str(field_label(Objective, name))
        for name in OBJECTIVE_FIELDS
        if then.data.get(name) != now.get(name)
    ]


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    actor: User | None,
    expected_version: int,
    **fields: Unpack[ObjectiveFields],
) -> Objective:
    """Save an edited objective, refusing if someone saved it since `expected_version`."""
    _unknown(fields)
    duo = objective.duo
    require_open(duo)  # locks the duo first, in the order a closure locks
    locked = Objective.objects.select_for_update().get(pk=objective.pk)
    if locked.version != expected_version:
        latest = locked.revisions.select_related("by").first()
        by = user_name(latest.by) if latest else ""
        changed = _changed_since(locked, expected_version)
        raise EditConflict(
            conflict_message(what=_("objective"), by=by, changed=changed),
            current_version=locked.version,
            changed=changed,
            by=by,
        )
    if "need" in fields:
        _check_need(duo, fields["need"], current=locked.need)
    if "due_on" in fields and fields["due_on"] != locked.due_on:
        _check_due(duo, fields["due_on"])
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*fields, "version", "updated_at"])
    _record_revision(locked, actor)
    objective.refresh_from_db()
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="objective.update",
        target=objective,
        duo=duo.pk,
        version=objective.version,
        fields=sorted(fields),
    )
    return objective


def plan_progress(duo: Duo) -> PlanProgress:
    """Count the duo's objectives per status, for the plan page and others' summaries."""
    counts = dict.fromkeys(Objective.Status.values, 0)
    for status in duo.objectives.values_list("status", flat=True):
        counts[status] += 1
    total = sum(counts.values())
    dropped = counts[Objective.Status.DROPPED]
    return {
        "counts": counts,
        "total": total,
        "achieved": counts[Objective.Status.ACHIEVED],
        # Dropped objectives do not count against the duo.
        "active_total": total - dropped,
    }
