"""A mentee who reads Ukrainian opens a resource on her phone: its Ukrainian text and file first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from binome.accounts.models import User
from binome.resources.services import resource_create, resource_file_attach
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def test_a_mentee_opens_a_resource_in_ukrainian(cast, live_server, page_factory):
    cast.amina_participant.language = "uk"
    cast.amina_participant.save(update_fields=["language"])
    resource_create(
        organisation=cast.org_a, actor=None,
        data={"kind": "guide", "title": "Guide en français", "body": "Texte", "for_mentees": True},
    )  # fmt: skip
    resource = resource_create(
        organisation=cast.org_a,
        actor=None,
        data={
            "kind": "document",
            "title": "Se repérer à Marseille",
            "description": "Les adresses utiles",
            "for_mentees": True,
        },
        translations={
            "title": {"uk": "Орієнтуватися в Марселі"},
            "description": {"uk": "Корисні адреси"},
        },
    )
    for language in ("fr", "uk"):
        resource_file_attach(
            resource=resource,
            actor=None,
            language=language,
            upload=SimpleUploadedFile("guide.pdf", f"%PDF-1.4 {language}".encode()),
        )
    base = live_server.url
    phone = page_factory(width=360, height=740, locale="uk")
    # She reads Ukrainian: she lands in her own language after login.
    User.objects.filter(pk=cast.amina.pk).update(language="uk")
    phone.goto(f"{base}/uk/accounts/login/?next=/uk/resources/")
    phone.fill("#id_username", "amina@a.example")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/uk/resources/")
    # The resource in her language comes first.
    assert phone.locator("a.resource-link").first.inner_text() == "Орієнтуватися в Марселі"
    phone.click("a.resource-link >> nth=0")
    phone.wait_for_url(f"**/uk/resources/{resource.pk}/")
    assert phone.locator("main h1").inner_text() == "Орієнтуватися в Марселі"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    first = phone.locator("ul.files a").first
    assert first.get_attribute("hreflang") == "uk"
    phone.screenshot(path="/tmp/resource_uk_360.png", full_page=True)
    response = phone.request.get(base + first.get_attribute("href"))
    assert response.status == 200 and response.body() == b"%PDF-1.4 uk"
