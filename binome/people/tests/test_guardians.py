"""Family members and guardians of a mentee: coordinators only, consent before practical e-mails."""

import pytest
from django.urls import reverse
from django.utils import translation

from binome.core.errors import EditConflict, Refused
from binome.people import services
from binome.people.models import Guardian
from binome.testing import CANARY, ROLES, STAFF_ONLY

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def guardian(cast):
    return services.guardian_create(
        participant=cast.amina_participant,
        actor=cast.carla,
        name="Samira Haddad",
        relation=Guardian.Relation.PARENT,
        language="ar",
        phone="+33 6 00 00 00 01",
        email="samira@family.example",
        consent=True,
        practical_emails=True,
    )


def form(**changes) -> dict:
    data = {
        "name": "Karim Haddad",
        "relation": "legal_guardian",
        "is_legal_guardian": "on",
        "language": "ar",
        "phone": "06 00 00 00 02",
        "email": "karim@family.example",
        "consent": "on",
        "consent_on": "2026-01-05",
        "consent_method": "paper",
        "practical_emails": "on",
        "notes": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("role", ROLES)
def test_family_pages_are_for_the_organisations_coordinators_and_admins(
    cast, client_as, guardian, role
):
    client = client_as(cast.users()[role])
    args = (cast.programme.pk, cast.amina_participant.pk)
    for url in (
        en("people:guardian_create", *args),
        en("people:guardian_edit", *args, guardian.pk),
    ):
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
        if response.status_code == 200:
            assert CANARY not in response.content.decode()


def test_the_participants_page_lists_her_family_contacts(cast, client_as, guardian):
    page = client_as(cast.carla).get(
        en("people:detail", cast.programme.pk, cast.amina_participant.pk)
    )
    body = page.content.decode()
    assert "Samira Haddad" in body and "samira@family.example" in body


def test_the_mentee_does_not_see_her_family_contacts_in_her_space(cast, client_as, guardian):
    body = client_as(cast.amina).get(en("people:my_space")).content.decode()
    assert "Samira" not in body and "samira@family.example" not in body


def test_a_coordinator_adds_a_legal_guardian(cast, client_as):
    args = (cast.programme.pk, cast.amina_participant.pk)
    response = client_as(cast.carla).post(en("people:guardian_create", *args), form())
    assert response.status_code == 302
    guardian = Guardian.objects.get()
    assert (guardian.name, guardian.language, guardian.practical_emails) == (
        "Karim Haddad",
        "ar",
        True,
    )
    assert guardian.phone.startswith("+33")


def test_practical_e_mails_without_consent_are_refused_and_the_input_kept(cast, client_as):
    args = (cast.programme.pk, cast.amina_participant.pk)
    response = client_as(cast.carla).post(
        en("people:guardian_create", *args), form(consent=None, consent_on=None)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "record their consent first" in body
    assert 'value="Karim Haddad"' in body
    assert not Guardian.objects.exists()


def test_practical_e_mails_need_an_address(cast):
    with pytest.raises(Refused):
        services.guardian_create(
            participant=cast.amina_participant,
            actor=cast.carla,
            name="Karim",
            relation="parent",
            consent=True,
            practical_emails=True,
        )


def test_a_bad_e_mail_address_is_refused_with_a_message(cast, client_as):
    args = (cast.programme.pk, cast.amina_participant.pk)
    response = client_as(cast.carla).post(
        en("people:guardian_create", *args), form(email="not-an-address")
    )
    assert response.status_code == 200
    assert "valid email" in response.content.decode()
    assert not Guardian.objects.exists()


def test_a_mentor_gets_no_family_contacts(cast):
    with pytest.raises(Refused):
        services.guardian_create(
            participant=cast.marek_participant, actor=cast.carla, name="X", relation="parent"
        )


def test_an_edit_on_an_old_version_is_refused(cast, guardian):
    services.guardian_update(guardian=guardian, actor=cast.carla, version=1, name="Samira H.")
    with pytest.raises(EditConflict):
        services.guardian_update(guardian=guardian, actor=cast.adam, version=1, name="S.")
    guardian.refresh_from_db()
    assert guardian.name == "Samira H."


def test_withdrawing_consent_stops_the_practical_e_mails_box_from_staying_ticked(
    cast, client_as, guardian
):
    args = (cast.programme.pk, cast.amina_participant.pk, guardian.pk)
    response = client_as(cast.carla).post(
        en("people:guardian_edit", *args),
        form(name="Samira Haddad", consent=None, practical_emails=None, version="1"),
    )
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert (guardian.consent, guardian.practical_emails, guardian.consent_on) == (
        False,
        False,
        None,
    )


def test_a_coordinator_removes_a_family_contact(cast, client_as, guardian):
    args = (cast.programme.pk, cast.amina_participant.pk, guardian.pk)
    response = client_as(cast.carla).post(en("people:guardian_edit", *args), {"delete": "1"})
    assert response.status_code == 302
    assert not Guardian.objects.exists()


def test_another_participants_guardian_is_a_404(cast, client_as, guardian):
    args = (cast.programme.pk, cast.marek_participant.pk, guardian.pk)
    assert client_as(cast.carla).get(en("people:guardian_edit", *args)).status_code == 404


def test_the_guardians_phone_and_e_mail_are_encrypted_at_rest(cast, guardian):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select phone, email from people_guardian where id = %s", [guardian.pk])
        phone, email = cursor.fetchone()
    assert "600" not in phone and "family" not in email
