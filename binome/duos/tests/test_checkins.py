import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from binome.duos.models import Alert, CheckIn, Duo, Meeting, SupervisionNote
from binome.duos.services.common import DuoError
from binome.duos.services.supervision import checkin_record, supervision_note_add
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES

# The check-in is for the two sides; staff read the answers on the supervision page, and enter
# one given by phone, on paper or in person (side, channel and day then required).


def checkin_url(duo, meeting=None):
    url = reverse("duos:checkin", kwargs={"duo_id": duo.pk})
    return f"{url}?meeting={meeting.pk}" if meeting else url


def held_meeting(duo, days_ago=1):
    return Meeting.objects.create(
        duo=duo, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_two_sides_and_staff_open_the_check_in(duo, cast, client_as, role):
    response = client_as(cast.users()[role]).get(checkin_url(duo))
    assert response.status_code == PARTIES_AND_STAFF[role]
    if response.status_code == 200:
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_sides_can_post_a_check_in(duo, cast, client_as, role):
    response = client_as(cast.users()[role]).post(checkin_url(duo), {"mood": "4"})
    # Staff are asked who gave it, how and when: nothing is recorded without it.
    expected = {**PARTIES_AND_STAFF, "mentee": 302, "mentor": 302}[role]
    assert response.status_code == expected
    assert CheckIn.objects.exists() == (role in ("mentee", "mentor"))


def test_the_mentee_answers_in_thirty_seconds_and_is_thanked(duo, cast, client_as):
    client = client_as(cast.amina)
    response = client.post(
        checkin_url(duo).replace("/fr/", "/en/", 1),
        {"mood": "2", "comment": "Hard week", "wants_call": "on"},
    )
    assert response.status_code == 302
    assert response.url == reverse("duos:detail", kwargs={"duo_id": duo.pk})
    answer = CheckIn.objects.get()
    assert (answer.side, answer.mood, answer.comment, answer.wants_call) == (
        "mentee",
        2,
        "Hard week",
        True,
    )
    assert answer.by == cast.amina
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Thank you! Your coordinator will read your answer."
    ]


def test_the_page_shows_five_labelled_faces(duo, cast, client_as):
    page = client_as(cast.amina).get(checkin_url(duo).replace("/fr/", "/en/", 1)).content.decode()
    assert page.count('type="radio" name="mood"') == 5
    for label in ("Very bad", "Bad", "So-so", "Good", "Very good"):
        assert f'<span class="face-label">{label}</span>' in page
    assert "I would like the coordinator to call me" in page
    assert "not the other person of your duo" in page


@pytest.mark.parametrize("mood", ["0", "6", "", "abc", "2.5"])
def test_a_mood_outside_one_to_five_is_refused_and_nothing_saved(duo, cast, client_as, mood):
    response = client_as(cast.marek).post(checkin_url(duo), {"mood": mood})
    assert response.status_code == 200
    assert response.context["form"].errors["mood"]
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("mood", [0, 6, -1, True, "3"])
def test_the_service_refuses_a_mood_outside_one_to_five(duo, cast, mood):
    with pytest.raises(DuoError):
        checkin_record(duo=duo, side="mentor", actor=cast.marek, mood=mood)
    assert not CheckIn.objects.exists()


def test_a_mentor_cannot_check_in_as_the_mentee(duo, cast):
    with pytest.raises(DuoError):
        checkin_record(duo=duo, side="mentee", actor=cast.marek, mood=5)
    assert not CheckIn.objects.exists()


def test_a_posted_side_is_ignored_the_side_is_who_you_are(duo, cast, client_as):
    client_as(cast.marek).post(checkin_url(duo), {"mood": "5", "side": "mentee"})
    assert CheckIn.objects.get().side == "mentor"


@pytest.mark.parametrize("who", ["carla", "adam", "vera", "olga"])
def test_a_check_in_by_someone_who_is_not_a_party_is_refused(duo, cast, who):
    with pytest.raises(DuoError):
        checkin_record(duo=duo, side="mentor", actor=getattr(cast, who), mood=3)
    assert not CheckIn.objects.exists()


