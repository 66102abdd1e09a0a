"""A newcomer applies in Arabic on a phone, in a real headless Chromium."""

import pytest
from playwright.sync_api import expect

from binome.people.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def test_a_newcomer_applies_in_arabic_on_a_phone_and_sees_the_confirmation(
    cast, live_server, page_factory
):
    page = page_factory(width=360, height=740, locale="ar")
    page.goto(f"{live_server.url}/ar/directory/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path="/tmp/directory_ar_360.png", full_page=True)
    page.click("a[href='/ar/p/hors-pistes/mentorat-interculturel/']")
    page.screenshot(path="/tmp/public_ar_360.png", full_page=True)
    page.click("a[href='/ar/p/hors-pistes/mentorat-interculturel/apply/mentee/']")
    page.wait_for_url("**/ar/p/hors-pistes/mentorat-interculturel/apply/mentee/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    # The form fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#id_first_name", "فاطمة")
    page.fill("#id_phone", "+33 6 12 34 56 78")
    page.fill("#id_languages_lang_0", "العربية")  # typed, or picked from the suggestions
    page.select_option("#id_languages_level_0", "native")
    page.check("#id_needs_0")
    page.check("#id_consent_data")
    page.screenshot(path="/tmp/apply_ar_360.png", full_page=True)
    page.click("button[type=submit]")

    page.wait_for_url("**/ar/p/hors-pistes/mentorat-interculturel/applied/")
    assert page.locator("#application-received").is_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path="/tmp/applied_ar_360.png", full_page=True)

    applicant = Participant.objects.get(first_name="فاطمة")
    assert applicant.status == Participant.Status.APPLIED
    assert applicant.language == "ar"
    assert applicant.role == Participant.Role.MENTEE
    assert applicant.phone == "+33612345678"
    assert applicant.consents.count() == 1


def test_a_mistake_on_the_phone_form_is_shown_and_what_was_typed_stays(
    cast, live_server, page_factory
):
    page = page_factory(width=360, height=740, locale="ar")
    page.goto(f"{live_server.url}/ar/p/hors-pistes/mentorat-interculturel/apply/mentee/")
    page.fill("#id_first_name", "Oleh")
    page.click("button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.input_value("#id_first_name") == "Oleh"
    page.screenshot(path="/tmp/apply_ar_360_errors.png", full_page=True)
    assert not Participant.objects.filter(first_name="Oleh").exists()


def test_the_language_menu_switches_the_page_to_arabic_under_the_security_policy(
    cast, live_server, page_factory
):
    page = page_factory(width=360, height=740, locale="fr-FR")
    page.goto(f"{live_server.url}/fr/directory/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    # No inline handler: the site's own script sends the form (page_factory fails the test
    # on any Content-Security-Policy violation).
    page.select_option("#lang-select", "ar")
    page.wait_for_url("**/ar/directory/")
    assert page.locator("html").get_attribute("dir") == "rtl"
