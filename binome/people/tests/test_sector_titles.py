"""Sectors are named by their ISCO-08 title in the reader's language where the ILO publishes it
(English, French); Arabic and Ukrainian readers get the English title, marked as English."""

import pytest
from django.urls import reverse
from django.utils import translation

from binome.core import vocab
from binome.people.models import Participant

pytestmark = pytest.mark.django_db

MARKED = '<span lang="en" dir="ltr">Health professionals</span>'


def test_a_sector_is_titled_in_french_and_english_from_the_ilo_else_in_english():
    assert vocab.isco_label("2221", "fr") == "Spécialistes de la santé"
    assert vocab.isco_label("2221", "en") == "Health professionals"
    assert vocab.isco_label("2221", "ar") == "Health professionals"
    assert vocab.isco_label("2221", "uk") == "Health professionals"
    with translation.override("ar"):
        assert vocab.isco_html("2221") == MARKED
    with translation.override("fr"):
        assert vocab.isco_html("2221") == "Spécialistes de la santé"
        assert vocab.isco_html("") == ""


def _with_sector(cast) -> Participant:
    participant = cast.amina_participant
    Participant.objects.filter(pk=participant.pk).update(sector="2221")
    return participant


def test_my_space_in_arabic_and_ukrainian_shows_the_english_title_marked(cast, client_as):
    _with_sector(cast)
    client = client_as(cast.amina)
    for language in ("ar", "uk"):
        with translation.override(language):
            page = client.get(reverse("people:my_space")).content.decode()
        assert MARKED in page, language
        assert "اختصاصيو الصحة" not in page and "охорони здоров’я" not in page
    with translation.override("fr"):
        page = client.get(reverse("people:my_space")).content.decode()
    assert "<dd>Spécialistes de la santé</dd>" in page


def test_staff_pages_and_the_sector_picker_mark_english_titles(cast, client_as):
    participant = _with_sector(cast)
    client = client_as(cast.carla)
    args = [cast.programme.pk, participant.pk]
    with translation.override("uk"):
        detail = client.get(reverse("people:detail", args=args)).content.decode()
        listing = client.get(reverse("people:list", args=args[:1])).content.decode()
        edit = client.get(reverse("people:edit", args=args)).content.decode()
    assert MARKED in detail and MARKED in listing
    picker = edit.split('name="sector"')[0].rsplit("<select", 1)[1] + edit.split('name="sector"')[1]
    assert 'lang="en"' in picker and 'dir="ltr"' in picker
    assert '<option value="" lang="uk" dir="ltr"' in picker  # the empty choice is Ukrainian
    assert ">Health professionals</option>" in picker
    with translation.override("fr"):
        edit = client.get(reverse("people:edit", args=args)).content.decode()
    assert ">Spécialistes de la santé</option>" in edit
    assert 'lang="en"' not in edit.split('name="sector"')[1].split("</select>")[0]
