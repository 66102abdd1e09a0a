"""Writing: the participants of an import created in one transaction, with one audit row."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.people.importing.records import ImportRefused, ParsedRow, Report
from binome.people.models import Consent, Participant, StatusChange
from binome.programmes.models import Programme
from binome.programmes.selectors import current_edition_id
from binome.reference import geography


def rows_to_import(report: Report, *, valid_only: bool, skip_duplicates: bool) -> list[ParsedRow]:
    """Choose the rows to write; raise ImportRefused if errors remain and all rows were asked."""
    if report.errors and not valid_only:
        raise ImportRefused(_("The file has errors: correct them, or import only the valid rows."))
    rows = report.valid_rows
    if skip_duplicates:
        rows = [row for row in rows if not row.duplicates]
    return rows


@transaction.atomic
def participants_import(
    *,
    programme: Programme,
    actor: User,
    rows: list[ParsedRow],
    consent_collected: bool = False,
    batch: int = 1000,
) -> int:
    """Create every row's participant, first timeline entry and consent in one transaction."""
    coordinates: dict[str, tuple[float, float] | None] = {}
    participants = []
    edition_id = current_edition_id(programme)
    for row in rows:
        fields = dict(row.fields)
        fields.setdefault("status", Participant.Status.APPLIED)
        participant = Participant(programme=programme, edition_id=edition_id, **fields)
        if participant.role == Participant.Role.MENTOR and "capacity" not in fields:
            participant.capacity = programme.default_mentor_capacity
        if participant.city:
            key = participant.city.casefold()
            if key not in coordinates:
                coordinates[key] = geography.city_coordinates(participant.city)
            found = coordinates[key]
            if found:
                participant.latitude, participant.longitude = found
        participants.append(participant)
    created = Participant.objects.bulk_create(participants, batch_size=batch)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    StatusChange.objects.bulk_create(
        [
            StatusChange(participant=p, from_status="", to_status=p.status, by_id=actor_id,
                         note="import")
            for p in created
        ],
        batch_size=batch,
    )  # fmt: skip
    now = timezone.now()
    consent_text = gettext(
        "Consent to the processing of their data, collected by the organisation before the import."
    )
    consents = [
        Consent(
            participant=p,
            purpose=Consent.Purpose.DATA_PROCESSING,
            text=consent_text,
            method=Consent.Method.IMPORT,
            given_at=now,
            recorded_by_id=actor_id,
        )
        for p, row in zip(created, rows, strict=True)
        if row.consent is True or (row.consent is None and consent_collected)
    ]
    Consent.objects.bulk_create(consents, batch_size=batch)
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="participant.import",
        target=programme,
        count=len(created),
        consents=len(consents),
        consent_collected=consent_collected,
    )
    return len(created)
