"""Sensitive fields are stored encrypted: a plain SQL read of their columns shows tokens, never
the text, while the ORM (pages, forms, exports) reads the text. Runs on SQLite and PostgreSQL."""

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from binome.duos.models import Alert, CheckIn, Duo, Meeting, SupervisionNote
from binome.encryption.fields import encrypted_fields
from binome.partners import services as partner_services
from binome.partners.models import Partner
from binome.people import selectors, services
from binome.people.models import Participant, StatusChange
from binome.testing import make_duo

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()

# One plain value per encrypted field of the project; a new encrypted field needs its own here.
PLAIN = {
    "people.Participant.phone": "+33612345678",
    "people.Participant.legal_status": "asylum_seeker",
    "people.Participant.intake_notes": "Fled in 2023, husband still in Kharkiv",
    "people.StatusChange.note": "Withdrew: moved to her sister's",
    "duos.Duo.outcome_notes": "Hired as a care assistant, six months",
    "duos.Meeting.private_notes": "Seemed exhausted, ask about housing",
    "duos.SupervisionNote.text": "Called the mentee: conflict with the mentor",
    "duos.CheckIn.comment": "I cannot sleep since the letter from the prefecture",
    "duos.Alert.resolution": "Called her back, referred to the psychologist",
    "people.Guardian.phone": "+33698765432",
    "people.Guardian.email": "samira.haddad@family.example",
    "people.Guardian.notes": "Her mother works nights, call after noon",
    "partners.Referral.reason": "Needs psychological support after the journey",
    "partners.Referral.outcome_note": "Seen twice by the psychologist",
}


