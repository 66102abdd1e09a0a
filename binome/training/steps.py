"""The next training module, as a card on a participant's space (binome.core.next_steps)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from binome.core.next_steps import TRAINING, NextStep
from binome.people.models import Participant
from binome.training.selectors import progress


def next_module(user: Any) -> list[NextStep]:
    """Return the first module of the path the user has not completed yet, if any."""
    if not getattr(user, "is_authenticated", False):
        return []
    participant = Participant.objects.filter(user=user).select_related("programme").first()
    if participant is None:
        return []
    current = progress(participant)
    step = current.next_step
    if step is None:
        return []
    return [
        NextStep(
            order=TRAINING,
            title=_("Training: %(title)s") % {"title": step.module.localized("title")},
            url=reverse("training:module", args=[step.module.pk]),
            action=_("Follow the module"),
            detail=_("About %(minutes)s minutes") % {"minutes": step.module.duration_minutes},
        )
    ]
