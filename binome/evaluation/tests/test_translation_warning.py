"""The evaluation warns about answers given in the library's own Arabic translation (Binôme's,
not validated)."""

import pytest

from binome.evaluation.figures import scales, scope_for
from binome.questionnaires import services
from binome.questionnaires.models import Assignment, Questionnaire

pytestmark = pytest.mark.django_db


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


def test_the_evaluation_warns_about_answers_in_a_translation_not_validated(cast, baseline):
    response = services.response_start(
        participant=cast.amina_participant,
        questionnaire=baseline.questionnaire,
        assignment=baseline,
        moment="intake",
        language="ar",
    )
    for item in response.version.items.all():
        value = "text" if item.is_text else "yes" if item.options else "3"
        services.response_answer(response=response, item=item, raw=[value])
    services.response_submit(response=response)
    entry = next(
        q for q in scales(scope_for(cast.programme)) if q["questionnaire"] == "integration"
    )
    assert "ar" in entry["languages_without_validated_translation"]
