import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from binome.community import services
from binome.community.models import CalendarFeed, Invitation
from binome.community.tests.helpers import en, plan
from binome.duos.models import Meeting
from binome.testing import ROLES, STAFF_ONLY, make_duo


def _meeting(duo, days=3):
    return Meeting.objects.create(
        duo=duo,
        status=Meeting.Status.PLANNED,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        duration_minutes=60,
        shared_notes="SHARED-NOTE",
        private_notes="PRIVATE-NOTE",
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_programme_calendar_is_for_its_staff(cast, client_as, role):
    response = client_as(cast.users()[role]).get(en("community:calendar", cast.programme.pk))
    assert response.status_code == STAFF_ONLY[role]


@pytest.mark.parametrize("role", ROLES)
def test_my_calendar_is_for_participants(cast, client_as, role):
    response = client_as(cast.users()[role]).get(en("community:my_calendar"))
    assert response.status_code == {"anonymous": 302, "mentee": 200, "mentor": 200}.get(role, 404)


@pytest.mark.parametrize("view", ["month", "list"])
def test_the_calendar_shows_activities_and_meetings_of_the_month(cast, client_as, view):
    activity = plan(cast)
    meeting = _meeting(make_duo(cast))
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    page = (
        client_as(cast.carla)
        .get(en("community:calendar", cast.programme.pk), {"month": month, "view": view})
        .content.decode()
    )
    assert activity.title in page
    if timezone.localtime(meeting.starts_at).strftime("%Y-%m") == month:
        assert "meeting" in page.lower()
    assert "PRIVATE-NOTE" not in page


def test_a_bad_month_shows_the_current_one(cast, client_as):
    response = client_as(cast.carla).get(
        en("community:calendar", cast.programme.pk), {"month": "2026-99"}
    )
    assert response.status_code == 200


def test_a_participant_sees_her_activities_and_meetings_only(cast, client_as):
    activity = plan(cast, audience="mentors")
    page = (
        client_as(cast.amina)
        .get(
            en("community:my_calendar"),
            {"view": "list", "month": timezone.localtime(activity.starts_at).strftime("%Y-%m")},
        )
        .content.decode()
    )
    assert activity.title not in page
    page = (
        client_as(cast.marek)
        .get(
            en("community:my_calendar"),
            {"view": "list", "month": timezone.localtime(activity.starts_at).strftime("%Y-%m")},
        )
        .content.decode()
    )
    assert activity.title in page


def test_a_personal_feed_works_until_revoked(cast, client, client_as):
    plan(cast)
    duo = make_duo(cast)
    _meeting(duo)
    marek = client_as(cast.marek)
    assert marek.post(en("community:feed_new")).status_code == 302
    feed = CalendarFeed.objects.get(participant=cast.marek_participant)
    assert len(feed.token) >= 40
    body = client.get(en("community:feed", feed.token)).content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "PRIVATE-NOTE" not in body and "SHARED-NOTE" not in body
    assert marek.post(en("community:feed_revoke", feed.pk)).status_code == 302
    assert client.get(en("community:feed", feed.token)).status_code == 404
    assert client.get(en("community:feed", "x" * 43)).status_code == 404


def test_a_programme_feed_is_made_by_staff_and_a_new_one_revokes_the_old(cast, client, client_as):
    carla = client_as(cast.carla)
    carla.post(en("community:feed_new"), {"programme": cast.programme.pk})
    first = CalendarFeed.objects.get()
    carla.post(en("community:feed_new"), {"programme": cast.programme.pk})
    assert client.get(en("community:feed", first.token)).status_code == 404
    current = CalendarFeed.objects.get(revoked_at__isnull=True)
    assert client.get(en("community:feed", current.token)).status_code == 200
    # Olga cannot make or revoke a feed of Hors Pistes' programme.
    olga = client_as(cast.olga)
    assert olga.post(en("community:feed_new"), {"programme": cast.programme.pk}).status_code == 404
    assert olga.post(en("community:feed_revoke", current.pk)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_exactly_one_gets_it():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: row locks are only meaningful on PostgreSQL")
    from binome.testing import make_cast

    cast = make_cast()
    activity = plan(cast, capacity=1)
    invitations = list(activity.invitations.all())
    barrier = threading.Barrier(2)
    errors = []

    def take(invitation):
        try:
            barrier.wait()
            services.invitation_answer(invitation=invitation, answer="yes", actor=None)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i,)) for i in invitations]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = Invitation.objects.filter(activity=activity, answer="yes")
    assert rows.count() == 2
    assert rows.filter(waiting_since__isnull=True).count() == 1
