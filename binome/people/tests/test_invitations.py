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
    found = re.search(r"https?://\S+/uk/accounts/password-reset/\S+/", str(message.body))
    assert found is not None
    link = found.group(0)
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


NEUTRAL = "Cette adresse ne peut pas servir"


def invite_and_read(cast, client_as, participant, capture) -> str:
    with capture(execute=True):
        response = client_as(cast.carla).post(invite_url(participant), follow=True)
    return response.content.decode()


def test_another_organisations_coordinator_is_refused_neutrally_and_left_alone(
    cast, client_as, django_capture_on_commit_callbacks
):
    borrowed = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTOR,
        first_name="Olga",
        last_name="Homonyme",
        email="olga@b.example",
    )
    olga_before = User.objects.values().get(pk=cast.olga.pk)
    body = invite_and_read(cast, client_as, borrowed, django_capture_on_commit_callbacks)
    assert NEUTRAL in body
    borrowed.refresh_from_db()
    assert borrowed.user_id is None
    assert mail.outbox == []
    assert User.objects.values().get(pk=cast.olga.pk) == olga_before
    assert logs_in("olga@b.example", PASSWORD)
    assert not AuditEvent.objects.filter(action="participant.invite").exists()


def test_another_organisations_participant_gets_the_same_neutral_refusal(
    cast, client_as, django_capture_on_commit_callbacks
):
    canary_account = User.objects.create_user(email="canary@b.example", password=PASSWORD)
    cast.canary_participant.user = canary_account
    cast.canary_participant.save(update_fields=["user"])
    twin = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        first_name="Jumelle",
        last_name="Canari",
        email="canary@b.example",
    )
    body = invite_and_read(cast, client_as, twin, django_capture_on_commit_callbacks)
    assert NEUTRAL in body
    assert "autre personne" not in body
    twin.refresh_from_db()
    assert twin.user_id is None
    assert mail.outbox == []


def test_a_team_whose_representative_logs_in_elsewhere_is_refused_neutrally(
    cast, client_as, django_capture_on_commit_callbacks
):
    team = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        kind=Participant.Kind.TEAM,
        team_name="Capaci",
        members=[{"name": "Olga", "email": "OLGA@b.example", "is_representative": True}],
    )
    body = invite_and_read(cast, client_as, team, django_capture_on_commit_callbacks)
    assert NEUTRAL in body
    assert mail.outbox == []


def test_the_neutral_refusal_is_one_message_that_does_not_say_where_the_address_is_known(
    cast, client_as, django_capture_on_commit_callbacks
):
    canary_account = User.objects.create_user(email="canary@b.example", password=PASSWORD)
    cast.canary_participant.user = canary_account
    cast.canary_participant.save(update_fields=["user"])
    refusals = []
    for email in ("olga@b.example", "canary@b.example"):
        participant = services.participant_create(
            programme=cast.programme,
            role=Participant.Role.MENTEE,
            first_name="Homonyme",
            last_name=email,
            email=email,
        )
        with translation.override("en"):
            url = invite_url(participant)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_as(cast.carla).post(url, follow=True)
        refusals.append([str(m) for m in response.context["messages"]])
    assert refusals[0] == refusals[1]
    [text] = refusals[0]
    assert "cannot be used for a login here" in text
    for telltale in ("another participant", "another organisation", "exist", "b.example"):
        assert telltale not in text.lower()
    assert mail.outbox == []


def test_an_account_already_logging_in_here_is_still_refused_precisely(
    cast, client_as, django_capture_on_commit_callbacks
):
    second = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        first_name="Amina",
        last_name="Bis",
        email="amina@a.example",
    )
    body = invite_and_read(cast, client_as, second, django_capture_on_commit_callbacks)
    assert "pour une autre personne" in body
    assert NEUTRAL not in body
    assert mail.outbox == []


def test_a_coordinator_of_this_organisation_may_be_invited_as_its_mentor(
    cast, client_as, django_capture_on_commit_callbacks
):
    carla_as_mentor = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTOR,
        first_name="Carla",
        last_name="Mentor",
        email="carla@a.example",
    )
    invite_and_read(cast, client_as, carla_as_mentor, django_capture_on_commit_callbacks)
    carla_as_mentor.refresh_from_db()
    assert carla_as_mentor.user == cast.carla
    assert mail.outbox[0].to == ["carla@a.example"]
