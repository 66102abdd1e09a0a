import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from binome.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_a_coordinator_logs_in_by_email_and_lands_on_their_programmes(cast):
    client = Client()
    response = login(client, "CARLA@a.example", PASSWORD)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # home → programmes
    assert client.get(reverse("home"))["Location"] == reverse("programmes:list")


def test_a_mentee_lands_on_her_own_space(cast):
    client = Client()
    login(client, "amina@a.example", PASSWORD)
    assert client.get(reverse("home"))["Location"] == reverse("people:my_space")


def test_a_wrong_password_says_so_without_saying_which_part_is_wrong(cast):
    response = login(Client(), "carla@a.example", "wrong")
    assert response.status_code == 200
    # The site's default language is French.
    assert "ne correspondent pas" in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(cast):
    for _ in range(5):
        login(Client(), "carla@a.example", "wrong")
    response = login(Client(), "carla@a.example", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session
    # Another account is not affected.
    assert login(Client(), "adam@a.example", PASSWORD).status_code == 302


def test_four_failures_do_not_lock_the_account(cast):
    for _ in range(4):
        login(Client(), "carla@a.example", "wrong")
    assert login(Client(), "carla@a.example", PASSWORD).status_code == 302


def test_passwords_are_hashed_never_stored_in_clear(cast):
    cast.carla.refresh_from_db()
    assert PASSWORD not in cast.carla.password
    assert cast.carla.check_password(PASSWORD)


def test_password_reset_sends_a_link_to_a_known_address(cast):
    response = Client().post(reverse("accounts:password_reset"), {"email": "carla@a.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_password_reset_does_not_reveal_whether_an_address_exists(cast):
    known = Client().post(reverse("accounts:password_reset"), {"email": "carla@a.example"})
    unknown = Client().post(reverse("accounts:password_reset"), {"email": "nobody@a.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_the_reset_link_lets_the_user_choose_a_new_password(cast):
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "carla@a.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    cast.carla.refresh_from_db()
    assert cast.carla.check_password(new)
