"""A participant chooses her language on My space: saved on her record and her account."""

import pytest
from django.urls import reverse

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.people.models import Participant

pytestmark = pytest.mark.django_db

EXPECTED = {
    "anonymous": 302,  # to the login page
    "mentee": 302,
    "mentor": 302,
    "coordinator": 404,  # staff without a participant record have no My space
    "viewer": 404,
    "admin": 404,
    "outsider": 404,
}


def test_role_matrix_of_the_language_choice(cast, client_as):
    url = reverse("people:my_language")
    for role, user in cast.users().items():
        response = client_as(user).post(url, {"language": "uk"})
        assert response.status_code == EXPECTED[role], role


def test_the_mentee_chooses_arabic_and_everything_follows(cast, client_as):
    client = client_as(cast.amina)
    page = client.get(reverse("people:my_space")).content.decode()
    assert 'id="id_language"' in page and 'value="ar" lang="ar"' in page
    response = client.post(reverse("people:my_language"), {"language": "ar"})
    assert response.status_code == 302 and response["Location"] == "/ar/me/"
    assert Participant.objects.get(pk=cast.amina_participant.pk).language == "ar"
    assert User.objects.get(pk=cast.amina.pk).language == "ar"
    assert AuditEvent.objects.filter(action="participant.language").count() == 1


def test_a_language_the_site_does_not_speak_is_refused_and_nothing_changes(cast, client_as):
    response = client_as(cast.amina).post(reverse("people:my_language"), {"language": "xx"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=cast.amina_participant.pk).language == "fr"
    assert User.objects.get(pk=cast.amina.pk).language == "fr"
