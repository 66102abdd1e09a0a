"""Her questionnaire answers are in her data export, and erasure blanks what she wrote."""

from django.utils import timezone

from binome.privacy.services.erasure import participant_erase
from binome.privacy.subject import FULL, subject_data
from binome.questionnaires import services
from binome.questionnaires.models import Answer, AnswerCorrection, Questionnaire


def answered(cast):
    services.library_load()
    questionnaire = Questionnaire.objects.get(organisation__isnull=True, key="integration")
    response = services.response_record(
        participant=cast.amina_participant,
        questionnaire=questionnaire,
        moment="intake",
        values={"work": ["2"], "help_most": ["Amina needs a flat in Marseille"]},
        language="ar",
        submitted_at=timezone.now(),
    )
    item = response.version.items.get(key="help_most")
    services.response_answer(
        response=response, item=item, raw=["A flat for Amina"], by=cast.carla, reason="typo"
    )
    return response


def test_her_answers_and_their_corrections_are_in_her_export(cast):
    answered(cast)
    data = subject_data(cast.amina_participant, scope=FULL)
    [response] = data["questionnaires"]
    assert response["language"] == "ar"
    values = {answer["question"]: answer for answer in response["answers"]}
    free = values["Qu'est-ce qui vous aiderait le plus en ce moment ?"]
    assert free["value"] == "A flat for Amina"
    assert free["corrections"][0]["text"] == "Amina needs a flat in Marseille"


def test_erasure_blanks_what_she_wrote_and_keeps_her_numbers(cast):
    response = answered(cast)
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    texts = set(Answer.objects.filter(response=response).values_list("text", flat=True))
    assert texts == {""}
    assert Answer.objects.get(response=response, item__key="work").number == 2
    assert [c.previous for c in AnswerCorrection.objects.all()] == [{}]