def test_no_check_in_on_a_closed_duo(duo, cast, client_as):
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED, closed_on=timezone.localdate())
    duo.refresh_from_db()
    with pytest.raises(DuoError):
        checkin_record(duo=duo, side="mentee", actor=cast.amina, mood=3)
    response = client_as(cast.amina).post(checkin_url(duo), {"mood": "3"})
    assert response.status_code == 200
    assert not CheckIn.objects.exists()


def test_a_check_in_is_linked_to_the_meeting_just_logged(duo, cast, client_as):
    meeting = held_meeting(duo)
    response = client_as(cast.amina).post(checkin_url(duo, meeting), {"mood": "4"})
    assert response.status_code == 302
    assert CheckIn.objects.get().meeting == meeting


def test_a_meeting_of_another_duo_cannot_be_linked(duo, cast, client_as):
    other = make_other_duo(cast)
    foreign = held_meeting(other)
    response = client_as(cast.amina).post(checkin_url(duo, foreign), {"mood": "4"})
    assert response.status_code == 404
    with pytest.raises(DuoError):
        checkin_record(duo=duo, side="mentee", actor=cast.amina, mood=4, meeting=foreign)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("meeting_id", ["9" * 25, "9" * 5000, "²", "-3"])
def test_a_meeting_id_that_cannot_be_one_is_not_found(duo, cast, client_as, meeting_id):
    url = checkin_url(duo) + f"?meeting={meeting_id}"
    assert client_as(cast.amina).get(url).status_code == 404


def make_other_duo(cast):
    from binome.people import services
    from binome.people.models import Participant

    mentor = services.participant_create(
        programme=cast.programme, role=Participant.Role.MENTOR, first_name="Omar", last_name="X"
    )
    mentee = services.participant_create(
        programme=cast.programme, role=Participant.Role.MENTEE, first_name="Lina", last_name="Y"
    )
    return Duo.objects.create(
        programme=cast.programme,
        mentor=mentor,
        mentee=mentee,
        started_on=timezone.localdate(),
        planned_end_on=timezone.localdate() + datetime.timedelta(days=180),
    )


def test_a_low_mood_or_a_call_request_opens_alerts_at_once(duo, cast):
    checkin_record(duo=duo, side="mentee", actor=cast.amina, mood=1, wants_call=True)
    kinds = set(Alert.objects.filter(resolved_at=None).values_list("kind", flat=True))
    assert kinds == {Alert.Kind.LOW_MOOD, Alert.Kind.CALL_REQUESTED}


PARTY_PAGES = ["duos:detail", "duos:checkin", "duos:meetings", "duos:plan", "duos:agreement"]


def test_a_mentees_comment_and_the_coordinators_notes_never_reach_the_mentor(duo, cast, client_as):
    checkin_record(
        duo=duo, side="mentee", actor=cast.amina, mood=2, comment="SECRET-WORRY of Amina"
    )
    supervision_note_add(
        duo=duo, actor=cast.carla, kind="call", with_side="mentee", text="SECRET-CALL-NOTE"
    )
    mentor = client_as(cast.marek)
    for name in PARTY_PAGES:
        page = mentor.get(reverse(f"duos:{name.split(':')[1]}", kwargs={"duo_id": duo.pk}))
        body = page.content.decode()
        assert "SECRET-WORRY" not in body, name
        assert "SECRET-CALL-NOTE" not in body, name
    mentee = client_as(cast.amina)
    for name in PARTY_PAGES:
        page = mentee.get(reverse(f"duos:{name.split(':')[1]}", kwargs={"duo_id": duo.pk}))
        assert "SECRET-CALL-NOTE" not in page.content.decode(), name
    for url in (reverse("duos:supervision", kwargs={"duo_id": duo.pk}), reverse("duos:board")):
        assert mentor.get(url).status_code == 404
        assert mentee.get(url).status_code == 404
    staff_page = client_as(cast.carla).get(reverse("duos:supervision", kwargs={"duo_id": duo.pk}))
    assert "SECRET-WORRY" in staff_page.content.decode()
    assert "SECRET-CALL-NOTE" in staff_page.content.decode()
    assert SupervisionNote.objects.count() == 1
