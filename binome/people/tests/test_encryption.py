"""The participant's encrypted fields at work: choices, lookups, the phone found by its keyed
hash (list, admin, import duplicates), the data migration and its reverse."""

import io

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from binome.encryption import keys
from binome.encryption.stored import Hashed, decrypt_columns, encrypt_columns
from binome.people import selectors, services
from binome.people.fields import phone_key
from binome.people.models import Participant

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"


def listed(cast, q: str) -> list[str]:
    found = selectors.participant_list(programme=cast.programme, filters={"q": q})
    return [p.display_name for p in found]


def raw_row(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, phone_hash, legal_status, intake_notes FROM people_participant "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


@pytest.fixture
def yusuf(cast):
    return services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        first_name="Yusuf",
        last_name="Rahimi",
        phone=PHONE,
    )


@pytest.mark.parametrize(
    "typed", [PHONE, "+33 6 12 34 56 78", "06 12 34 56 78", "06.12.34.56.78", "0612345678"]
)
def test_the_list_finds_a_person_by_her_phone_in_any_spelling(cast, yusuf, typed):
    assert listed(cast, typed) == ["Yusuf Rahimi"]


def test_a_part_of_a_number_or_another_number_finds_no_one(cast, yusuf):
    assert listed(cast, "5678") == []
    assert listed(cast, "06 12 34 56 79") == []
    # The search by name goes on as before.
    assert listed(cast, "yusuf rahimi") == ["Yusuf Rahimi"]


def test_the_list_page_finds_her_by_phone_for_the_coordinator_only_in_her_programme(
    cast, yusuf, client_as
):
    url = reverse("people:list", args=[cast.programme.pk])
    page = client_as(cast.carla).get(url, {"q": "06 12 34 56 78"}).content.decode()
    assert "Yusuf" in page and "Amina" not in page
    assert PHONE in page  # decrypted for the page
    olga_url = reverse("people:list", args=[cast.programme_b.pk])
    assert "Yusuf" not in client_as(cast.olga).get(olga_url, {"q": PHONE}).content.decode()


def test_a_changed_phone_is_hashed_again_even_by_a_save_of_some_fields(cast, yusuf):
    services.participant_update(participant=yusuf, actor=cast.carla, phone="+33645678901")
    assert listed(cast, "06 45 67 89 01") == ["Yusuf Rahimi"]
    assert listed(cast, PHONE) == []
    services.participant_update(participant=yusuf, actor=cast.carla, phone="")
    assert raw_row(yusuf.pk)[:2] == ("", "")


def test_the_phone_hash_is_keyed_and_the_column_holds_no_digits_of_the_number(cast, yusuf):
    phone, phone_hash, _, _ = raw_row(yusuf.pk)
    assert "12345678" not in phone and "12345678" not in phone_hash
    assert phone_hash == keys.keyed_hash(PHONE)
    import hashlib

    assert phone_hash != hashlib.sha256(PHONE.encode()).hexdigest()  # not guessable unkeyed


def test_the_legal_status_still_validates_its_choices_and_shows_its_label(cast, client_as):
    amina = cast.amina_participant
    amina.legal_status = "martian"
    with pytest.raises(ValidationError) as refused:
        amina.full_clean()
    assert "legal_status" in refused.value.message_dict
    amina.refresh_from_db()
    with translation.override("en"):
        assert amina.get_legal_status_display() == "Asylum seeker"
    url = reverse("people:detail", args=[cast.programme.pk, amina.pk])
    page = client_as(cast.carla).get("/en" + url[3:]).content.decode()
    assert "Asylum seeker" in page
    assert "Private intake note about Amina" in page


def test_a_lookup_on_an_encrypted_column_is_refused_instead_of_finding_nothing(cast):
    with pytest.raises(FieldError, match="phone is encrypted"):
        list(Participant.objects.filter(phone=PHONE))
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Participant.objects.filter(intake_notes__icontains="Amina"))
    assert Participant.objects.filter(legal_status="").count() == 1  # the canary


def test_the_admin_finds_a_participant_by_her_whole_phone_number(cast, yusuf, client):
    from binome.accounts.models import User

    root = User.objects.create_superuser(email="root@example.org", password="x", full_name="R")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:people_participant_changelist")
    assert "Yusuf" in client.get(url, {"q": "06 12 34 56 78"}).content.decode()
    assert "Yusuf" not in client.get(url, {"q": "Haddad"}).content.decode()
    assert (
        client.get(reverse("admin:people_participant_change", args=[yusuf.pk])).status_code == 200
    )


