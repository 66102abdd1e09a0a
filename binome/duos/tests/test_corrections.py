"""Corrections of what was recorded: a visit, a meeting, a duo's dates, rhythm and coordinator;
a pause during which silence alerts wait; a mentor's engagement setting the duo's rhythm."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.errors import EditConflict
from binome.core.models import AuditEvent
from binome.duos.models import Alert, Duo, Meeting
from binome.duos.periods import add_months
from binome.duos.services.common import DuoError, duo_correct, duo_pause
from binome.duos.services.meetings import meeting_log, meeting_update, visit_update
from binome.duos.services.supervision import alerts_refresh
from binome.duos.tests.test_visits import city_duo, visit  # noqa: F401 - fixture
from binome.people.models import Participant
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES, STAFF_ONLY, make_duo


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def running(cast):
    return make_duo(cast, started_on=day(-90))


# --- visits and meetings ----------------------------------------------------------------------


def test_a_visit_is_corrected_and_its_history_kept(city_duo, cast):  # noqa: F811
    recorded = visit(city_duo, cast.carla)
    corrected = visit_update(
        visit=recorded, actor=cast.carla, expected_version=1, city="Izmir", agenda="Study visit"
    )
    assert (corrected.city, corrected.version) == ("Izmir", 2)
    event = AuditEvent.objects.get(action="visit.update")
    assert event.detail["fields"] == ["agenda", "city"]


def test_a_visit_ending_before_it_starts_is_refused_with_a_clear_message(city_duo, cast):  # noqa: F811
    recorded = visit(city_duo, cast.carla)
    with pytest.raises(DuoError) as refused:
        visit_update(
            visit=recorded,
            actor=cast.carla,
            expected_version=1,
            starts_on=day(-5),
            ends_on=day(-8),
        )
    assert "before its first day" in str(refused.value.messages)


def test_a_stale_visit_form_is_refused(city_duo, cast):  # noqa: F811
    recorded = visit(city_duo, cast.carla)
    visit_update(visit=recorded, actor=cast.carla, expected_version=1, city="Izmir")
    with pytest.raises(EditConflict):
        visit_update(visit=recorded, actor=cast.marek, expected_version=1, city="Bursa")


@pytest.mark.parametrize("role", ROLES)
def test_the_visit_correction_page_role_matrix(city_duo, cast, client_as, role):  # noqa: F811
    recorded = visit(city_duo, cast.carla)
    url = reverse("duos:visit_edit", args=[city_duo.pk, recorded.pk])
    response = client_as(cast.users()[role]).get(url)
    assert response.status_code == PARTIES_AND_STAFF[role]
    if response.status_code == 200:
        assert CANARY not in response.content.decode()


def test_the_visit_page_saves_a_correction_and_shows_the_history(city_duo, cast, client_as):  # noqa: F811
    recorded = visit(city_duo, cast.carla)
    url = reverse("duos:visit_edit", args=[city_duo.pk, recorded.pk])
    data = {
        "version": 1,
        "host": "mentee",
        "city": "Izmir",
        "starts_on": recorded.starts_on.isoformat(),
        "ends_on": recorded.ends_on.isoformat(),
        "agenda": "Study visit",
    }
    client = client_as(cast.carla)
    assert client.post(url, data).status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "corrected" in page and "host city" in page
    bad = client.post(url, {**data, "version": 2, "ends_on": day(-40).isoformat()})
    assert bad.status_code == 200 and "before its first day" in bad.content.decode()


def test_a_meeting_page_shows_its_history(running, cast, client_as):
    meeting = meeting_log(
        duo=running, actor=cast.marek, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    meeting_update(
        meeting=meeting, actor=cast.carla, expected_version=1, staff=True, private_notes="x"
    )
    url = reverse("duos:meeting_edit", args=[running.pk, meeting.pk])
    staff_page = client_as(cast.carla).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "History" in staff_page and "private coordinator notes" in staff_page
    mentor_page = client_as(cast.marek).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "History" in mentor_page and "private coordinator notes" not in mentor_page


# --- the duo's dates, rhythm and coordinator ----------------------------------------------------


def test_a_duos_dates_rhythm_and_coordinator_are_corrected_with_a_reason(running, cast):
    duo = duo_correct(
        duo=running,
        actor=cast.carla,
        reason="Started late after the summer",
        started_on=day(-80),
        planned_end_on=day(200),
        meetings_per_month=Decimal("1"),
        coordinator=cast.adam,
    )
    assert (duo.started_on, duo.planned_end_on, duo.rhythm) == (day(-80), day(200), Decimal("1"))
    assert duo.coordinator == cast.adam
    event = AuditEvent.objects.get(action="duo.correct")
    assert event.detail["reason"] == "Started late after the summer"
    assert set(event.detail["fields"]) == {
        "started_on",
        "planned_end_on",
        "meetings_per_month",
        "coordinator",
    }


def test_a_correction_needs_a_reason_and_an_end_after_the_start(running, cast):
    with pytest.raises(DuoError):
        duo_correct(duo=running, actor=cast.carla, reason=" ", planned_end_on=day(100))
    with pytest.raises(DuoError) as refused:
        duo_correct(duo=running, actor=cast.carla, reason="typo", planned_end_on=day(-100))
    assert "must come after the start" in str(refused.value.messages)
    with pytest.raises(DuoError):
        duo_correct(duo=running, actor=cast.carla, reason="x", coordinator=cast.olga)
    with pytest.raises(DuoError):
        duo_correct(duo=running, actor=cast.marek, reason="x", planned_end_on=day(100))


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_open_the_correction_page(running, cast, client_as, role):
    response = client_as(cast.users()[role]).get(reverse("duos:edit", args=[running.pk]))
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_pause_a_duo(running, cast, client_as, role):
    response = client_as(cast.users()[role]).post(
        reverse("duos:pause", args=[running.pk]),
        {"paused_from": day(0).isoformat(), "paused_until": day(20).isoformat()},
    )
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert response.status_code == expected
    running.refresh_from_db()
    assert (running.paused_from is not None) == (role in ("coordinator", "admin"))


def test_the_correction_page_keeps_the_input_after_a_bad_date(running, cast, client_as):
    response = client_as(cast.carla).post(
        reverse("duos:edit", args=[running.pk]),
        {
            "started_on": day(-90).isoformat(),
            "planned_end_on": day(-100).isoformat(),
            "reason": "Dates typed wrong",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "must come after the start" in page
    assert "Dates typed wrong" in page
    running.refresh_from_db()
    assert running.planned_end_on > running.started_on


# --- a pause -------------------------------------------------------------------------------------


def test_a_pause_resolves_the_silence_alert_and_it_waits_until_the_end(running, cast):
    alerts_refresh(duos=[running])
    assert Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()
    duo_pause(
        duo=running, actor=cast.carla, paused_from=day(-5), paused_until=day(30), reason="Ill"
    )
    assert not Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()
    alerts_refresh(duos=[running], today=day(10))
    assert not Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()
    # Silence counts again from the pause's end: two weeks later is not yet silence.
    alerts_refresh(duos=[running], today=day(40))
    assert not Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()


def test_a_pause_ending_before_it_starts_is_refused(running, cast):
    with pytest.raises(DuoError):
        duo_pause(duo=running, actor=cast.carla, paused_from=day(5), paused_until=day(1))


# --- engagement levels --------------------------------------------------------------------------


def test_a_duos_rhythm_and_end_follow_its_mentors_engagement(cast):
    Participant.objects.filter(pk=cast.marek_participant.pk).update(engagement="one_off")
    cast.marek_participant.refresh_from_db()
    duo = make_duo(cast, started_on=day(0))
    duo = Duo.objects.get(pk=duo.pk)
    assert duo.engagement == "one_off"
    assert duo.rhythm == Decimal("0.17")
    assert duo.planned_end_on == add_months(day(0), 12)
    # A short commitment: a month without meeting is no silence.
    Meeting.objects.all().delete()
    alerts_refresh(duos=[duo], today=day(45))
    assert not Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()