@pytest.fixture(autouse=True)
def key_a(settings):
    """Key A from the start (autouse: before the cast is written)."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]


def build(cast) -> dict[str, Any]:
    """Write each plain value through the usual paths (services where they exist) and return
    the row holding each field."""
    amina = services.participant_update(
        participant=cast.amina_participant,
        actor=cast.carla,
        phone=PLAIN["people.Participant.phone"],
        legal_status=PLAIN["people.Participant.legal_status"],
        intake_notes=PLAIN["people.Participant.intake_notes"],
    )
    services.participant_set_status(
        participant=amina,
        to_status=Participant.Status.WITHDRAWN,
        actor=cast.carla,
        note=PLAIN["people.StatusChange.note"],
    )
    Participant.objects.filter(pk=amina.pk).update(status=Participant.Status.APPLIED)
    duo = make_duo(cast)
    duo.outcome_notes = PLAIN["duos.Duo.outcome_notes"]
    duo.save(update_fields=["outcome_notes"])
    now = timezone.now()
    meeting = Meeting.objects.create(
        duo=duo, starts_at=now, private_notes=PLAIN["duos.Meeting.private_notes"]
    )
    note = SupervisionNote.objects.create(
        duo=duo, text=PLAIN["duos.SupervisionNote.text"], at=now, by=cast.carla
    )
    checkin = CheckIn.objects.create(
        duo=duo, side="mentee", mood=1, comment=PLAIN["duos.CheckIn.comment"], created_at=now
    )
    alert = Alert.objects.create(
        duo=duo,
        kind=Alert.Kind.LOW_MOOD,
        opened_at=now,
        resolution=PLAIN["duos.Alert.resolution"],
    )
    status_change = StatusChange.objects.get(participant=amina, to_status="withdrawn")
    guardian = services.guardian_create(
        participant=amina,
        actor=cast.carla,
        name="Samira",
        relation="parent",
        phone=PLAIN["people.Guardian.phone"],
        email=PLAIN["people.Guardian.email"],
        notes=PLAIN["people.Guardian.notes"],
    )
    referral = partner_services.referral_create(
        participant=amina,
        partner=Partner.objects.create(organisation=cast.org_a, name="Health centre"),
        actor=cast.carla,
        referred_on=timezone.localdate(),
        reason=PLAIN["partners.Referral.reason"],
    )
    referral = partner_services.referral_record_outcome(
        referral=referral,
        actor=cast.carla,
        version=referral.version,
        outcome="in_progress",
        outcome_on=None,
        outcome_note=PLAIN["partners.Referral.outcome_note"],
    )
    rows = {
        "people.Guardian": guardian,
        "partners.Referral": referral,
        "people.Participant": amina,
        "people.StatusChange": status_change,
        "duos.Duo": duo,
        "duos.Meeting": meeting,
        "duos.SupervisionNote": note,
        "duos.CheckIn": checkin,
        "duos.Alert": alert,
    }
    return {name: rows[name.rsplit(".", 1)[0]] for name in PLAIN}


def raw(model, field_name: str, pk) -> str:
    field = model._meta.get_field(field_name)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def stored_value(name: str, rows: dict) -> str:
    label, field_name = name.rsplit(".", 1)
    return raw(apps.get_model(label), field_name, rows[name].pk)


def count_tokens() -> int:
    """Count the non-empty values of every encrypted column, read with plain SQL."""
    count = 0
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            for field in encrypted_fields(model):
                column = quote(str(field.column))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} "  # noqa: S608
                    f"WHERE {column} <> ''"
                )
                count += cursor.fetchone()[0]
    return count


def every_encrypted_field() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in encrypted_fields(model)
    }


def test_every_encrypted_field_of_the_project_is_covered_here():
    assert every_encrypted_field() == set(PLAIN)


def test_a_plain_sql_read_shows_tokens_and_the_orm_reads_the_text(cast, settings):
    rows = build(cast)
    for name, plain in PLAIN.items():
        label, field_name = name.rsplit(".", 1)
        model = apps.get_model(label)
        stored = raw(model, field_name, rows[name].pk)
        assert plain not in stored, name
        assert stored.startswith("gAAAAA"), name  # a Fernet token
        assert Fernet(KEY_A).decrypt(stored.encode()).decode() == plain, name
        assert getattr(model.objects.get(pk=rows[name].pk), field_name) == plain, name
        assert model.objects.filter(pk=rows[name].pk).values_list(field_name, flat=True)[0] == plain


def test_the_whole_database_dump_holds_none_of_the_plain_values(cast, settings):
    build(cast)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        dump = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump += [str(value) for row in cursor.fetchall() for value in row]
    text = "\n".join(dump)
    # The audit log names fields changed, never their values; no page cache holds them either.
    for name, plain in PLAIN.items():
        if name != "people.Participant.legal_status":  # a code that other tables hold as a word
            assert plain not in text, name
    assert "33612345678" not in text


def test_an_empty_value_stays_empty_and_can_be_filtered_on(cast, settings):
    marek = cast.marek_participant
    assert raw(Participant, "intake_notes", marek.pk) == ""
    assert Participant.objects.filter(intake_notes="", pk=marek.pk).exists()
    assert Participant.objects.exclude(legal_status="").count() == 2  # Marek and Amina


def test_rotation_reencrypts_every_value_so_that_the_old_key_can_go(cast, settings):
    rows = build(cast)
    under_a = {name: stored_value(name, rows) for name in PLAIN}
    amina_hash_a = Participant.objects.get(pk=cast.amina_participant.pk).phone_hash

    # Step 1: the new key first, the old one behind it. Everything reads; the phone is found.
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert (
        Participant.objects.get(pk=cast.amina_participant.pk).intake_notes
        == PLAIN["people.Participant.intake_notes"]
    )
    found = selectors.participant_list(programme=cast.programme, filters={"q": "06 12 34 56 78"})
    assert [p.pk for p in found] == [cast.amina_participant.pk]

    # Step 2: the rotation.
    out = io.StringIO()
    call_command("rotate_field_keys", "--batch-size", "2", stdout=out)
    report = out.getvalue()
    assert f"{count_tokens()} values re-encrypted with the first key." in report
    # Amina's phone, legal status and intake notes, Marek's legal status.
    assert "people.Participant (phone, legal_status, intake_notes): 4 re-encrypted" in report
    assert "1 hashes updated" in report
    for text in PLAIN.values():
        assert text not in report

    # Step 3: the old key removed. Every value reads back intact, the phone is still found.
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    for name, plain in PLAIN.items():
        label, field_name = name.rsplit(".", 1)
        model = apps.get_model(label)
        stored = raw(model, field_name, rows[name].pk)
        assert stored != under_a[name]
        assert Fernet(KEY_B).decrypt(stored.encode()).decode() == plain
        assert getattr(model.objects.get(pk=rows[name].pk), field_name) == plain
    amina = Participant.objects.get(pk=cast.amina_participant.pk)
    assert amina.phone_hash not in ("", amina_hash_a)
    found = selectors.participant_list(programme=cast.programme, filters={"q": "+33612345678"})
    assert [p.pk for p in found] == [amina.pk]

    # Idempotent: a second run re-encrypts nothing.
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "0 values re-encrypted with the first key." in out.getvalue()
    assert "people.Participant (phone, legal_status, intake_notes): 0 re-encrypted, 4 already" in (
        out.getvalue()
    )


def test_rotation_leaves_updated_at_and_versions_alone(cast, settings):
    build(cast)
    before = Participant.objects.get(pk=cast.amina_participant.pk)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_field_keys", stdout=io.StringIO())
    after = Participant.objects.get(pk=cast.amina_participant.pk)
    assert (after.updated_at, after.version) == (before.updated_at, before.version)


def test_rotation_stops_and_names_the_field_when_a_key_is_missing(cast, settings):
    build(cast)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_field_keys", stdout=io.StringIO())


def test_a_value_saved_meanwhile_is_not_overwritten_by_the_rotation(cast, settings):
    from binome.encryption import stored

    rows = build(cast)
    note = rows["duos.SupervisionNote.text"]
    old = raw(SupervisionNote, "text", note.pk)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    SupervisionNote.objects.filter(pk=note.pk).update(text="Rewritten meanwhile")
    written = stored._write(
        "default", "duos_supervisionnote", "id", note.pk, "text", "stale", if_column="text", was=old
    )
    assert not written
    assert SupervisionNote.objects.get(pk=note.pk).text == "Rewritten meanwhile"


def test_the_duo_pages_show_the_decrypted_notes_to_the_coordinator(cast, client_as, settings):
    rows = build(cast)
    duo = rows["duos.Duo.outcome_notes"]
    assert isinstance(duo, Duo)
    from django.urls import reverse

    page = client_as(cast.carla).get(reverse("duos:supervision", args=[duo.pk]))
    assert page.status_code == 200
    assert PLAIN["duos.SupervisionNote.text"] in page.content.decode()
