import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from binome.duos.models import Agreement, Alert, Duo, Meeting, SupervisionNote
from binome.duos.services.common import DuoError
from binome.duos.services.supervision import (
    alert_resolve,
    alerts_refresh,
    checkin_record,
    supervision_note_add,
)
from binome.duos.tests.helpers import PARIS, START, at, days
from binome.people.models import Participant
from binome.testing import CANARY, ROLES, STAFF_ONLY, make_duo


@pytest.fixture
def started(cast):
    with at(START):
        duo = make_duo(cast, started_on=START)
    return duo


def alerts(duo, kind):
    return list(Alert.objects.filter(duo=duo, kind=kind).order_by("opened_at", "pk"))


def sign(duo):
    Agreement.objects.filter(duo=duo).update(frozen_at=timezone.now())
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.ACTIVE, activated_at=timezone.now())
    duo.refresh_from_db()


def hold_meeting(duo, day):
    return Meeting.objects.create(
        duo=duo, starts_at=datetime.datetime.combine(day, datetime.time(18), PARIS)
    )


# No meeting for 1.5 × the expected interval (2 a month: 15 days, so more than 22.5 days).


def test_silence_opens_one_alert_after_one_and_a_half_intervals(started):
    sign(started)
    with at(days(22)):
        assert alerts_refresh() == 0
    with at(days(23)):
        assert alerts_refresh() == 1
        assert alerts_refresh() == 0
    [alert] = alerts(started, Alert.Kind.NO_MEETING)
    assert alert.key == START.isoformat() and alert.resolved_at is None


def test_silence_is_resolved_by_a_meeting_and_reopens_for_a_new_silence(started):
    sign(started)
    with at(days(25)):
        alerts_refresh()
        hold_meeting(started, days(24))
        alerts_refresh()
    [first] = alerts(started, Alert.Kind.NO_MEETING)
    assert first.resolved_at is not None and first.resolution
    assert first.resolved_by is None
    with at(days(24 + 22)):
        assert alerts_refresh() == 0
    with at(days(24 + 23)):
        assert alerts_refresh(duos=[started]) == 1
    second = alerts(started, Alert.Kind.NO_MEETING)[-1]
    assert second.key == days(24).isoformat() and second.resolved_at is None


def test_a_silence_resolved_by_hand_does_not_come_back_for_the_same_cause(started, cast):
    sign(started)
    with at(days(23)):
        alerts_refresh()
        [alert] = alerts(started, Alert.Kind.NO_MEETING)
        alert_resolve(alert=alert, actor=cast.carla, resolution="Called both, holidays.")
    with at(days(40)):
        assert alerts_refresh() == 0
    [alert] = alerts(started, Alert.Kind.NO_MEETING)
    assert alert.resolution == "Called both, holidays." and alert.resolved_by == cast.carla


def test_a_planned_or_cancelled_meeting_does_not_count_as_held(started):
    sign(started)
    with at(days(23)):
        Meeting.objects.create(
            duo=started, status=Meeting.Status.CANCELLED, starts_at=timezone.now()
        )
        assert alerts_refresh() == 1


def test_a_programme_without_rhythm_raises_no_silence_alert(started, cast):
    cast.programme.meetings_per_month = 0
    cast.programme.save(update_fields=["meetings_per_month"])
    with at(days(100)):
        alerts_refresh()
    assert alerts(started, Alert.Kind.NO_MEETING) == []


# A check-in with a mood of 1 or 2.


def test_a_low_mood_opens_once_resolves_and_a_new_one_opens_again(started, cast):
    sign(started)
    with at(days(3)):
        hold_meeting(started, days(2))
        low = checkin_record(duo=started, side="mentee", actor=cast.amina, mood=2)
        assert alerts_refresh() == 0
        [alert] = alerts(started, Alert.Kind.LOW_MOOD)
        assert alert.key == str(low.pk)
        alert_resolve(alert=alert, actor=cast.carla, resolution="Talked with Amina.")
        assert alerts_refresh() == 0
    with at(days(5)):
        again = checkin_record(duo=started, side="mentee", actor=cast.amina, mood=1)
    [old, new] = alerts(started, Alert.Kind.LOW_MOOD)
    assert old.resolved_at is not None and new.key == str(again.pk) and new.resolved_at is None


