"""A coordinator opens a new edition, reads the evaluation page of her programme, filters it by
edition and downloads the funder report."""

import pytest
from playwright.sync_api import expect

from binome.evaluation.synthetic import answered_programme
from binome.programmes.models import Edition
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def test_carla_reads_the_evaluation_and_downloads_the_funder_report(
    cast, live_server, page_factory
):
    edition = Edition.objects.create(
        programme=cast.programme, name="2025–2026", starts_on="2025-09-01"
    )
    answered_programme(cast.programme, people=30, items=6, edition=edition, seed=5)
    page = page_factory(1280, 900)
    base = live_server.url
    page.goto(f"{base}/fr/accounts/login/")
    page.fill("input[name=username]", "carla@a.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # A new edition, from the programme's page.
    page.goto(f"{base}/fr/programmes/{cast.programme.pk}/")
    page.click(f"a[href$='/programmes/{cast.programme.pk}/editions/']")
    page.fill("input[name=name]", "2026–2027")
    page.fill("input[name=starts_on]", "2026-09-01")
    page.click("main form button.primary")
    expect(page.locator("table")).to_contain_text("2026–2027")

    page.goto(f"{base}/fr/programmes/{cast.programme.pk}/")
    page.click(f"a[href$='/programmes/{cast.programme.pk}/evaluation/']")
    expect(page.locator("#scales")).to_contain_text("Work and rights")
    page.select_option("select[name=edition]", str(edition.pk))
    page.click("form.inline-form button")
    page.wait_for_url(f"**?edition={edition.pk}")
    expect(page.locator("#funnel svg")).to_be_visible()
    expect(page.locator("#scales table.scales")).to_be_visible()
    page.screenshot(path="/tmp/evaluation_page.png", full_page=True)

    with page.expect_download() as download:
        page.click("a[href*='funder.pdf']")
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert download.value.suggested_filename.endswith("funder-report.pdf")
