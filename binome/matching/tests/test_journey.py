"""The coordinator proposes a pair; the mentee accepts on a phone in Arabic; the mentor accepts."""

import pytest

from binome.accounts.models import User
from binome.duos.models import Duo
from binome.matching.models import Proposal
from binome.matching.tests.conftest import make_matchable
from binome.people.models import Participant
from binome.testing import PASSWORD, add_person, run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base, lang, email, next_url):
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email=email).update(language=lang)
    page.goto(f"{base}/{lang}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def assert_actions_in_view(page):
    """Every row's buttons stay inside the table's box: none is cut off or needs a scroll."""
    cut = page.evaluate(
        """() => {
            const wrap = document.querySelector('#run-rows .table-wrap').getBoundingClientRect();
            return [...document.querySelectorAll('table.pairs .row-actions button')]
                .map(b => b.getBoundingClientRect())
                .filter(b => b.right > wrap.right + 0.5 || b.left < wrap.left - 0.5).length;
        }"""
    )
    assert cut == 0


def test_a_proposal_goes_from_the_coordinator_to_a_duo(cast, live_server, page_factory):
    make_matchable(cast)
    add_person(cast, Participant.Role.MENTEE, "Nadia", languages={"fr": "B2"})
    add_person(cast, Participant.Role.MENTOR, "Paul", languages={"fr": "native"})
    amina, marek = cast.amina_participant, cast.marek_participant
    base = live_server.url

    # The coordinator runs the matching, locks Amina with Marek, and sends the proposals.
    desk = page_factory(width=1280, height=900, locale="fr-FR")
    matching_url = f"/fr/programmes/{cast.programme.pk}/matching/"
    log_in(desk, base, "fr", "carla@a.example", matching_url)
    desk.click("button[value=rerun]")
    # Queued: the page says so and polls; a worker runs it; the page shows the result.
    desk.wait_for_selector("#run-status .badge.pending")
    assert run_tasks() == 1
    desk.wait_for_selector("table.pairs")
    assert desk.locator("table.pairs tbody tr").count() == 2
    assert_actions_in_view(desk)
    desk.click(f"button[value='lock:{amina.pk}-{marek.pk}']")
    desk.wait_for_selector("#run-status .badge.pending")
    assert run_tasks() == 1
    desk.wait_for_selector("table.pairs tr.locked")
    desk.screenshot(path="/tmp/matching_run_locked.png", full_page=True)
    desk.click("button[value=send]")
    desk.wait_for_selector("#proposals-title")
    desk.screenshot(path="/tmp/matching_run_sent.png", full_page=True)
    proposal = Proposal.objects.get(mentee=amina)
    assert proposal.mentor == marek
    assert Proposal.objects.count() == 2

    # Amina accepts on her phone, in Arabic, right to left.
    phone = page_factory(width=360, height=740, locale="ar")
    log_in(phone, base, "ar", "amina@a.example", "/ar/me/proposals/")
    phone.click(f"a[href='/ar/proposals/{proposal.pk}/']")
    phone.wait_for_url(f"**/ar/proposals/{proposal.pk}/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert "Marek" in phone.content() and "Nowak" not in phone.content()
    phone.screenshot(path="/tmp/proposal_ar_360.png", full_page=True)
    phone.click("button[value=accepted]")
    phone.wait_for_selector(".messages")
    phone.screenshot(path="/tmp/proposal_ar_360_accepted.png", full_page=True)

    # Marek accepts; the duo exists.
    mentor = page_factory(width=390, height=800, locale="fr-FR")
    log_in(mentor, base, "fr", "marek@a.example", f"/fr/proposals/{proposal.pk}/")
    mentor.click("button[value=accepted]")
    mentor.wait_for_selector(".messages")
    mentor.screenshot(path="/tmp/proposal_mentor_accepted.png", full_page=True)
    duo = Duo.objects.get()
    assert (duo.mentee, duo.mentor, duo.status) == (amina, marek, Duo.Status.STARTING)
    amina.refresh_from_db()
    assert amina.status == Participant.Status.MATCHED