def test_a_better_mood_of_the_same_side_resolves_the_low_mood_alert(started, cast):
    with at(days(3)):
        checkin_record(duo=started, side="mentee", actor=cast.amina, mood=1)
        checkin_record(duo=started, side="mentor", actor=cast.marek, mood=5)
    assert alerts(started, Alert.Kind.LOW_MOOD)[0].resolved_at is None
    with at(days(4)):
        checkin_record(duo=started, side="mentee", actor=cast.amina, mood=4)
    [alert] = alerts(started, Alert.Kind.LOW_MOOD)
    assert alert.resolved_at is not None and alert.resolution


def test_a_mood_of_three_opens_no_alert(started, cast):
    with at(days(3)):
        checkin_record(duo=started, side="mentee", actor=cast.amina, mood=3)
    assert alerts(started, Alert.Kind.LOW_MOOD) == []


# "I would like the coordinator to call me".


def test_a_call_request_opens_once_and_a_logged_call_resolves_it(started, cast):
    with at(days(3)):
        request = checkin_record(
            duo=started, side="mentor", actor=cast.marek, mood=4, wants_call=True
        )
        assert alerts_refresh() == 0
        [alert] = alerts(started, Alert.Kind.CALL_REQUESTED)
        assert alert.key == str(request.pk)
    with at(days(4)):
        # A call with the other side does not answer the mentor's request.
        supervision_note_add(
            duo=started, actor=cast.carla, kind="call", with_side="mentee", text="Amina ok"
        )
        assert alerts(started, Alert.Kind.CALL_REQUESTED)[0].resolved_at is None
        supervision_note_add(
            duo=started, actor=cast.carla, kind="call", with_side="mentor", text="Called Marek"
        )
    [alert] = alerts(started, Alert.Kind.CALL_REQUESTED)
    assert alert.resolved_at is not None
    with at(days(5)):
        assert alerts_refresh() == 0
        checkin_record(duo=started, side="mentor", actor=cast.marek, mood=4, wants_call=True)
    assert [a.resolved_at is None for a in alerts(started, Alert.Kind.CALL_REQUESTED)] == [
        False,
        True,
    ]


# An active duo ending within 21 days.


def test_the_end_in_three_weeks_opens_once_and_moves_with_the_planned_end(started, cast):
    sign(started)
    end = started.planned_end_on
    with at(end - datetime.timedelta(days=22)):
        hold_meeting(started, end - datetime.timedelta(days=23))
        alerts_refresh()
        assert alerts(started, Alert.Kind.ENDING_SOON) == []
    with at(end - datetime.timedelta(days=21)):
        assert alerts_refresh() >= 1
        assert alerts_refresh() == 0
        [alert] = alerts(started, Alert.Kind.ENDING_SOON)
        assert alert.key == end.isoformat()
        alert_resolve(alert=alert, actor=cast.carla, resolution="Closure planned.")
    with at(end - datetime.timedelta(days=10)):
        hold_meeting(started, end - datetime.timedelta(days=11))
        assert alerts_refresh() == 0
        # Extended by a month: a new planned end is a new cause.
        Duo.objects.filter(pk=started.pk).update(planned_end_on=end + datetime.timedelta(days=30))
        alerts_refresh()
        assert len(alerts(started, Alert.Kind.ENDING_SOON)) == 1
    with at(end + datetime.timedelta(days=9)):
        hold_meeting(started, end + datetime.timedelta(days=8))
        alerts_refresh()
    [old, new] = alerts(started, Alert.Kind.ENDING_SOON)
    assert new.key == (end + datetime.timedelta(days=30)).isoformat()


def test_a_starting_duo_gets_no_end_alert(started):
    with at(started.planned_end_on - datetime.timedelta(days=5)):
        alerts_refresh()
    assert alerts(started, Alert.Kind.ENDING_SOON) == []


