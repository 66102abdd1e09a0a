"""Recording that a copy of a person's data was made (the copy itself is read, not written)."""

from django.db import transaction

from binome.accounts.models import User
from binome.core.audit import audit
from binome.people.models import Participant

SUBJECT_EXPORT = "participant.export"


@transaction.atomic
def participant_export_record(
    *, participant: Participant, actor: User, scope: str, file_format: str
) -> None:
    """Record who downloaded a copy of the participant's data, which scope, which format."""
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action=SUBJECT_EXPORT,
        target=participant,
        scope=scope,
        format=file_format,
    )
