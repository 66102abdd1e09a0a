"""In a real Chromium: a coordinator erases a participant; a mentee downloads her own copy on a
phone, in Arabic."""

import json

import pytest
from playwright.sync_api import expect

from binome.accounts.models import User
from binome.people.models import Participant
from binome.privacy.models import Erasure
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base_url, email, language="fr"):
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email=email).update(language=language)
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_carla_erases_amina_after_confirming(cast, live_server, page_factory):
    amina = cast.amina_participant
    page = page_factory(1280, 900)
    log_in(page, live_server.url, "carla@a.example")
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/participants/{amina.pk}/")
    page.click("#erase-link")
    page.wait_for_url(f"**/participants/{amina.pk}/erase/")
    # Without the confirmation box ticked, nothing happens.
    page.click("#erase-submit")
    # The refusal comes back from the server: wait for it rather than read the page mid-load.
    expect(page.locator(".errors").first).to_be_visible()
    assert not Erasure.objects.exists()
    page.check("input[name=confirm]")
    page.screenshot(path="/tmp/privacy_erase.png", full_page=True)
    page.click("#erase-submit")
    page.wait_for_url(f"**/participants/{amina.pk}/")
    assert "Amina" not in page.inner_text("main")
    assert f"#{amina.pk}" in page.inner_text("h1")
    assert Participant.objects.get(pk=amina.pk).email == ""
    # Her login is gone: she cannot log in any more.
    other = page_factory(360, 740)
    other.goto(f"{live_server.url}/fr/accounts/login/")
    other.fill("input[name=username]", "amina@a.example")
    other.fill("input[name=password]", PASSWORD)
    other.click("main form button[type=submit]")
    assert "/accounts/login/" in other.url


def test_amina_downloads_her_copy_on_a_phone_in_arabic(cast, live_server, page_factory):
    page = page_factory(360, 740, locale="ar")
    log_in(page, live_server.url, "amina@a.example", language="ar")
    page.click("#my-data-link")
    page.wait_for_url("**/me/data/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/privacy_my_data_ar_360.png", full_page=True)
    with page.expect_download() as pdf:
        page.click("#my-copy-pdf")
    with open(pdf.value.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
    with page.expect_download() as copy:
        page.click("#my-copy-json")
    with open(copy.value.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["scope"] == "self"
    assert data["participant"]["first_name"] == "Amina"
    assert "legal_status" not in data["participant"]
    assert "Private intake note" not in json.dumps(data)