# The agreement not signed by all 14 days after the start.


def test_an_unsigned_agreement_alerts_after_two_weeks_and_signing_resolves_it(started):
    with at(days(13)):
        alerts_refresh()
        assert alerts(started, Alert.Kind.UNSIGNED) == []
    with at(days(14)):
        assert alerts_refresh() == 1
        assert alerts_refresh() == 0
    with at(days(16)):
        sign(started)
        alerts_refresh()
    [alert] = alerts(started, Alert.Kind.UNSIGNED)
    assert alert.key == "" and alert.resolved_at is not None
    with at(days(60)):
        alerts_refresh()
    assert len(alerts(started, Alert.Kind.UNSIGNED)) == 1


# Closure, bulk, concurrency of causes.


def test_closing_the_duo_resolves_its_open_alerts(started, cast):
    with at(days(30)):
        checkin_record(duo=started, side="mentee", actor=cast.amina, mood=1, wants_call=True)
        alerts_refresh()
        assert Alert.objects.filter(duo=started, resolved_at=None).count() == 4
        Duo.objects.filter(pk=started.pk).update(status=Duo.Status.CLOSED, closed_on=days(30))
        assert alerts_refresh() == 0
    assert not Alert.objects.filter(duo=started, resolved_at=None).exists()
    assert all(a.resolution for a in Alert.objects.filter(duo=started))


def many_duos(cast, count):
    mentors = Participant.objects.bulk_create(
        Participant(programme=cast.programme, role="mentor", first_name=f"M{i}", last_name="X")
        for i in range(count)
    )
    mentees = Participant.objects.bulk_create(
        Participant(programme=cast.programme, role="mentee", first_name=f"E{i}", last_name="Y")
        for i in range(count)
    )
    duos = Duo.objects.bulk_create(
        Duo(
            programme=cast.programme,
            mentor=mentor,
            mentee=mentee,
            started_on=START,
            planned_end_on=days(180),
            status=Duo.Status.ACTIVE,
            video_room=f"room-{mentor.pk}",
        )
        for mentor, mentee in zip(mentors, mentees, strict=True)
    )
    for duo in duos[::2]:
        hold_meeting(duo, days(10))
    return duos


def refresh_queries(cast, count):
    Duo.objects.all().delete()
    many_duos(cast, count)
    with at(days(40)), CaptureQueriesContext(connection) as queries:
        opened = alerts_refresh()
    return opened, len(queries)


def test_the_refresh_runs_in_a_few_queries_whatever_the_number_of_duos(cast):
    opened_3, queries_3 = refresh_queries(cast, 3)
    opened_30, queries_30 = refresh_queries(cast, 30)
    assert opened_3 == 3 * 2  # silence and unsigned for each
    assert opened_30 == 30 * 2
    assert queries_3 == queries_30 <= 8


# The resolve service and view.


def test_resolving_needs_staff_a_text_and_an_open_alert(started, cast):
    with at(days(14)):
        alerts_refresh()
    alert = alerts(started, Alert.Kind.UNSIGNED)[0]
    for actor in (cast.marek, cast.amina, cast.vera, cast.olga):
        with pytest.raises(DuoError):
            alert_resolve(alert=alert, actor=actor, resolution="done")
    with pytest.raises(DuoError):
        alert_resolve(alert=alert, actor=cast.carla, resolution="   ")
    alert.refresh_from_db()
    assert alert.resolved_at is None
    # Adam opened the same alert before Carla resolved it: his save is refused, hers stands.
    stale = Alert.objects.get(pk=alert.pk)
    alert_resolve(alert=alert, actor=cast.carla, resolution="Reminded everyone.")
    with pytest.raises(DuoError, match="déjà résolue"):
        alert_resolve(alert=stale, actor=cast.adam, resolution="again")
    alert.refresh_from_db()
    assert (alert.resolved_by, alert.resolution) == (cast.carla, "Reminded everyone.")


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_resolve_an_alert_from_the_duo(started, cast, client_as, role):
    with at(days(14)):
        alerts_refresh()
    alert = alerts(started, Alert.Kind.UNSIGNED)[0]
    url = reverse("duos:alert_resolve", kwargs={"duo_id": started.pk, "alert_id": alert.pk})
    client = client_as(cast.users()[role])
    assert client.get(url).status_code in (302, 404, 405)
    response = client.post(url, {"resolution": "Called them"})
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert response.status_code == expected
    alert.refresh_from_db()
    assert (alert.resolved_at is not None) == (role in ("coordinator", "admin"))


