"""Visits of city-to-city duos: 3 expected, 2 in the mentee city and 1 in the mentor city."""

import datetime

import pytest
from django.utils import timezone

from binome.duos.models import Duo, Visit
from binome.duos.selectors import visits_progress
from binome.duos.services.common import DuoError
from binome.duos.services.meetings import visit_log
from binome.duos.tests.helpers import en, text
from binome.programmes.models import Programme
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES, make_duo


@pytest.fixture
def city_duo(cast):
    """Marek's and Amina's duo in a city-to-city programme, started two months ago."""
    Programme.objects.filter(pk=cast.programme.pk).update(kind=Programme.Kind.CITY_TO_CITY)
    cast.programme.refresh_from_db()
    return make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=60))


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def visit(duo, actor, host="mentee", *, starts=-30, days=2, city="Pendik") -> Visit:
    return visit_log(
        duo=duo,
        actor=actor,
        host=host,
        city=city,
        starts_on=day(starts),
        ends_on=day(starts + days - 1),
        mentee_attendees="Deputy mayor\nNGO director",
        mentor_attendees="Head of integration office",
        agenda="Needs analysis workshop",
        outcomes="Three priorities chosen",
    )


def form(host="mentee", starts=-10, ends=-9, city="Pendik") -> dict:
    return {
        "host": host,
        "city": city,
        "starts_on": day(starts).isoformat(),
        "ends_on": day(ends).isoformat(),
        "mentee_attendees": "Deputy mayor",
        "mentor_attendees": "Head of integration office",
        "agenda": "Study visit",
        "outcomes": "Action plan drafted",
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_visit_pages_are_for_the_duo_and_its_organisations_staff(
    city_duo, cast, client_as, role
):
    visit(city_duo, cast.carla)
    client = client_as(cast.users()[role])
    for url in (en("duos:visits", city_duo.pk), en("duos:visit_new", city_duo.pk)):
        response = client.get(url)
        assert response.status_code == PARTIES_AND_STAFF[role], url
        if response.status_code == 200:
            assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_duo_and_staff_may_record_a_visit(city_duo, cast, client_as, role):
    response = client_as(cast.users()[role]).post(en("duos:visit_new", city_duo.pk), form())
    allowed = PARTIES_AND_STAFF[role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    assert Visit.objects.filter(duo=city_duo).exists() == allowed


def test_other_programmes_have_no_visit_pages(cast, client_as):
    duo = make_duo(cast)
    assert client_as(cast.carla).get(en("duos:visits", duo.pk)).status_code == 404
    assert client_as(cast.carla).get(en("duos:visit_new", duo.pk)).status_code == 404
    with pytest.raises(DuoError):
        visit_log(
            duo=duo,
            actor=cast.carla,
            host="mentee",
            city="Marseille",
            starts_on=day(0),
            ends_on=day(0),
        )
    assert not Visit.objects.exists()


def test_the_mentee_team_records_a_visit_with_who_came_agenda_and_outcomes(
    city_duo, cast, client_as
):
    client = client_as(cast.amina)
    response = client.post(en("duos:visit_new", city_duo.pk), form())
    assert response["Location"] == en("duos:visits", city_duo.pk)
    recorded = Visit.objects.get()
    assert (recorded.host, recorded.city, recorded.logged_by) == ("mentee", "Pendik", cast.amina)
    page = text(client.get(en("duos:visits", city_duo.pk)))
    for part in ("Pendik", "Deputy mayor", "Study visit", "Action plan drafted", "1 of 3 visits"):
        assert part in page


@pytest.mark.parametrize(
    "starts, ends, message",
    [
        (-5, -6, "The last day of the visit cannot be before its first day."),
        (-70, -69, "cannot be before the duo's start"),
        (200, 201, "cannot be after the duo's planned end"),
    ],
)
def test_a_visit_with_bad_dates_is_refused(city_duo, cast, client_as, starts, ends, message):
    response = client_as(cast.marek).post(
        en("duos:visit_new", city_duo.pk), form(starts=starts, ends=ends)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Visit.objects.exists()


def test_no_visit_is_recorded_on_a_closed_duo(city_duo, cast, client_as):
    Duo.objects.filter(pk=city_duo.pk).update(status=Duo.Status.CLOSED)
    response = client_as(cast.carla).post(en("duos:visit_new", city_duo.pk), form())
    assert "This duo is closed" in text(response)
    assert not Visit.objects.exists()


def test_the_progress_shows_which_of_the_three_visits_are_done(city_duo, cast, client_as):
    progress = visits_progress(city_duo)
    assert progress["expected"] == {"mentee": 2, "mentor": 1}
    assert (progress["total_done"], progress["complete"]) == (0, False)
    visit(city_duo, cast.carla, "mentee", starts=-50)
    visit(city_duo, cast.carla, "mentor", starts=-30, city="Ghent")
    # A visit still to come is recorded but not done.
    visit(city_duo, cast.carla, "mentee", starts=10)
    progress = visits_progress(city_duo)
    assert progress["done"] == {"mentee": 1, "mentor": 1}
    assert progress["planned"] == {"mentee": 1, "mentor": 0}
    assert [(s["host"], s["done"]) for s in progress["slots"]] == [
        ("mentee", True),
        ("mentee", False),
        ("mentor", True),
    ]
    page = text(client_as(cast.marek).get(en("duos:visits", city_duo.pk)))
    assert "2 of 3 visits done" in page and page.count("✓") == 2

    progress = visits_progress(city_duo, today=day(11))
    assert (progress["total_done"], progress["complete"]) == (3, True)


def test_a_fourth_visit_does_not_count_twice(city_duo, cast):
    for starts in (-50, -40, -30):
        visit(city_duo, cast.carla, "mentee", starts=starts)
    progress = visits_progress(city_duo)
    assert progress["done"]["mentee"] == 3
    assert (progress["total_done"], progress["complete"]) == (2, False)
    assert len(progress["extra"]) == 1
