"""Password reset: the same answer, in the same time, whether or not the address has an account."""

import pytest
from django.core import mail
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

pytestmark = pytest.mark.django_db


def ask(email: str):
    return Client().post(reverse("accounts:password_reset"), {"email": email})


def test_the_e_mail_leaves_only_once_the_response_is_sent(cast):
    request = RequestFactory().post(
        reverse("accounts:password_reset"), {"email": "carla@a.example"}
    )
    # As the test client does; a private flag, which the stubs do not declare.
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    response = resolve(request.path).func(request)
    assert response.status_code == 302
    assert mail.outbox == []
    # What the server does after writing the last byte. Closing sends request_finished, whose
    # close_old_connections would close the test's database connection (it is inside the
    # test's transaction): the test client keeps it open the same way.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert [message.to for message in mail.outbox] == [["carla@a.example"]]
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_a_known_address_gets_the_e_mail_after_the_request(cast):
    ask("Carla@A.example")
    assert [message.to for message in mail.outbox] == [["carla@a.example"]]


@pytest.mark.parametrize("kind", ["unknown", "inactive", "no password yet"])
def test_an_address_that_cannot_reset_gets_no_e_mail_even_after_the_request(cast, kind):
    if kind == "inactive":
        cast.vera.is_active = False
        cast.vera.save(update_fields=["is_active"])
    if kind == "no password yet":
        cast.vera.set_unusable_password()
        cast.vera.save(update_fields=["password"])
    response = ask("nobody@a.example" if kind == "unknown" else "vera@a.example")
    assert response.status_code == 302
    assert mail.outbox == []


def work_done(email: str) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        response = ask(email)
    return [template.name for template in response.templates], len(queries)


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(cast):
    known = work_done("carla@a.example")
    unknown = work_done("nobody@a.example")
    assert known == unknown
    # The e-mail is rendered in both cases, so rendering does not tell them apart.
    assert "accounts/email/password_reset.txt" in unknown[0]