def test_an_alert_of_another_duo_is_not_found_from_this_one(started, cast, client_as):
    with at(days(14)):
        alerts_refresh()
    alert = alerts(started, Alert.Kind.UNSIGNED)[0]
    other = Duo.objects.create(
        programme=cast.programme,
        mentor=cast.marek_participant,
        mentee=Participant.objects.create(
            programme=cast.programme, role="mentee", first_name="Lina", last_name="Y"
        ),
    )
    url = reverse("duos:alert_resolve", kwargs={"duo_id": other.pk, "alert_id": alert.pk})
    assert client_as(cast.carla).post(url, {"resolution": "x"}).status_code == 404


def test_resolving_without_a_text_changes_nothing(started, cast, client_as):
    with at(days(14)):
        alerts_refresh()
    alert = alerts(started, Alert.Kind.UNSIGNED)[0]
    url = reverse("duos:alert_resolve", kwargs={"duo_id": started.pk, "alert_id": alert.pk})
    assert client_as(cast.carla).post(url, {"resolution": ""}).status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_at is None


# The supervision page: the coordinator's log of calls and notes.


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_supervision_page(started, cast, client_as, role):
    url = reverse("duos:supervision", kwargs={"duo_id": started.pk})
    response = client_as(cast.users()[role]).get(url)
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_log_calls_and_notes(started, cast, client_as, role):
    url = reverse("duos:supervision", kwargs={"duo_id": started.pk})
    data = {"kind": "call", "with_side": "mentee", "at": "2025-01-20T10:00", "text": "Fine."}
    with at(days(20), hour=12):
        response = client_as(cast.users()[role]).post(url, data)
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert response.status_code == expected
    assert SupervisionNote.objects.exists() == (expected == 302 and role != "anonymous")


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "call", "with_side": "", "at": "2025-02-20T10:00", "text": "In the future"},
        {"kind": "call", "with_side": "", "at": "2024-12-20T10:00", "text": "Before the start"},
        {"kind": "call", "with_side": "", "at": "2025-01-20T10:00", "text": "  "},
        {"kind": "visit", "with_side": "", "at": "2025-01-20T10:00", "text": "Bad kind"},
        {"kind": "note", "with_side": "cousin", "at": "2025-01-20T10:00", "text": "Bad side"},
        {"kind": "note", "with_side": "", "at": "yesterday", "text": "Bad date"},
    ],
)
def test_a_bad_note_is_refused_with_a_message_and_nothing_saved(started, cast, client_as, data):
    url = reverse("duos:supervision", kwargs={"duo_id": started.pk})
    with at(days(20), hour=12):
        response = client_as(cast.carla).post(url, data)
    assert response.status_code == 200
    assert response.context["note_form"].errors
    assert not SupervisionNote.objects.exists()


def test_the_supervision_page_shows_alerts_check_ins_and_the_log(started, cast, client_as):
    with at(days(20), hour=12):
        checkin_record(duo=started, side="mentee", actor=cast.amina, mood=2, comment="Tired")
        supervision_note_add(
            duo=started, actor=cast.carla, kind="note", with_side="", text="Mentor on leave"
        )
        alerts_refresh()
        url = reverse("duos:supervision", kwargs={"duo_id": started.pk}).replace("/fr/", "/en/")
        page = client_as(cast.carla).get(url).content.decode()
    assert "Low mood in a check-in" in page and "Agreement unsigned after 2 weeks" in page
    assert "Tired" in page and "Mentor on leave" in page
    assert page.count('name="resolution"') == Alert.objects.filter(resolved_at=None).count()
