"""The participant list: filters, search, sorting, pagination, and a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binome.people import selectors, services
from binome.people.models import Participant

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [participant.display_name for participant in queryset]


def listed(cast, **filters) -> list[str]:
    return names(selectors.participant_list(programme=cast.programme, filters=filters))


def add(cast, first_name, **fields):
    fields.setdefault("role", Participant.Role.MENTEE)
    return services.participant_create(
        programme=cast.programme, first_name=first_name, last_name="Test", **fields
    )


def test_it_filters_by_role_and_status(cast):
    listed = selectors.participant_list(programme=cast.programme, filters={"role": "mentor"})
    assert names(listed) == ["Marek Nowak"]
    listed = selectors.participant_list(programme=cast.programme, filters={"status": "applied"})
    assert names(listed) == ["Amina Haddad"]


def test_it_filters_by_language_sector_city_and_needs(cast):
    add(cast, "Oksana", languages={"uk": "native"}, city="Aix-en-Provence", sector="2310")
    assert listed(cast, language="uk") == ["Oksana Test"]
    assert listed(cast, language="ar") == ["Amina Haddad", "Marek Nowak"]
    assert listed(cast, sector="2") == ["Marek Nowak", "Oksana Test"]
    assert listed(cast, sector="22") == ["Marek Nowak"]
    assert listed(cast, city="aix") == ["Oksana Test"]
    assert listed(cast, needs="employment") == ["Amina Haddad"]
    assert listed(cast, needs="housing") == []


def test_search_matches_every_word_across_names_team_email_and_phone(cast):
    add(cast, "Yusuf", email="yusuf@example.org", phone="+33612345678")
    assert listed(cast, q="amina") == ["Amina Haddad"]
    assert listed(cast, q="Amina Haddad") == ["Amina Haddad"]
    assert listed(cast, q="amina nowak") == []
    assert listed(cast, q="yusuf@") == ["Yusuf Test"]
    assert listed(cast, q="0612345678") == ["Yusuf Test"]


def test_it_sorts_by_name_status_city_and_creation(cast):
    add(cast, "Zoe", city="Aubagne")
    assert listed(cast, sort="name") == ["Amina Haddad", "Marek Nowak", "Zoe Test"]
    assert listed(cast, sort="-name") == ["Zoe Test", "Marek Nowak", "Amina Haddad"]
    # Pipeline order: applied before ready.
    assert listed(cast, sort="status")[-1] == "Marek Nowak"
    assert listed(cast, sort="city")[0] == "Zoe Test"
    assert listed(cast, sort="-created")[0] == "Zoe Test"


def test_the_list_page_paginates_by_fifty(cast, client_as):
    for i in range(55):
        add(cast, f"Person{i:02d}")
    url = reverse("people:list", args=[cast.programme.pk])
    page_one = client_as(cast.carla).get(url).content.decode()
    page_two = client_as(cast.carla).get(url + "?page=2").content.decode()
    assert page_one.count('class="badge ') == 50
    assert page_two.count('class="badge ') == 7
    assert "?page=2" in page_one


def test_a_stale_or_bad_filter_is_ignored_instead_of_breaking_the_page(cast, client_as):
    url = reverse("people:list", args=[cast.programme.pk])
    response = client_as(cast.carla).get(url + "?status=nonsense&role=mentor&page=abc")
    assert response.status_code == 200
    assert "Marek" in response.content.decode()
    assert "Amina" not in response.content.decode()


def test_an_htmx_request_gets_only_the_table(cast, client_as):
    url = reverse("people:list", args=[cast.programme.pk]) + "?q=amina"
    response = client_as(cast.carla).get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="participants"')
    assert "<html" not in body
    assert "Amina" in body and "Marek" not in body
    assert "HX-Request" in response["Vary"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_page_query_count_does_not_grow_with_the_rows(cast, client_as):
    client = client_as(cast.carla)
    url = reverse("people:list", args=[cast.programme.pk])
    for i in range(3):
        add(cast, f"Few{i}", needs=["language"], sector="21", languages={"fr": "B1"})
    client.get(url)  # warm the session
    few = count_queries(client, url)
    for i in range(55):
        add(cast, f"Many{i}", needs=["language"], sector="21", languages={"fr": "B1"})
    many = count_queries(client, url)
    assert few == many
    assert count_queries(client, url + "?page=2") == many


def test_the_detail_page_query_count_does_not_grow_with_timeline_consents_or_members(
    cast, client_as
):
    client = client_as(cast.carla)
    amina = cast.amina_participant
    url = reverse("people:detail", args=[cast.programme.pk, amina.pk])
    client.get(url)
    before = count_queries(client, url)
    for _ in range(5):
        services.participant_set_status(participant=amina, to_status="rejected", actor=cast.carla)
        services.participant_set_status(participant=amina, to_status="applied", actor=cast.carla)
        services.consent_record(
            participant=amina, purpose="contact", text="ok", method="oral", actor=cast.carla
        )
    assert count_queries(client, url) == before
