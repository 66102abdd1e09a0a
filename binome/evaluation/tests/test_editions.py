"""Editions (cohorts) of a programme: who manages them, newcomers join the current one."""

import datetime

import pytest
from django.urls import reverse

from binome.people import services as people_services
from binome.programmes import selectors, services
from binome.programmes.models import Edition

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": (None, 302),
    "mentee": ("amina", 404),
    "mentor": ("marek", 404),
    "coordinator": ("carla", 200),
    "viewer": ("vera", 404),
    "admin": ("adam", 200),
    "outsider": ("olga", 404),
}


@pytest.fixture
def edition(cast):
    return Edition.objects.create(
        programme=cast.programme, name="2025–2026", starts_on=datetime.date(2025, 9, 1)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["editions", "edition_edit"])
def test_editions_role_matrix(cast, client_as, client, edition, role, name):
    who, expected = ROLES[role]
    browser = client if who is None else client_as(getattr(cast, who))
    arg = cast.programme.pk if name == "editions" else edition.pk
    assert browser.get(reverse(f"programmes:{name}", args=[arg])).status_code == expected


def test_a_coordinator_opens_an_edition_and_newcomers_join_it(cast, client_as, edition):
    client = client_as(cast.carla)
    url = reverse("programmes:editions", args=[cast.programme.pk])
    response = client.post(url, {"name": "2026–2027", "starts_on": "2020-01-01"})
    assert response.status_code == 302
    newest = Edition.objects.get(name="2026–2027")
    assert selectors.current_edition_id(cast.programme) == edition.pk  # started later
    newcomer = people_services.participant_create(
        programme=cast.programme, role="mentee", first_name="Nour", last_name="Saleh"
    )
    assert newcomer.edition_id == edition.pk
    assert newest.pk != edition.pk


def test_a_name_used_twice_is_refused_with_a_message(cast, client_as, edition):
    client = client_as(cast.carla)
    url = reverse("programmes:editions", args=[cast.programme.pk])
    response = client.post(url, {"name": "2025–2026", "starts_on": "2026-09-01"})
    assert response.status_code == 200
    assert Edition.objects.filter(programme=cast.programme).count() == 1
    assert "errors" in response.content.decode()


def test_an_edition_ending_before_it_starts_is_refused(cast):
    with pytest.raises(Exception) as refused:
        services.edition_create(
            programme=cast.programme,
            actor=cast.carla,
            name="X",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )
    assert "ends_on" in str(refused.value)


def test_a_new_programme_has_its_first_edition(cast):
    from binome.programmes.services import programme_create

    programme = programme_create(
        organisation=cast.org_a, actor=cast.adam, name="Nouveau", kind="intercultural",
        mode="in_person",
    )  # fmt: skip
    assert programme.editions.count() == 1


def test_a_duo_joins_its_mentee_s_edition(cast, edition):
    from binome.people.models import Participant
    from binome.testing import make_duo

    Participant.objects.filter(pk=cast.amina_participant.pk).update(edition=edition)
    duo = make_duo(cast)
    assert duo.edition_id == edition.pk
