"""In a real Chromium on a 360 px phone: the pending proposal is the first thing Amina sees."""

import pytest
from playwright.sync_api import expect

from binome.matching.models import Proposal
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def test_amina_finds_her_proposal_first_on_her_phone_in_arabic(cast, live_server, page_factory):
    proposal = Proposal.objects.create(
        programme=cast.programme, mentee=cast.amina_participant, mentor=cast.marek_participant
    )
    page = page_factory(360, 740, locale="ar")
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.fill("input[name=username]", "amina@a.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/ar/me/")
    first = page.locator("main .card").first
    expect(first).to_have_class("card next-step")
    link = first.get_by_role("link")
    assert link.get_attribute("href") == f"/ar/proposals/{proposal.pk}/"
    # The card is in sight without scrolling, and fits the phone.
    box = first.bounding_box()
    assert box is not None and box["y"] < 740 and box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    link.click()
    page.wait_for_url(f"**/ar/proposals/{proposal.pk}/")
    expect(page.locator("main form button[type=submit]").first).to_be_visible()