def test_an_import_row_with_the_phone_of_a_participant_is_flagged_in_another_spelling(
    cast, yusuf, client_as
):
    client = client_as(cast.carla)
    rows = "Prénom;Nom;Téléphone;Rôle\nNadia;Ben;06 12 34 56 78;mentee\nNora;Ben;;mentee\n"
    upload = SimpleUploadedFile("people.csv", rows.encode(), "application/octet-stream")
    client.post(f"/en/programmes/{cast.programme.pk}/import/", {"file": upload})
    with translation.override("en"):
        page = client.get(f"/en/programmes/{cast.programme.pk}/import/check/")
    found = {(d.line, d.reason, d.other) for d in page.context["duplicates"]}
    assert found == {(2, "same phone", "Yusuf Rahimi")}


def test_the_phone_key_is_e164_or_the_digits_typed():
    assert phone_key("06 12 34 56 78") == phone_key("+33 (0)6 12 34 56 78") == PHONE
    assert phone_key("12-34") == "1234"
    assert phone_key("+1 23") == "+123"


def test_the_data_migration_encrypts_plain_rows_and_its_reverse_writes_them_back(cast, yusuf):
    # A row as the migration finds it: plain values, no hash.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_participant SET phone = %s, phone_hash = '', legal_status = %s, "
            "intake_notes = %s WHERE id = %s",
            ["06 12 34 56 78", "refugee", "Plain note", yusuf.pk],
        )

    class Editor:  # what RunPython hands over: the connection
        connection = connection

    columns = ["phone", "legal_status", "intake_notes"]
    hashed = [Hashed("phone_hash", "phone", phone_key)]
    assert encrypt_columns(Editor, "people_participant", columns, hashed, batch_size=2) == 3
    phone, phone_hash, legal_status, notes = raw_row(yusuf.pk)
    assert "Plain note" not in notes and legal_status != "refugee" and "06" not in phone
    assert phone_hash == keys.keyed_hash(PHONE)
    yusuf.refresh_from_db()
    assert (yusuf.phone, yusuf.legal_status, yusuf.intake_notes) == (
        "06 12 34 56 78",
        "refugee",
        "Plain note",
    )
    assert listed(cast, "0612345678") == ["Yusuf Rahimi"]
    # Again: nothing left to encrypt.
    assert encrypt_columns(Editor, "people_participant", columns, hashed) == 0

    # The reverse: all plain again, the cast's values too (Amina's two, Marek's legal status).
    assert decrypt_columns(Editor, "people_participant", columns) == 6
    assert raw_row(yusuf.pk)[2:] == ("refugee", "Plain note")


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_back_to_plain_columns_and_forward_again(cast):
    amina = cast.amina_participant
    services.participant_update(participant=amina, actor=cast.carla, phone=PHONE)
    out = io.StringIO()
    try:
        call_command("migrate", "people", "0002", stdout=out, verbosity=0)
        assert raw_row_plain(amina.pk) == (
            PHONE,
            "asylum_seeker",
            "Private intake note about Amina",
        )
    finally:
        # Every app forward: going back unapplied the migrations of the apps that depend on
        # people's later ones (duos' edition), which "migrate people" would leave out.
        call_command("migrate", stdout=out, verbosity=0)
    phone, phone_hash, legal_status, notes = raw_row(amina.pk)
    assert PHONE not in phone and legal_status != "asylum_seeker" and "Amina" not in notes
    assert phone_hash == keys.keyed_hash(PHONE)
    amina.refresh_from_db()
    assert (amina.phone, amina.legal_status) == (PHONE, "asylum_seeker")


def raw_row_plain(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, legal_status, intake_notes FROM people_participant WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def test_bulk_writes_of_the_phone_keep_its_hash_in_step(cast, yusuf):
    Participant.objects.filter(pk=yusuf.pk).update(phone="")
    assert raw_row(yusuf.pk)[:2] == ("", "")
    assert listed(cast, PHONE) == []
    yusuf.phone = "+33645678901"
    Participant.objects.bulk_update([yusuf], ["phone"])
    assert listed(cast, "06 45 67 89 01") == ["Yusuf Rahimi"]


def test_an_applicant_who_gave_only_a_phone_is_found_by_it(cast, client):
    from binome.people.tests.test_applications import URL, mentee_data

    data = mentee_data(email="", phone="06 12 34 56 78", last_name="")
    response = client.post(URL.format(lang="fr", role="mentee"), data)
    assert response.status_code == 302
    assert listed(cast, "+33 6 12 34 56 78") == ["Fatima"]
