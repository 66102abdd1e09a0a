"""Carla imports a spreadsheet in a headless Chromium: refused with line numbers, then fixed."""

import pytest
from playwright.sync_api import expect

from binome.people.models import Participant
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]

HEADER = "Prénom;Nom;E-mail;Téléphone;Rôle;Langues;Ville;Année de naissance"
WITH_ERRORS = [
    HEADER,
    "Yusuf;Rahimi;yusuf@example.org;+33 6 12 34 56 78;mentoré·e;prs:native;Marseille;1991",
    "Olena;Kovalenko;olena(at)example.org;;mentee;uk:native;Lyon;1985",  # line 3: e-mail
    "Jeanne;Martin;jeanne@example.org;;pilote;fr:native;Marseille;1970",  # line 4: role
]
CORRECTED = [
    WITH_ERRORS[0],
    WITH_ERRORS[1],
    "Olena;Kovalenko;olena@example.org;;mentee;uk:native;Lyon;1985",
    "Jeanne;Martin;jeanne@example.org;;mentor·e;fr:native;Marseille;1970",
]


def as_file(lines, name):
    return {"name": name, "mimeType": "text/csv", "buffer": "\n".join(lines).encode("utf-8")}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_import_with_errors_is_refused_with_line_numbers_then_corrected_and_accepted(
    cast, live_server, page_factory
):
    page = page_factory(width=1280, height=900, locale="fr-FR")
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("input[name=username]", "carla@a.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url

    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/import/")
    page.set_input_files("input[type=file]", as_file(WITH_ERRORS, "participants.csv"))
    page.click("button[type=submit].primary")
    page.wait_for_url("**/import/check/")
    errors = page.locator("table.import-errors tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).locator("td").nth(0).inner_text() == "3"
    assert errors.nth(0).locator("td").nth(1).inner_text() == "E-mail"
    assert errors.nth(1).locator("td").nth(0).inner_text() == "4"
    assert errors.nth(1).locator("td").nth(1).inner_text() == "Rôle"
    page.screenshot(path="/tmp/import_errors.png", full_page=True)

    # "Import" with all rows is refused while errors remain: nothing written.
    page.click("form[action$='/import/confirm/'] button[type=submit]")
    expect(page.locator(".errors[role=alert]").first).to_be_visible()
    assert not Participant.objects.filter(email="yusuf@example.org").exists()

    page.click(f"main a[href='/fr/programmes/{cast.programme.pk}/import/']")
    page.wait_for_url("**/import/")
    page.set_input_files("input[type=file]", as_file(CORRECTED, "participants.csv"))
    page.click("button[type=submit].primary")
    page.wait_for_url("**/import/check/")
    assert page.locator("table.import-errors").count() == 0
    assert page.locator(".import-ok").is_visible()
    page.check("input[name=consent_collected]")
    page.screenshot(path="/tmp/import_ready.png", full_page=True)
    page.click("form[action$='/import/confirm/'] button[type=submit]")
    page.wait_for_url("**/import/done/")
    assert page.locator(".stat strong").first.inner_text() == "3"
    page.screenshot(path="/tmp/import_done.png", full_page=True)

    imported = Participant.objects.filter(
        programme=cast.programme, email__in=["yusuf@example.org", "olena@example.org",
                                             "jeanne@example.org"]
    )  # fmt: skip
    assert imported.count() == 3
    assert imported.get(email="jeanne@example.org").role == Participant.Role.MENTOR
    assert all(p.consents.count() == 1 for p in imported)


def test_the_import_check_page_fits_a_phone(cast, live_server, page_factory):
    page = page_factory(width=360, height=740, locale="fr-FR")
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("input[name=username]", "carla@a.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/import/")
    page.set_input_files("input[type=file]", as_file(WITH_ERRORS, "participants.csv"))
    page.click("button[type=submit].primary")
    page.wait_for_url("**/import/check/")
    # Wide tables scroll inside their own box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/import_errors_360.png", full_page=True)
