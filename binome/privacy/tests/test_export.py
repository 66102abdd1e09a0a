"""The CSV export of the audit trail: the same events as the screen, and itself an event."""

import csv
import io

import pytest

from binome.core.models import AuditEvent
from binome.people import services as people
from binome.people.models import Participant
from binome.privacy.tests.helpers import audit_url, event, export_url, paris, text
from binome.testing import CANARY

pytestmark = pytest.mark.django_db


def rows_of(response_or_text) -> list[list[str]]:
    """The CSV's rows (a streamed response can be read once: pass its text if already read)."""
    body = response_or_text if isinstance(response_or_text, str) else text(response_or_text)
    return list(csv.reader(io.StringIO(body)))


def test_the_export_streams_the_filtered_events_as_csv(cast, client_as):
    event(
        actor=cast.carla,
        organisation=cast.org_a,
        action="participant.update",
        target=cast.amina_participant,
        at=paris(2025, 7, 14, 23, 30),
        fields=["legal_status"],
        note="SECRET-VALUE-2",
    )
    event(
        actor=cast.adam, organisation=cast.org_a, action="programme.update", target=cast.programme
    )

    response = client_as(cast.adam).get(export_url(cast.org_a, person=cast.amina_participant.pk))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-hors-pistes-')
    body = text(response)
    assert body.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    assert "SECRET-VALUE-2" not in body and "legal_status" not in body and CANARY not in body
    header, *rows = rows_of(body)
    assert header == [
        "\ufeffQuand",
        "Qui",
        "Code de l'action",
        "Action",
        "Type de fiche",
        "Identifiant de la fiche",
        "Participant·e",
        "Détails enregistrés",
    ]
    amina = str(cast.amina_participant.pk)
    assert rows == [
        [
            rows[0][0],
            "système",
            "participant.create",
            "Participant·e créé·e",
            "people.participant",
            amina,
            "Amina Haddad",
            "",
        ],
        [
            "2025-07-14T23:30:00+02:00",
            "Carla Coordinatrice",
            "participant.update",
            "Fiche du ou de la participant·e modifiée",
            "people.participant",
            amina,
            "Amina Haddad",
            "fields note",
        ],
    ]


def test_the_export_is_itself_recorded_with_the_filters_it_used(cast, client_as):
    adam = client_as(cast.adam)
    before = AuditEvent.objects.count()

    text(adam.get(export_url(cast.org_a, action="participant.create", name="Haddad")))

    assert AuditEvent.objects.count() == before + 1
    export = AuditEvent.objects.latest("pk")
    assert export.action == "privacy.audit_export"
    assert export.actor == cast.adam
    assert export.organisation == cast.org_a
    assert (export.target_type, export.target_id) == ("programmes.organisation", str(cast.org_a.pk))
    assert export.detail == {"filters": ["name", "action"]}
    # Readable on the screen like any event, and in the next export.
    page = text(adam.get(audit_url(cast.org_a)))
    assert "Journal d'audit exporté" in page
    whole = rows_of(adam.get(export_url(cast.org_a)))
    assert [row[2] for row in whole[1:3]] == ["privacy.audit_export", "privacy.audit_export"]


def test_a_refused_export_records_nothing(cast, client_as):
    before = AuditEvent.objects.count()
    for user in (None, cast.carla, cast.vera, cast.marek, cast.olga):
        client_as(user).get(export_url(cast.org_a))
    assert AuditEvent.objects.count() == before


def test_the_export_holds_every_event_beyond_a_batch_in_order(cast, client_as):
    for n in range(520):
        event(actor=cast.carla, organisation=cast.org_a, action=f"bulk.{n}", target=cast.programme)
    rows = rows_of(client_as(cast.adam).get(export_url(cast.org_a, staff=cast.carla.pk)))
    assert [row[2] for row in rows[1:]] == [f"bulk.{n}" for n in reversed(range(520))]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(cast, client_as):
    people.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        first_name='=HYPERLINK("http://evil.example")',
        last_name="X",
        languages={"fr": "native"},
        actor=cast.carla,
    )
    rows = rows_of(client_as(cast.adam).get(export_url(cast.org_a, action="participant.create")))
    names = [row[6] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example") X' in names
    assert not any(name.startswith("=") for name in names)


def test_the_export_is_in_the_language_of_the_request(cast, client_as):
    url = export_url(cast.org_a).replace("/fr/", "/en/", 1)
    header, *rows = rows_of(client_as(cast.adam).get(url))
    assert header[0] == "\ufeffWhen"
    assert rows[-1][1:4] == ["system", "participant.create", "Participant created"]
