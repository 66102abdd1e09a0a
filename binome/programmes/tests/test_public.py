"""The public side: directory, programme pages, and who may see them."""

import pytest
from django.urls import reverse

from binome.programmes.models import Programme
from binome.testing import CANARY

pytestmark = pytest.mark.django_db


def public_urls(programme) -> list[str]:
    org, slug = programme.organisation.slug, programme.slug
    return [
        reverse("programmes:directory"),
        reverse("programmes:public", args=[org, slug]),
        reverse("applications:apply", args=[org, slug, "mentee"]),
        reverse("applications:apply", args=[org, slug, "mentor"]),
        reverse("applications:applied", args=[org, slug]),
    ]


def test_every_role_reaches_the_public_pages_without_seeing_the_canary(cast, client_as):
    for role, user in cast.users().items():
        for url in public_urls(cast.programme):
            response = client_as(user).get(url)
            assert response.status_code == 200, (role, url)
            assert CANARY not in response.content.decode(), (role, url)


def test_an_unlisted_programme_has_no_public_page_for_anyone(cast, client_as):
    for role, user in cast.users().items():
        for url in public_urls(cast.programme_b)[1:]:
            assert client_as(user).get(url).status_code == 404, (role, url)


def test_an_unknown_programme_or_role_answers_404(cast, client):
    assert client.get("/fr/p/hors-pistes/nope/").status_code == 404
    assert client.get("/fr/p/other-org/mentorat-interculturel/").status_code == 404
    assert client.get("/fr/p/hors-pistes/mentorat-interculturel/apply/boss/").status_code == 404


def test_the_directory_card_shows_what_a_newcomer_needs_to_choose(cast, client):
    page = client.get("/en/directory/").content.decode()
    assert "Mentorat interculturel" in page
    assert "Hors Pistes" in page
    assert "In person" in page
    assert "Arabic" in page and "French" in page
    assert "Marseille" in page
    assert "6 months" in page
    assert "Applications open" in page


def test_language_names_follow_the_visitors_language(cast, client):
    page = client.get("/fr/directory/").content.decode()
    assert "arabe" in page.lower()


def other_programme(cast, **fields) -> Programme:
    values = {
        "organisation": cast.org_a,
        "name": "Mentorat à distance",
        "slug": "distance",
        "kind": Programme.Kind.REMOTE,
        "mode": Programme.Mode.REMOTE,
        "city": "Lyon",
        "languages": ["uk", "en"],
        "listed": True,
        "applications_open": True,
    }
    values.update(fields)
    return Programme.objects.create(**values)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("language=uk", "Mentorat à distance", "Mentorat interculturel"),
        ("language=ar", "Mentorat interculturel", "Mentorat à distance"),
        ("mode=remote", "Mentorat à distance", "Mentorat interculturel"),
        ("city=Marseille", "Mentorat interculturel", "Mentorat à distance"),
        ("kind=remote", "Mentorat à distance", "Mentorat interculturel"),
        ("kind=remote&mode=remote&language=en&city=Lyon", "Mentorat à distance", "interculturel"),
    ],
)
def test_the_directory_filters_by_language_mode_city_and_kind(cast, client, query, shown, hidden):
    other_programme(cast)
    page = client.get(f"/fr/directory/?{query}").content.decode()
    cards = page.split('class="grid programme-cards"')[1]
    assert shown in cards
    assert hidden not in cards


def test_an_unknown_filter_value_is_ignored_rather_than_an_error(cast, client):
    response = client.get("/fr/directory/?mode=teleport&language=zz")
    assert response.status_code == 200
    assert "Mentorat interculturel" in response.content.decode()


def test_the_directory_lists_only_listed_programmes(cast, client):
    other_programme(cast, listed=False, name="Programme caché", slug="cache")
    page = client.get("/fr/directory/").content.decode()
    assert "Programme caché" not in page
    assert "Mentorat interculturel" in page


def test_the_programme_page_says_what_for_whom_commitment_and_how_to_apply(cast, client):
    Programme.objects.filter(pk=cast.programme.pk).update(
        description="Des binômes pour découvrir Marseille.",
        audience="Personnes arrivées depuis moins de deux ans.",
        commitment="Une rencontre toutes les deux semaines.",
    )
    page = client.get("/en/p/hors-pistes/mentorat-interculturel/").content.decode()
    for text in [
        "Des binômes pour découvrir Marseille.",
        "Personnes arrivées depuis moins de deux ans.",
        "Une rencontre toutes les deux semaines.",
        "6 months",
        "Apply as a mentee",
        "Apply as a mentor",
        "/en/p/hors-pistes/mentorat-interculturel/apply/mentee/",
    ]:
        assert text in page


def test_a_city_to_city_programme_asks_teams_to_apply(cast, client):
    other_programme(cast, kind=Programme.Kind.CITY_TO_CITY, slug="cities", name="IncluCities")
    page = client.get("/en/p/hors-pistes/cities/").content.decode()
    assert "Apply as a team: mentee city" in page
    assert "Apply as a team: mentor city" in page
    assert "Apply as a mentee" not in page


def test_a_closed_programme_page_has_no_apply_button(cast, client):
    Programme.objects.filter(pk=cast.programme.pk).update(applications_open=False)
    page = client.get("/en/p/hors-pistes/mentorat-interculturel/").content.decode()
    assert "Apply as a mentee" not in page
    assert "Applications closed" in page


def test_public_pages_are_right_to_left_in_arabic(cast, client):
    for url in public_urls(cast.programme):
        page = client.get("/ar/" + url.split("/", 2)[2]).content.decode()
        assert 'dir="rtl"' in page, url
