"""Arabic pages holding French and English data: each piece keeps its own direction."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from binome.duos.services.plan import objective_create
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme
from binome.testing import make_duo

pytestmark = pytest.mark.django_db


def arabic(name: str, *args) -> str:
    with translation.override("ar"):
        return reverse(name, args=args)


def test_my_duo_in_arabic_isolates_french_text_and_keeps_addresses_left_to_right(cast, client_as):
    duo = make_duo(cast)
    objective_create(duo=duo, actor=cast.marek, title="Écrire un CV.", need="employment")
    Organisation.objects.filter(pk=cast.org_a.pk).update(contact_email="contact@hors-pistes.fr")
    page = client_as(cast.amina).get(arabic("duos:mine"), follow=True).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<span class="title" dir="auto">Écrire un CV.</span>' in page
    for link in re.findall(r"<a [^>]*mailto:[^>]*>.*?</a>", page):
        assert 'dir="ltr"' in link, link


def test_my_space_in_arabic_keeps_the_team_address_and_the_phone_left_to_right(cast, client_as):
    Organisation.objects.filter(pk=cast.org_a.pk).update(contact_email="contact@hors-pistes.fr")
    Participant.objects.filter(pk=cast.amina_participant.pk).update(phone="+33612345678")
    page = client_as(cast.amina).get(arabic("people:my_space")).content.decode()
    assert 'href="mailto:contact@hors-pistes.fr" dir="ltr"' in page
    assert '<span dir="ltr">+33612345678</span>' in page


def test_the_french_programme_text_on_an_arabic_page_keeps_its_punctuation(cast, client):
    Programme.objects.filter(pk=cast.programme.pk).update(
        description="Une communauté d'entraide.", translations={}
    )
    programme = Programme.objects.get(pk=cast.programme.pk)
    page = client.get(
        arabic("programmes:public", programme.organisation.slug, programme.slug)
    ).content.decode()
    # Marked as French, left to right: the full stop stays at the end of the sentence.
    assert '<div lang="fr" dir="ltr" class="content-text">Une communauté' in page
    assert f'<span lang="fr" dir="ltr">{programme.name}</span>' in page


def test_back_arrows_are_marked_to_be_mirrored_right_to_left(cast, client):
    programme = Programme.objects.get(pk=cast.programme.pk)
    page = client.get(
        arabic("programmes:public", programme.organisation.slug, programme.slug)
    ).content.decode()
    assert '<span class="arrow" aria-hidden="true">←</span>' in page
    css = (Path(__file__).resolve().parents[2] / "static/css/binome.css").read_text()
    assert '[dir="rtl"] .arrow' in css and "scaleX(-1)" in css
