"""A coordinator adds a theme with its Arabic label and retires another; Amina, reading in
Arabic, sees the theme of her meeting in Arabic."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from binome.accounts.models import User
from binome.duos.models import Meeting
from binome.programmes import services
from binome.programmes.models import Vocabulary, VocabularyItem
from binome.testing import PASSWORD, make_duo

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base_url, email, lang):
    page.goto(f"{base_url}/{lang}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_theme_added_in_arabic_reaches_the_mentees_arabic_page(cast, live_server, page_factory):
    cast.org_a.content_languages = ["fr", "ar"]
    cast.org_a.save(update_fields=["content_languages"])
    cast.programme.refresh_from_db()
    services.vocabulary_item_add(
        programme=cast.programme, actor=cast.carla, vocabulary=Vocabulary.THEMES, label="Cuisine"
    )
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=20))
    User.objects.filter(email="amina@a.example").update(language="ar")

    page = page_factory()
    log_in(page, live_server.url, "carla@a.example", "fr")
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/lists/")
    form = page.locator("form[action$='/lists/themes/add/']")
    form.locator("input[name='themes-label']").fill("Logement")
    form.locator("input[name='themes-label__ar']").fill("السكن")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("ajouté")
    page.get_by_role("button", name="Retirer « Cuisine »").click()
    expect(page.get_by_role("button", name="Proposer à nouveau « Cuisine »")).to_be_visible()

    housing = VocabularyItem.objects.get(programme=cast.programme, code="logement")
    assert housing.translations == {"label": {"ar": "السكن"}}
    assert VocabularyItem.objects.get(programme=cast.programme, code="cuisine").retired_at
    Meeting.objects.create(
        duo=duo, starts_at=timezone.now() - datetime.timedelta(days=3), themes=[housing.code]
    )

    mentee = page_factory(360, 740, locale="ar")
    log_in(mentee, live_server.url, "amina@a.example", "ar")
    mentee.goto(f"{live_server.url}/ar/duos/{duo.pk}/meetings/")
    theme = mentee.locator("li.meeting", has_text="السكن")
    expect(theme).to_be_visible()
    assert "Logement" not in mentee.locator("main").inner_text()
