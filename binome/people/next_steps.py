"""What the people pipeline asks of a coordinator: applications to take in, people to match."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.core.next_steps import PROPOSAL, NextStep
from binome.people.models import Participant
from binome.programmes.access import programmes_for


def _title(status: str, count: int) -> str:
    if status == Participant.Status.APPLIED:
        return ngettext(
            "%(count)d application waiting for intake",
            "%(count)d applications waiting for intake",
            count,
        ) % {"count": count}
    return ngettext("%(count)d person ready to match", "%(count)d people ready to match", count) % {
        "count": count
    }


def pipeline_todos(user: object) -> list[NextStep]:
    """Per programme, the applications waiting for an intake talk and the people ready to match."""
    wanted = (Participant.Status.APPLIED, Participant.Status.READY)
    rows = (
        Participant.objects.filter(programme__in=programmes_for(user), status__in=wanted)
        .values("programme_id", "programme__name", "status")
        .annotate(count=Count("pk"))
        .order_by("programme__name", "programme_id", "status")
    )
    return [
        NextStep(
            # Before the proposals, in the pipeline's order: the intake talk, then the matching.
            order=PROPOSAL - 2 if row["status"] == Participant.Status.APPLIED else PROPOSAL - 1,
            title=_title(row["status"], row["count"]),
            detail=row["programme__name"],
            url=reverse("people:list", args=[row["programme_id"]]) + f"?status={row['status']}",
            action=_("See the list"),
            count=row["count"],
            programme_id=row["programme_id"],
        )
        for row in rows
    ]
