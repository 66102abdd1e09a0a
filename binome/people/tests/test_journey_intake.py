"""The coordinator's journey in a real Chromium: find an applicant, interview her, ready her."""

import pytest
from playwright.sync_api import expect

from binome.accounts.models import User
from binome.people.models import Participant
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base_url, email):
    page.goto(f"{base_url}/fr/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_carla_finds_amina_records_the_intake_and_sees_her_ready(cast, live_server, page_factory):
    for i in range(8):
        Participant.objects.create(
            programme=cast.programme, role="mentee", first_name=f"Other{i}", last_name="Person"
        )
    page = page_factory(1280, 900)
    log_in(page, live_server.url, "carla@a.example")
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/participants/")
    assert page.locator("#participants tbody tr").count() == 10

    # A filter list applies as soon as Carla picks a value (htmx), without reloading the page.
    page.select_option("#id_role", "mentor")
    expect(page.locator("#participants tbody tr")).to_have_count(1)
    assert "role=mentor" in page.url
    page.select_option("#id_role", "")
    expect(page.locator("#participants tbody tr")).to_have_count(10)

    # The search box filters the table as Carla types (htmx), without reloading the page.
    page.locator("#id_q").press_sequentially("amina", delay=30)
    expect(page.locator("#participants tbody tr")).to_have_count(1)
    expect(page.locator(".htmx-request")).to_have_count(0)
    assert "q=amina" in page.url
    row = page.locator("#participants tbody tr")
    assert "Amina Haddad" in row.inner_text()
    assert row.locator(".badge.applied").count() == 1

    # Leaving the search box for a result sends no second search that could race the click.
    searches = []
    page.on(
        "request", lambda request: searches.append(request.url) if "q=" in request.url else None
    )
    row.get_by_role("link", name="Amina Haddad").click()
    page.wait_for_url(f"**/participants/{cast.amina_participant.pk}/")
    assert searches == []
    page.locator(f"a[href$='/{cast.amina_participant.pk}/intake/']").click()
    page.wait_for_url("**/intake/")

    page.select_option("#id_languages_level_1", "B1")
    page.fill("#id_motivations", "Trouver un emploi de comptable")
    page.check("input[name=availability][value=tue_pm]")
    page.check("input[name=consents][value=data_processing]")
    page.check("#id_ready")
    page.screenshot(path="/tmp/people_intake_form.png", full_page=True)
    page.click("form.profile-form button[type=submit]")
    page.wait_for_url(f"**/participants/{cast.amina_participant.pk}/")

    assert page.locator("#current-status").get_attribute("data-status") == "ready"
    timeline = page.locator("#timeline li")
    assert [timeline.nth(i).get_attribute("data-status") for i in range(3)] == [
        "applied",
        "interviewed",
        "ready",
    ]
    assert "Carla Coordinatrice" in timeline.nth(2).inner_text()
    page.screenshot(path="/tmp/people_detail_after_intake.png", full_page=True)

    amina = Participant.objects.get(pk=cast.amina_participant.pk)
    assert amina.status == "ready"
    assert amina.languages["fr"] == "B1"


def test_the_participant_list_is_usable_on_a_360_px_phone(cast, live_server, page_factory):
    page = page_factory(360, 740)
    log_in(page, live_server.url, "carla@a.example")
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/participants/")
    page.screenshot(path="/tmp/people_list_360.png", full_page=True)
    # The page itself does not scroll sideways: only the table does, inside its frame.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    name = page.locator("#participants tbody th a").first
    assert name.is_visible()
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_amina_sees_her_space_on_a_phone_in_arabic(cast, live_server, page_factory):
    page = page_factory(360, 740, locale="ar")
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email="amina@a.example").update(language="ar")
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.fill("input[name=username]", "amina@a.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    body = page.inner_text("body")
    assert "Asylum seeker" not in body
    assert "Private intake note" not in body
    page.screenshot(path="/tmp/people_my_space_ar_360.png", full_page=True)


def test_the_create_form_fits_a_360_px_phone(cast, live_server, page_factory):
    page = page_factory(360, 740)
    log_in(page, live_server.url, "carla@a.example")
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/participants/new/?role=mentor")
    page.screenshot(path="/tmp/people_create_360.png", full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 361)"
        ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
