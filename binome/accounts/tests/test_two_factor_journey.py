"""A coordinator sets up two-step login on her phone, as her organisation requires, and logs in."""

import time

import pytest
from playwright.sync_api import expect

from binome.testing import PASSWORD, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in_with_password(page, base_url):
    page.goto(f"{base_url}/fr/accounts/login/")
    page.fill("input[name=username]", "carla@a.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url or "/login/code/" in url)


def test_carla_enrols_her_authenticator_on_a_phone_and_logs_in_with_its_code(
    cast, live_server, page_factory
):
    cast.org_a.require_two_factor = True
    cast.org_a.save(update_fields=["require_two_factor"])
    page = page_factory(360, 740)

    log_in_with_password(page, live_server.url)
    # Nothing else before the enrolment: the programmes are out of reach.
    page.wait_for_url("**/security/two-step/set-up/**")
    page.goto(f"{live_server.url}/fr/programmes/")
    page.wait_for_url("**/security/two-step/set-up/**")
    qr = page.locator(".qr svg")
    expect(qr).to_be_visible()
    # The QR code fits the phone's screen.
    assert qr.bounding_box()["width"] <= 360
    secret = page.locator("#secret").inner_text()
    page.screenshot(path="/tmp/two_factor_enrol_phone.png", full_page=True)

    # What the app would show for the key typed in by hand.
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button.primary")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    page.screenshot(path="/tmp/two_factor_recovery_codes_phone.png", full_page=True)
    page.get_by_role("link", name="Je les ai conservés").click()
    page.wait_for_url("**/programmes/")

    page.locator("header form button.link").click()  # log out
    page.wait_for_load_state()
    log_in_with_password(page, live_server.url)
    page.wait_for_url("**/login/code/**")
    page.goto(f"{live_server.url}/fr/programmes/")
    page.wait_for_url("**/login/code/**")
    # The code of the next time step: the one just used for the enrolment is not taken twice.
    page.fill("input[name=code]", totp_code(secret, at=time.time() + 30))
    page.click("main form button.primary")
    page.wait_for_url("**/programmes/")
    expect(page.locator("h1")).to_have_text("Programmes")
