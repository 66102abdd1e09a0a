"""Writes of the evaluation: a participant's ESF+ situation at a moment."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.errors import EditConflict, conflict_message
from binome.evaluation.models import EsfSituation
from binome.people.models import Participant

ESF_FIELDS = ["employment", "in_education", "isced", "qualification"]


@transaction.atomic
def esf_situation_record(
    *,
    participant: Participant,
    actor: User | None,
    moment: str,
    employment: str,
    isced: str,
    in_education: bool,
    qualification: bool,
    version: int | None,
    source: str = EsfSituation.Source.COORDINATOR,
) -> EsfSituation:
    """Record the participant's ESF+ situation at a moment, refusing if saved since `version`.

    `version` is the record's version when the form was opened, 0 when there was none yet.
    """
    # The participant's row serialises two first saves of the same moment.
    Participant.objects.select_for_update(of=("self",)).filter(pk=participant.pk).first()
    current = EsfSituation.objects.filter(participant=participant, moment=moment).first()
    if version is None or (current.version if current else 0) != version:
        by = current.recorded_by.full_name if current and current.recorded_by else ""
        raise EditConflict(
            conflict_message(what=_("ESF+ situation"), by=by),
            current_version=current.version if current else 0,
        )
    situation = current or EsfSituation(participant=participant, moment=moment, version=0)
    situation.employment, situation.isced = employment, isced
    situation.in_education, situation.qualification = in_education, qualification
    situation.source = source
    situation.recorded_at = timezone.now()
    situation.recorded_by = actor
    situation.version += 1
    situation.full_clean()
    situation.save()
    # The codes are hers: the trail says which moment was recorded, never the values.
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="esf_situation.record",
        target=participant,
        moment=moment,
        version=situation.version,
    )
    return situation
