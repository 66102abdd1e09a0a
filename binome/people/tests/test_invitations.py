"""A coordinator invites a participant to log in; the link sets a password that then works."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.people import services
from binome.people.models import Participant
from binome.testing import PASSWORD, ROLES

# A POST that invites: staff are sent back to the participant's page, others find nothing.
EXPECTED = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "coordinator": 302,
    "viewer": 404,
    "admin": 302,
    "outsider": 404,
}


@pytest.fixture
def newcomer(cast):
    return services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        first_name="Oksana",
        last_name="Kovalenko",
        email="oksana@a.example",
        language="uk",
    )


def logs_in(email: str, password: str) -> bool:
    client = Client()
    client.post(reverse("accounts:login"), {"username": email, "password": password})
    return "_auth_user_id" in client.session


def invite_url(participant) -> str:
    return reverse("people:invite", args=[participant.programme_id, participant.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_staff_may_invite(
    cast, newcomer, client_as, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(cast.users()[role]).post(invite_url(newcomer))
    assert response.status_code == EXPECTED[role]
    invited = EXPECTED[role] == 302 and role != "anonymous"
    assert User.objects.filter(email="oksana@a.example").exists() == invited
    assert len(mail.outbox) == (1 if invited else 0)


def test_the_invitation_link_sets_a_password_that_logs_in(
    cast, newcomer, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(cast.carla).post(invite_url(newcomer))
    newcomer.refresh_from_db()
    assert newcomer.user.email == "oksana@a.example"
    assert not newcomer.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["oksana@a.example"]
    assert message.extra_headers["Content-Language"] == "uk"
    link = re.search(r"https?://\S+/uk/accounts/password-reset/\S+/", message.body).group(0)
    assert AuditEvent.objects.filter(action="participant.invite").count() == 1

    browser = Client()
    form_page = browser.get(link[link.index("/uk/") :], follow=True)
    new_password = "a-long-password-of-her-own"
    browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert logs_in("oksana@a.example", new_password)


def test_inviting_again_sends_a_new_link_to_the_same_account(
    cast, client_as, django_capture_on_commit_callbacks
):
    amina = cast.amina_participant
    with django_capture_on_commit_callbacks(execute=True):
        client_as(cast.carla).post(invite_url(amina))
    assert User.objects.filter(email__iexact="amina@a.example").count() == 1
    assert mail.outbox[0].to == ["amina@a.example"]
    # Her password still works until she chooses another.
    assert logs_in("amina@a.example", PASSWORD)


def test_a_participant_without_an_address_is_refused_and_nothing_is_created(
    cast, client_as, django_capture_on_commit_callbacks
):
    nobody = services.participant_create(
        programme=cast.programme, role=Participant.Role.MENTOR, first_name="Sans", last_name="Mail"
    )
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(cast.carla).post(invite_url(nobody), follow=True)
    assert "Ajoutez une adresse e-mail" in response.content.decode()
    assert User.objects.count() == users
    assert mail.outbox == []


def test_a_team_is_invited_through_its_representative(
    cast, client_as, django_capture_on_commit_callbacks
):
    team = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        kind=Participant.Kind.TEAM,
        team_name="Capaci",
        members=[{"name": "Pietro", "email": "pietro@capaci.example", "is_representative": True}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_as(cast.carla).post(invite_url(team))
    assert User.objects.filter(email="pietro@capaci.example").exists()
    assert mail.outbox[0].to == ["pietro@capaci.example"]
    team.refresh_from_db()
    # A team is recognised by its representative's address, not linked to one account.
    assert team.user_id is None


def test_the_participant_page_offers_the_invitation(cast, newcomer, client_as):
    with translation.override("en"):
        url = reverse("people:detail", args=[cast.programme.pk, newcomer.pk])
    body = client_as(cast.carla).get(url).content.decode()
    assert invite_url(newcomer).replace("/fr/", "/en/") in body
