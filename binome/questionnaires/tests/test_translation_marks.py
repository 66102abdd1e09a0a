"""The library's Arabic and Ukrainian texts are Binôme's own translations: marked "to be checked"
for the person answering and the coordinator."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.questionnaires import services
from binome.questionnaires.due import Due, answer_path
from binome.questionnaires.models import Assignment, Questionnaire

pytestmark = pytest.mark.django_db

NOTE = "This translation was made by Binôme and is still to be checked"


@pytest.fixture
def baseline(cast):
    services.library_load()
    questionnaire = Questionnaire.objects.get(organisation__isnull=True, key="integration")
    return services.assignment_add(
        programme=cast.programme,
        questionnaire=questionnaire,
        moment=Assignment.Moment.INTAKE,
        role="mentee",
        by=cast.carla,
    )


def _answer_in(cast, client, baseline, language):
    with translation.override("en"):
        url = answer_path(Due(baseline, cast.amina_participant, 0, None, timezone.localdate()))
    response = services.response_start(
        participant=cast.amina_participant,
        questionnaire=baseline.questionnaire,
        assignment=baseline,
        moment="intake",
        language=language,
    )
    return response, html.unescape(client.get(url + "?step=1").content.decode())


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_a_participant_answering_in_binomes_own_translation_sees_it_marked(
    cast, client, baseline, language
):
    with translation.override(language):
        note = translation.gettext(
            "This translation was made by Binôme and is still to be checked. If a question is "
            "unclear, ask your coordinator or answer in another language."
        )
    _response, page = _answer_in(cast, client, baseline, language)
    assert note in page


def test_french_is_not_marked_and_a_validated_translation_no_longer_is(cast, client, baseline):
    response, page = _answer_in(cast, client, baseline, "fr")
    assert NOTE not in page and "to-check" not in page
    questionnaire = baseline.questionnaire
    assert questionnaire.unchecked_languages() == ["ar", "uk"]
    questionnaire.validated_languages = ["ar"]
    assert questionnaire.unchecked_languages() == ["uk"]


def test_the_coordinator_sees_which_translations_are_to_be_checked(cast, client_as, baseline):
    with translation.override("en"):
        url = reverse("questionnaires:detail", args=[baseline.questionnaire_id])
    page = html.unescape(client_as(cast.carla).get(url).content.decode())
    assert "Translation to be checked" in page and "ar, uk" in page
