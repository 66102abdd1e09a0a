import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binome.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def test_a_coordinator_logs_in_by_email_and_lands_on_her_to_dos(cast):
    client = Client()
    response = login(client, "CARLA@a.example", PASSWORD)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert reverse("programmes:list") in home.content.decode()


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


@pytest.mark.parametrize("spelling", ["CARLA@A.EXAMPLE", "Carla@a.example", " carla@A.example "])
def test_a_locked_account_stays_locked_however_its_address_is_typed(cast, spelling):
    for _ in range(5):
        login(Client(), "carla@a.example", "wrong")
    client = Client()
    assert login(client, spelling, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_typed_in_different_cases_add_up_on_one_account(cast):
    for spelling in ["carla@a.example", "CARLA@a.example", "Carla@A.Example", "cArLa@a.example"]:
        login(Client(), spelling, "wrong")
    login(Client(), "carla@A.EXAMPLE", "wrong")
    assert login(Client(), "carla@a.example", PASSWORD).status_code == 429


def fail_from(address: str, count: int) -> None:
    """Fail to log in count times from one address, each time on another account (spraying)."""
    for n in range(count):
        email = "adam@a.example" if n == 0 else f"person{n}@a.example"
        login(Client(), email, "Summer2025!", REMOTE_ADDR=address)


def failure_limit() -> int:
    return int(settings.LOGIN_FAILURE_RATE.split("/")[0])


def test_one_address_failing_on_many_accounts_is_refused_even_the_right_password(cast):
    fail_from("203.0.113.5", failure_limit())
    client = Client()
    response = login(client, "carla@a.example", PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_failure_fewer_than_the_limit_does_not_slow_an_address_down(cast):
    fail_from("203.0.113.5", failure_limit() - 1)
    assert (
        login(Client(), "carla@a.example", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302
    )


def test_a_throttled_address_does_not_lock_anyone_out_from_elsewhere(cast):
    fail_from("203.0.113.5", failure_limit() + 3)
    # Adam's account met one failure only: he logs in from his own connection.
    assert (
        login(Client(), "adam@a.example", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302
    )
    assert (
        login(Client(), "carla@a.example", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302
    )


def test_a_throttled_address_may_log_in_again_after_a_while(cast):
    fail_from("203.0.113.5", failure_limit())
    later = timezone.now() + datetime.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        response = login(Client(), "carla@a.example", PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302


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


def test_a_login_is_kept_in_the_audit_trail_without_address_or_network_details(cast, client):
    from binome.core.models import AuditEvent

    response = client.post(
        reverse("accounts:login"), {"username": "carla@a.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.actor == cast.carla and event.target_id == str(cast.carla.pk)
    assert "carla" not in str(event.detail) and "127.0.0.1" not in str(event.detail)
