"""Light pages: htmx only where a page uses it, pages compressed, a favicon on every page.

The production profile's static files (hashed names, gzip and brotli, cached a year) are checked
on a real server in test_production_server.py; bench/page_weight.py prints each mentee page's
weight."""

import gzip

import pytest
from django.urls import reverse
from django.utils import translation

from binome.testing import make_duo

pytestmark = pytest.mark.django_db
HTMX = "vendor/htmx-"


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_a_mentee_s_pages_do_not_load_htmx(cast, client_as):
    duo = make_duo(cast)
    client = client_as(cast.amina)
    for url in (en("people:my_space"), en("duos:detail", duo.pk), en("duos:checkin", duo.pk)):
        page = client.get(url).content.decode()
        assert HTMX not in page, url
        assert "favicon.svg" in page, url


def test_the_pages_that_use_htmx_load_it(cast, client_as):
    duo = make_duo(cast)
    client = client_as(cast.carla)
    for url in (
        en("duos:board"),
        en("people:list", cast.programme.pk),
        en("matching:run", cast.programme.pk),
        en("duos:plan", duo.pk),
    ):
        assert HTMX in client.get(url).content.decode(), url


def test_a_page_is_sent_compressed_to_a_browser_that_asks(cast, client_as):
    response = client_as(cast.amina).get(en("people:my_space"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "Amina" in html
    assert len(response.content) < len(html.encode()) / 2
