"""The password policy: 10 characters at least, none known from breaches, checked offline."""

import gzip

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from binome.accounts.passwords import BREACHED_LIST, _breached
from binome.testing import PASSWORD

pytestmark = pytest.mark.django_db

BREACHED_FR = "figure dans des listes de mots de passe volés"
# Long enough, yet in the bundled breach list (and not in Django's own list of 20,000).
BREACHED = ["1qaz2wsx3edc", "Manchester", "qwertyuiop", "password123", "Q1w2e3r4t5"]


def messages_for(password: str, language: str = "en") -> list[str]:
    with translation.override(language):
        try:
            validate_password(password)
        except ValidationError as error:
            return error.messages
    return []


def test_the_bundled_list_is_large_and_read_offline_from_the_repository():
    with gzip.open(BREACHED_LIST, "rt", encoding="utf-8") as shipped:
        entries = shipped.read().split()
    assert len(entries) == 112_130 == len(set(entries))
    assert all(len(entry) >= 10 and entry == entry.lower() for entry in entries)
    # With Django's 20,000 (of every length).
    assert len(_breached()) > 130_000


@pytest.mark.parametrize("password", BREACHED)
def test_a_breached_password_is_refused_whatever_its_case(password):
    problems = messages_for(password)
    assert any("stolen from other websites" in problem for problem in problems), problems


def test_django_s_own_common_passwords_are_refused_too():
    assert messages_for("sunshine12345") or messages_for("iloveyou12")


@pytest.mark.parametrize(
    ("language", "text"), [("fr", BREACHED_FR), ("ar", "المسروقة"), ("uk", "викрадених")]
)
def test_the_message_is_in_the_user_s_language(language, text):
    assert any(text in problem for problem in messages_for("qwertyuiop", language))


def test_nine_characters_are_too_short_and_ten_are_enough():
    assert any("10" in problem for problem in messages_for("tulip-rav"))
    assert messages_for("tulip-rave") == []


def test_a_passphrase_of_unrelated_words_passes():
    assert messages_for("lantern-otter-pebble") == []


def test_changing_to_a_breached_password_is_refused_on_the_page(cast, client_as):
    client = client_as(cast.carla)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "qwertyuiop", "new_password2": "qwertyuiop"},
    )
    assert response.status_code == 200
    assert BREACHED_FR in response.content.decode()
    cast.carla.refresh_from_db()
    assert cast.carla.check_password(PASSWORD)


def test_an_invitation_or_reset_link_refuses_a_breached_password(cast):
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "amina@a.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    form_url = page.redirect_chain[-1][0]
    refused = client.post(
        form_url, {"new_password1": "password123", "new_password2": "password123"}
    )
    assert refused.status_code == 200
    assert BREACHED_FR in refused.content.decode()
    accepted = client.post(
        form_url, {"new_password1": "lantern-otter-pebble", "new_password2": "lantern-otter-pebble"}
    )
    assert accepted.status_code == 302
    cast.amina.refresh_from_db()
    assert cast.amina.check_password("lantern-otter-pebble")


def test_a_new_password_from_a_link_ends_the_sessions_opened_before(cast):
    from binome.accounts.models import SessionRecord

    old = Client()
    old.post(reverse("accounts:login"), {"username": "amina@a.example", "password": PASSWORD})
    assert SessionRecord.objects.filter(user=cast.amina).count() == 1
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "amina@a.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    new = "lantern-otter-pebble"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert not SessionRecord.objects.filter(user=cast.amina).exists()
    assert old.get(reverse("people:my_space")).status_code == 302
