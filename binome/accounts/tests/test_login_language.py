"""After login, the person's own language wins over the language of the page she started from."""

import pytest
from django.conf import settings

from binome.accounts.models import User
from binome.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_arabic_mentee_logging_in_from_a_french_page_lands_in_arabic(cast, client):
    User.objects.filter(pk=cast.amina.pk).update(language="ar")
    response = client.post(
        "/fr/accounts/login/?next=/fr/me/",
        {"username": "amina@a.example", "password": PASSWORD, "next": "/fr/me/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/ar/me/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get(response["Location"])
    assert page.status_code == 200 and '<html lang="ar" dir="rtl">' in page.content.decode()


def test_without_a_next_page_she_lands_on_her_home_in_her_language(cast, client):
    User.objects.filter(pk=cast.marek.pk).update(language="uk")
    response = client.post(
        "/en/accounts/login/", {"username": "marek@a.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/uk/")


def test_a_person_whose_language_is_the_page_s_stays_on_it(cast, client):
    response = client.post(
        "/fr/accounts/login/?next=/fr/me/",
        {"username": "amina@a.example", "password": PASSWORD, "next": "/fr/me/"},
    )
    assert response["Location"] == "/fr/me/"
