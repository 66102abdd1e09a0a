"""Meetings: logged in three taps, planned with a calendar file, private notes kept private."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from binome.accounts.models import User
from binome.duos.ics import meeting_ics
from binome.duos.models import Duo, Meeting
from binome.duos.periods import add_months, duo_expected_meetings
from binome.duos.services.common import DuoError
from binome.duos.services.meetings import (
    meeting_log,
    meeting_plan,
    meeting_update,
)
from binome.duos.services.plan import EditConflict
from binome.duos.tests.helpers import en, text
from binome.programmes.models import Programme
from binome.testing import CANARY, PARTIES_AND_STAFF, PASSWORD, ROLES, make_duo

SECRET = "Private: Amina seems exhausted, call her social worker"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def old_duo(cast):
    """A duo that started a month ago, so that meetings can be logged in its past."""
    return make_duo(cast, started_on=add_months(timezone.localdate(), -1))


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() - datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def held(duo, actor, *, days: int = 2, staff: bool = False, **fields) -> Meeting:
    data = {"starts_at": days_ago(days), "mode": "in_person", "place": "Café du Cours", **fields}
    return meeting_log(duo=duo, actor=actor, staff=staff, **data)


def post_data(starts_at: datetime.datetime, **changes) -> dict:
    data = {
        "starts_at": timezone.localtime(starts_at).strftime(LOCAL),
        "duration_minutes": 60,
        "mode": "in_person",
        "place": "Café du Cours",
        "shared_notes": "",
    }
    return {**data, **changes}


def edit_data(meeting: Meeting, **changes) -> dict:
    data = post_data(
        meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        mode=meeting.mode,
        place=meeting.place,
        shared_notes=meeting.shared_notes,
        supports=meeting.supports,
        version=meeting.version,
    )
    return {**data, **changes}


def close(duo: Duo) -> None:
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED, closed_on=timezone.localdate())
    duo.refresh_from_db()


# Who may see and do what -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_meeting_pages_are_for_the_duo_and_its_organisations_staff(
    old_duo, cast, client_as, role
):
    meeting = held(old_duo, cast.carla, shared_notes="We worked on the CV")
    client = client_as(cast.users()[role])
    urls = [
        en("duos:meetings", old_duo.pk),
        en("duos:meeting_new", old_duo.pk),
        en("duos:meeting_new", old_duo.pk) + "?planned=1",
        en("duos:meeting_edit", old_duo.pk, meeting.pk),
        en("duos:meeting_ics", old_duo.pk, meeting.pk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == PARTIES_AND_STAFF[role], url
        if response.status_code == 200:
            assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_duo_and_staff_may_log_a_meeting(old_duo, cast, client_as, role):
    response = client_as(cast.users()[role]).post(
        en("duos:meeting_new", old_duo.pk), post_data(days_ago(1))
    )
    allowed = PARTIES_AND_STAFF[role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    assert Meeting.objects.filter(duo=old_duo).exists() == allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_the_duo_and_staff_may_edit_or_cancel_a_meeting(old_duo, cast, client_as, role):
    meeting = held(old_duo, cast.carla)
    planned = meeting_plan(
        duo=old_duo, actor=cast.carla, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    client = client_as(cast.users()[role])
    edited = client.post(
        en("duos:meeting_edit", old_duo.pk, meeting.pk), edit_data(meeting, duration_minutes=90)
    )
    cancelled = client.post(
        en("duos:meeting_cancel", old_duo.pk, planned.pk), {"version": planned.version}
    )
    allowed = PARTIES_AND_STAFF[role] == 200
    expected = 302 if allowed or role == "anonymous" else 404
    assert (edited.status_code, cancelled.status_code) == (expected, expected)
    meeting.refresh_from_db()
    planned.refresh_from_db()
    assert (meeting.duration_minutes == 90) == allowed
    assert (planned.status == Meeting.Status.CANCELLED) == allowed


def test_a_meeting_of_another_duo_is_not_found(old_duo, cast, client_as):
    from binome.people.services import participant_create

    meeting = held(old_duo, cast.carla)
    nadia = participant_create(
        programme=cast.programme, role="mentee", first_name="Nadia", last_name="Test"
    )
    other = Duo.objects.create(
        programme=cast.programme, mentor=cast.marek_participant, mentee=nadia
    )
    client = client_as(cast.carla)
    assert client.get(en("duos:meeting_edit", other.pk, meeting.pk)).status_code == 404
    assert client.get(en("duos:meeting_ics", other.pk, meeting.pk)).status_code == 404


# Logging in three taps -------------------------------------------------------------------------


def test_the_new_meeting_form_is_prefilled_with_now_an_hour_and_the_last_mode(
    old_duo, cast, client_as
):
    held(old_duo, cast.marek, mode="video", place="")
    response = client_as(cast.amina).get(en("duos:meeting_new", old_duo.pk))
    form = response.context["form"]
    # Shown in local time, as the datetime-local input expects.
    starts_at, now = form["starts_at"].value(), timezone.localtime().replace(tzinfo=None)
    assert starts_at <= now and starts_at.minute % 15 == 0
    assert now - starts_at < datetime.timedelta(minutes=15)
    assert (form["duration_minutes"].value(), form["mode"].value()) == (60, "video")


def test_the_mentee_saves_the_prefilled_form_and_lands_on_the_check_in(old_duo, cast, client_as):
    client = client_as(cast.amina)
    form = client.get(en("duos:meeting_new", old_duo.pk)).context["form"]
    data = {
        "starts_at": form["starts_at"].value().strftime(LOCAL),
        "duration_minutes": form["duration_minutes"].value(),
        "mode": form["mode"].value(),
        "place": form["place"].value() or "",
    }
    response = client.post(en("duos:meeting_new", old_duo.pk), data)
    meeting = Meeting.objects.get(duo=old_duo)
    assert (meeting.status, meeting.logged_by, meeting.duration_minutes) == ("held", cast.amina, 60)
    assert response["Location"] == en("duos:checkin", old_duo.pk) + f"?meeting={meeting.pk}"


def test_a_coordinator_who_logs_a_meeting_goes_back_to_the_meetings(old_duo, cast, client_as):
    response = client_as(cast.carla).post(
        en("duos:meeting_new", old_duo.pk), post_data(days_ago(3))
    )
    assert response["Location"] == en("duos:meetings", old_duo.pk)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_logging_a_meeting_on_a_phone_takes_three_taps(cast, live_server, page_factory):
    duo = make_duo(cast)
    url = en("duos:meeting_new", duo.pk)
    phone = page_factory(width=360, height=740, locale="en-GB")
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email="amina@a.example").update(language="en")
    phone.goto(f"{live_server.url}/en/accounts/login/?next={url}")
    phone.fill("#id_username", "amina@a.example")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"**{url}")
    # Tap 1 opened the form; tap 2 picks the mode (optional); tap 3 saves, above the fold.
    phone.click("text=Phone")
    save = phone.locator("button.big")
    phone.screenshot(path="/tmp/meeting_new_360.png", full_page=True)
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= 740
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    save.click()
    phone.wait_for_url("**/check-in/?meeting=*")
    meeting = Meeting.objects.get(duo=duo)
    assert (meeting.status, meeting.mode, meeting.logged_by) == ("held", "phone", cast.amina)


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "starts_at, message",
    [
        (lambda: timezone.now() + datetime.timedelta(days=1), "A meeting in the future cannot"),
        (lambda: days_ago(40), "cannot be before the duo's start"),
    ],
)
def test_a_held_meeting_in_the_future_or_before_the_start_is_refused(
    old_duo, cast, client_as, starts_at, message
):
    response = client_as(cast.marek).post(
        en("duos:meeting_new", old_duo.pk), post_data(starts_at())
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "starts_at, message",
    [
        (lambda duo: timezone.now() - datetime.timedelta(hours=2), "must be in the future"),
        (
            lambda duo: timezone.now() + datetime.timedelta(days=365),
            "cannot be after the duo's planned end",
        ),
    ],
)
def test_a_planned_meeting_in_the_past_or_after_the_end_is_refused(
    old_duo, cast, client_as, starts_at, message
):
    url = en("duos:meeting_new", old_duo.pk) + "?planned=1"
    response = client_as(cast.marek).post(url, post_data(starts_at(old_duo)))
    assert message in text(response)
    assert not Meeting.objects.exists()


def test_no_meeting_is_logged_on_a_closed_duo(old_duo, cast, client_as):
    meeting = held(old_duo, cast.marek)
    close(old_duo)
    response = client_as(cast.marek).post(
        en("duos:meeting_new", old_duo.pk), post_data(days_ago(1))
    )
    assert "This duo is closed" in text(response)
    response = client_as(cast.carla).post(
        en("duos:meeting_edit", old_duo.pk, meeting.pk), edit_data(meeting, place="Elsewhere")
    )
    assert "This duo is closed" in text(response)
    assert Meeting.objects.count() == 1
    meeting.refresh_from_db()
    assert meeting.place == "Café du Cours"


def test_a_duration_out_of_bounds_or_an_unknown_theme_is_refused(old_duo, cast, client_as):
    Programme.objects.filter(pk=cast.programme.pk).update(themes=["CV", "Job interview"])
    client = client_as(cast.marek)
    url = en("duos:meeting_new", old_duo.pk)
    assert client.post(url, post_data(days_ago(1), duration_minutes=0)).status_code == 200
    assert client.post(url, post_data(days_ago(1), themes=["Cooking"])).status_code == 200
    assert not Meeting.objects.exists()


# Planning, editing, cancelling -----------------------------------------------------------------


def test_a_planned_meeting_is_listed_with_its_calendar_file_and_later_marked_held(
    old_duo, cast, client_as
):
    import time_machine

    client = client_as(cast.marek)
    starts_at = timezone.localtime() + datetime.timedelta(days=7)
    url = en("duos:meeting_new", old_duo.pk) + "?planned=1"
    response = client.post(url, post_data(starts_at, mode="video", place="ignored"))
    assert response["Location"] == en("duos:meetings", old_duo.pk)
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.mode, meeting.place) == ("planned", "video", "")
    page = text(client.get(en("duos:meetings", old_duo.pk)))
    assert en("duos:meeting_ics", old_duo.pk, meeting.pk) in page
    assert old_duo.video_link in page
    with time_machine.travel(starts_at + datetime.timedelta(hours=2), tick=False):
        # A week later: the idle session has ended, Marek logs in again.
        client = client_as(cast.marek)
        response = client.post(
            en("duos:meeting_edit", old_duo.pk, meeting.pk),
            edit_data(meeting, held="on", shared_notes="Went well"),
        )
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.shared_notes, meeting.version) == ("held", "Went well", 2)


def test_a_planned_meeting_cannot_be_marked_held_before_it_happens(old_duo, cast):
    meeting = meeting_plan(
        duo=old_duo, actor=cast.marek, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    with pytest.raises(DuoError):
        meeting_update(meeting=meeting, actor=cast.marek, expected_version=1, held=True)
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_a_cancelled_meeting_stays_in_the_calendar_as_cancelled(old_duo, cast, client_as):
    meeting = meeting_plan(
        duo=old_duo, actor=cast.marek, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    client = client_as(cast.amina)
    client.post(en("duos:meeting_cancel", old_duo.pk, meeting.pk), {"version": 1})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    event = Calendar.from_ical(meeting_ics(meeting, "en")).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    # A held meeting cannot be cancelled.
    past = held(old_duo, cast.marek)
    client.post(en("duos:meeting_cancel", old_duo.pk, past.pk), {"version": 1})
    past.refresh_from_db()
    assert past.status == "held"


def test_the_second_save_of_a_meeting_is_told_of_the_conflict(old_duo, cast, client_as):
    meeting = held(old_duo, cast.carla)
    url = en("duos:meeting_edit", old_duo.pk, meeting.pk)
    marek, amina = client_as(cast.marek), client_as(cast.amina)
    assert marek.get(url).status_code == amina.get(url).status_code == 200
    assert marek.post(url, edit_data(meeting, duration_minutes=120)).status_code == 302
    response = amina.post(url, edit_data(meeting, shared_notes="My notes"))
    page = text(response)
    assert "Marek Nowak saved this meeting while you were editing" in page
    assert "My notes" in page
    # Only what Marek changed is named, not the (empty) method steps both forms carry.
    assert "duration (minutes)" in page and "intercultural method notes" not in page
    meeting.refresh_from_db()
    assert (meeting.duration_minutes, meeting.shared_notes, meeting.version) == (120, "", 2)
    with pytest.raises(EditConflict):
        meeting_update(meeting=meeting, actor=cast.amina, expected_version=1, place="X")


def test_meetings_done_are_counted_against_the_rhythm(old_duo, cast, client_as):
    held(old_duo, cast.marek, days=20)
    held(old_duo, cast.marek, days=5)
    # 2 a month over one calendar month: 2 expected so far.
    assert duo_expected_meetings(old_duo) == 2
    page = text(client_as(cast.carla).get(en("duos:meetings", old_duo.pk)))
    assert "2 / 2" in page


# Themes, support and the intercultural method --------------------------------------------------


def test_themes_support_and_method_notes_are_offered_and_saved(old_duo, cast, client_as):
    Programme.objects.filter(pk=cast.programme.pk).update(themes=["CV", "Job interview"])
    client = client_as(cast.marek)
    page = text(client.get(en("duos:meeting_new", old_duo.pk)))
    # An intercultural programme offers its kind's social supports by default.
    for label in ("Job interview", "Listening and moral support", "There: how was it where"):
        assert label in page
    data = post_data(
        days_ago(1),
        themes=["CV"],
        supports=["listening", "discovery"],
        method_there="Interviews were informal",
        method_conclusion="Prepare a short pitch",
    )
    assert client.post(en("duos:meeting_new", old_duo.pk), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.themes == ["CV"] and meeting.supports == ["listening", "discovery"]
    assert meeting.method_notes == {
        "there": "Interviews were informal",
        "conclusion": "Prepare a short pitch",
    }
    page = text(client.get(en("duos:meetings", old_duo.pk)))
    assert "Interviews were informal" in page and "Prepare a short pitch" in page


def test_method_notes_belong_to_intercultural_programmes_only(old_duo, cast, client_as):
    Programme.objects.filter(pk=cast.programme.pk).update(kind=Programme.Kind.PROFESSIONAL)
    old_duo.programme.refresh_from_db()
    page = text(client_as(cast.marek).get(en("duos:meeting_new", old_duo.pk)))
    assert "There: how was it where you come from?" not in page
    with pytest.raises(DuoError):
        held(old_duo, cast.marek, method_notes={"there": "Something"})
    assert not Meeting.objects.exists()


# Private coordinator notes ---------------------------------------------------------------------


def test_private_notes_never_reach_the_mentor_or_the_mentee(old_duo, cast, client_as):
    carla = client_as(cast.carla)
    data = post_data(
        days_ago(2),
        mode="video",
        place="",
        shared_notes="Shared: CV reviewed",
        private_notes=SECRET,
    )
    assert carla.post(en("duos:meeting_new", old_duo.pk), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.private_notes == SECRET
    assert SECRET in text(carla.get(en("duos:meetings", old_duo.pk)))
    assert SECRET in text(carla.get(en("duos:meeting_edit", old_duo.pk, meeting.pk)))
    for user in (cast.marek, cast.amina):
        client = client_as(user)
        for url in (
            en("duos:meetings", old_duo.pk),
            en("duos:meeting_edit", old_duo.pk, meeting.pk),
            en("duos:meeting_new", old_duo.pk),
            en("duos:meeting_ics", old_duo.pk, meeting.pk),
        ):
            page = text(client.get(url))
            assert SECRET not in page, url
            assert "Private coordinator notes" not in page, url
        assert "Shared: CV reviewed" in text(client.get(en("duos:meetings", old_duo.pk)))
    assert SECRET.encode() not in meeting_ics(meeting, "fr")


def test_a_mentors_edit_never_erases_the_private_notes(old_duo, cast, client_as):
    meeting = held(old_duo, cast.carla, staff=True, private_notes=SECRET)
    response = client_as(cast.marek).post(
        en("duos:meeting_edit", old_duo.pk, meeting.pk),
        # A crafted field is ignored: the mentor's form has no private notes at all.
        edit_data(meeting, shared_notes="Marek's notes", private_notes=""),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.shared_notes, meeting.private_notes) == ("Marek's notes", SECRET)


def test_the_services_refuse_private_notes_from_a_party(old_duo, cast):
    with pytest.raises(DuoError):
        held(old_duo, cast.marek, private_notes="sneaky")
    meeting = held(old_duo, cast.carla, staff=True, private_notes=SECRET)
    with pytest.raises(DuoError):
        meeting_update(meeting=meeting, actor=cast.marek, expected_version=1, private_notes="")
    meeting.refresh_from_db()
    assert meeting.private_notes == SECRET


# The calendar file -----------------------------------------------------------------------------


def test_the_calendar_file_parses_and_carries_the_video_link(old_duo, cast, client_as):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    meeting = meeting_plan(
        duo=old_duo,
        actor=cast.carla,
        staff=True,
        starts_at=starts_at,
        duration_minutes=45,
        mode="video",
        shared_notes="Bring the CV",
        private_notes=SECRET,
    )
    response = client_as(cast.amina).get(en("duos:meeting_ics", old_duo.pk, meeting.pk))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    link = old_duo.video_link
    assert link.startswith("https://")
    assert str(event["LOCATION"]) == link and str(event["URL"]) == link
    assert str(event["SUMMARY"]) == "Binôme: Marek Nowak – Amina Haddad"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == datetime.timedelta(0) and start == starts_at
    assert end - start == datetime.timedelta(minutes=45)
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content
    assert "Bring the CV" in str(event["DESCRIPTION"])
    assert SECRET not in response.content.decode()
    assert event.walk("VALARM")
    # The UID stays when the meeting changes, so the calendar updates the same event.
    uid = str(event["UID"])
    meeting_update(meeting=meeting, actor=cast.marek, expected_version=1, duration_minutes=60)
    meeting.refresh_from_db()
    again = Calendar.from_ical(meeting_ics(meeting, "fr")).walk("VEVENT")[0]
    # icalendar types a property as any of its value classes; SEQUENCE holds an integer.
    sequence = int(again["SEQUENCE"])  # type: ignore[arg-type]
    assert str(again["UID"]) == uid and sequence == 2


def test_an_in_person_meeting_has_its_place_as_location(old_duo, cast):
    meeting = held(old_duo, cast.marek, place="Maison des associations")
    event = Calendar.from_ical(meeting_ics(meeting, "en")).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Maison des associations"
    assert "URL" not in event
