"""A participant's own page: her copy, and the details she corrects herself."""

import pytest
from django.urls import reverse

from binome.core.models import AuditEvent
from binome.people.models import Participant

pytestmark = pytest.mark.django_db


def url() -> str:
    return reverse("privacy:my_data")


def test_she_corrects_her_phone_city_and_language(cast, client_as):
    amina = client_as(cast.amina)
    version = Participant.objects.get(pk=cast.amina_participant.pk).version
    response = amina.post(
        url(), {"phone": "06 12 34 56 78", "city": "Aix", "language": "ar", "version": version}
    )
    assert response.status_code == 302
    saved = Participant.objects.get(pk=cast.amina_participant.pk)
    assert (saved.phone, saved.city, saved.language) == ("+33612345678", "Aix", "ar")
    event = AuditEvent.objects.filter(action="participant.update").latest("pk")
    assert event.actor == cast.amina and event.detail["fields"] == ["city", "language", "phone"]


def test_a_wrong_phone_or_a_stale_form_saves_nothing(cast, client_as):
    amina = client_as(cast.amina)
    version = Participant.objects.get(pk=cast.amina_participant.pk).version
    response = amina.post(url(), {"phone": "12", "city": "", "language": "fr", "version": version})
    assert response.status_code == 200
    response = amina.post(
        url(), {"phone": "", "city": "X", "language": "fr", "version": version - 1 or 99}
    )
    assert response.status_code == 200
    assert Participant.objects.get(pk=cast.amina_participant.pk).city == "Marseille"


def test_she_cannot_change_anything_else(cast, client_as):
    version = Participant.objects.get(pk=cast.amina_participant.pk).version
    client_as(cast.amina).post(
        url(),
        {
            "phone": "",
            "city": "Marseille",
            "language": "fr",
            "version": version,
            "legal_status": "citizen",
            "first_name": "Hacked",
        },
    )
    saved = Participant.objects.get(pk=cast.amina_participant.pk)
    assert (saved.legal_status, saved.first_name) == ("asylum_seeker", "Amina")


def test_the_page_is_in_her_language_and_links_her_copy(cast, client_as):
    for language in ("ar", "uk", "fr", "en"):
        page = client_as(cast.amina).get(f"/{language}/me/data/").content.decode()
        assert 'id="my-copy-pdf"' in page
        assert "Private intake note" not in page
