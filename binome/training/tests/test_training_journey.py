"""A coordinator writes a module with a quiz and makes it the mentors' path; the mentor follows it
on a phone, fails the quiz once, passes it, and shows among the mentee's candidates."""

import pytest

from binome.matching.models import MatchingSettings
from binome.people import services as people
from binome.people.models import Participant
from binome.testing import PASSWORD, SLOTS
from binome.training.models import Module

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base, lang, email, next_url):
    page.goto(f"{base}/{lang}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def matchable(cast):
    for participant, extra in (
        (cast.marek_participant, {"offers": ["employment"]}),
        (cast.amina_participant, {"sector": "2221"}),
    ):
        people.participant_update(
            participant=participant,
            actor=cast.carla,
            availability=SLOTS,
            mode_preference=Participant.Mode.EITHER,
            interests=["football"],
            **extra,
        )
    people.participant_set_status(
        participant=cast.amina_participant, to_status=Participant.Status.READY, actor=cast.carla
    )
    MatchingSettings.objects.create(programme=cast.programme, require_training=True)


def test_a_mentor_completes_the_path_and_becomes_matchable(cast, live_server, page_factory):
    matchable(cast)
    base = live_server.url
    shortlist = (
        f"/fr/programmes/{cast.programme.pk}/matching/shortlist/{cast.amina_participant.pk}/"
    )

    # The coordinator writes the module and its quiz, and requires it of mentors.
    desk = page_factory(width=1280, height=900)
    log_in(desk, base, "fr", "carla@a.example", f"/fr/organisations/{cast.org_a.pk}/training/")
    desk.click(f"a[href='/fr/organisations/{cast.org_a.pk}/training/new/']")
    desk.fill("#id_title", "Écouter sans juger")
    desk.fill("#id_body", "## Pourquoi\nÉcouter d'abord.\n- Reformuler\n- Se taire")
    desk.fill("#id_duration_minutes", "15")
    desk.fill("#id_pass_mark", "100")
    desk.click("main form button[type=submit]")
    desk.wait_for_selector(".messages")
    module = Module.objects.get()
    desk.click(f"a[href='/fr/training/modules/{module.pk}/questions/new/']")
    desk.fill("#id_text", "Que faire quand la personne se tait ?")
    desk.fill("#id_choices", "Parler à sa place\nLaisser un silence")
    desk.click("main form button[type=submit]")
    desk.wait_for_selector(".errors")  # no right answer marked: refused, the input kept
    assert desk.input_value("#id_choices") == "Parler à sa place\nLaisser un silence"
    desk.fill("#id_choices", "Parler à sa place\n*Laisser un silence")
    desk.click("main form button[type=submit]")
    desk.wait_for_selector(".messages")
    desk.goto(f"{base}/fr/programmes/{cast.programme.pk}/training/mentor/")
    desk.check(f"input[name=modules][value='{module.pk}']")
    desk.click("main form button[type=submit]")
    desk.wait_for_selector(".messages")
    desk.goto(base + shortlist)
    assert "Marek" not in desk.locator("main").inner_text()

    # Marek follows it on his phone from his space: one wrong answer, then the right one.
    phone = page_factory(width=360, height=740)
    log_in(phone, base, "fr", "marek@a.example", "/fr/me/")
    phone.click("a[href='/fr/training/']")
    phone.click(f"a[href='/fr/training/modules/{module.pk}/']")
    phone.wait_for_url(f"**/training/modules/{module.pk}/")
    assert phone.locator("main h3").inner_text() == "Pourquoi"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.check("input[value='0']")
    phone.click("form.quiz button[type=submit]")
    phone.wait_for_selector(".messages .error")
    phone.check("input[value='1']")
    phone.click("form.quiz button[type=submit]")
    phone.wait_for_url("**/fr/training/")
    assert "100%" in phone.locator("main").inner_text()
    phone.screenshot(path="/tmp/training_path_done_360.png", full_page=True)
    cast.marek_participant.refresh_from_db()
    assert cast.marek_participant.training_done

    # He is now among Amina's candidates.
    desk.goto(base + shortlist)
    assert "Marek" in desk.locator("ol.candidates").inner_text()
