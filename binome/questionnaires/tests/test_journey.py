"""In a real browser on a phone: a mentee answers the baseline in Arabic from her link, one
question per screen; then her duo, closed, scores its objective on the levels it wrote."""

import pytest
from django.utils import timezone, translation

from binome.duos.models import Duo, Objective
from binome.questionnaires import services
from binome.questionnaires.due import Due, answer_path
from binome.questionnaires.models import GoalScore, Questionnaire, Response
from binome.testing import PASSWORD, make_duo

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def test_a_mentee_answers_the_baseline_in_arabic_and_the_duo_scores_its_goals(
    cast, live_server, page_factory
):
    base = live_server.url
    services.library_load()
    questionnaire = Questionnaire.objects.get(organisation__isnull=True, key="integration")
    assignment = services.assignment_add(
        programme=cast.programme,
        questionnaire=questionnaire,
        moment="intake",
        role="mentee",
        by=cast.carla,
    )
    cast.amina_participant.language = "ar"
    cast.amina_participant.save(update_fields=["language"])
    with translation.override("ar"):
        path = answer_path(Due(assignment, cast.amina_participant, 0, None, timezone.localdate()))

    phone = page_factory(width=360, height=740, locale="ar")
    phone.goto(base + path)
    phone.wait_for_selector("fieldset[lang=ar][dir=rtl]")
    assert "لديّ عمل، أو أعرف كيف أبحث عنه." in phone.inner_text("legend")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for step in range(1, 11):
        # Two taps a screen: a point, then "next".
        phone.click("label.point:has(input[value='4'])")
        phone.click("form.item button.primary")
        phone.wait_for_url(f"**?step={step + 1}")
    phone.click("label.point:has(input[value='yes'])")
    phone.click("form.item button.primary")
    phone.fill("textarea[name=value]", "عمل ثابت")
    phone.click("form.item button.primary")
    phone.click("button[name=submit]")
    phone.wait_for_selector(".thanks")
    response = Response.objects.get(participant=cast.amina_participant)
    assert (response.status, response.language) == ("submitted", "ar")
    assert response.scale_scores.get(scale__key="integration").score == 4

    duo = make_duo(cast)
    objective = Objective.objects.create(duo=duo, title="Trouver un stage")
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED, closed_on=timezone.localdate())
    phone.goto(f"{base}/fr/accounts/login/?next=/fr/duos/{duo.pk}/goals/")
    phone.fill("#id_username", "amina@a.example")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"**/fr/duos/{duo.pk}/goals/")
    phone.fill("input[name=level_0]", "Un stage de deux semaines")
    phone.fill("input[name=level_p2]", "Un contrat d'apprentissage")
    phone.click("details form button.primary")
    phone.wait_for_selector(".gas-levels")
    phone.click("form.gas-score label:has(input[value='2'])")
    phone.select_option("form.gas-score select[name=moment]", "closure")
    phone.click("form.gas-score button.primary")
    phone.wait_for_selector(".messages")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    score = GoalScore.objects.get(goal_scale__objective=objective)
    assert (score.score, score.moment) == (2, "closure")
