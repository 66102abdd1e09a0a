"""A coordinator enters a check-in, closing feedback or a proposal answer given by phone, on
paper or in person, for someone without an account: marked as entered by her, with the day.

(A proposal answer entered for someone: binome/matching/tests/test_proposals.py.)
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.duos.models import CheckIn, ClosingFeedback
from binome.duos.services.closure import closing_feedback_give
from binome.duos.services.common import DuoError
from binome.duos.services.supervision import checkin_record
from binome.duos.tests.helpers import en
from binome.duos.tests.test_closure import close
from binome.testing import CANARY, ROLES, STAFF_ONLY, make_duo


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def running(cast):
    return make_duo(cast, started_on=days_ago(30))


def entered(**overrides) -> dict:
    data = {"side": "mentee", "channel": "phone", "given_on": days_ago(2).isoformat(), "mood": "4"}
    return {**data, **overrides}


def test_a_coordinator_enters_a_check_in_given_by_phone(running, cast):
    checkin = checkin_record(
        duo=running,
        side="mentee",
        actor=cast.carla,
        mood=2,
        wants_call=True,
        channel="phone",
        given_on=days_ago(2),
    )
    assert (checkin.by, checkin.channel) == (cast.carla, "phone")
    assert timezone.localdate(checkin.created_at) == days_ago(2)


def test_only_staff_enter_a_check_in_for_someone(running, cast):
    with pytest.raises(DuoError):
        checkin_record(duo=running, side="mentee", actor=cast.marek, mood=3, channel="phone")
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("when", [-1, 31])
def test_a_day_in_the_future_or_before_the_start_is_refused(running, cast, when):
    with pytest.raises(DuoError):
        checkin_record(
            duo=running,
            side="mentee",
            actor=cast.carla,
            mood=3,
            channel="paper",
            given_on=days_ago(when),
        )


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_enter_a_check_in_through_the_page(running, cast, client_as, role):
    url = reverse("duos:checkin", args=[running.pk])
    response = client_as(cast.users()[role]).post(url, entered())
    # The two sides answer for themselves (their own side, now).
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302, "mentee": 302, "mentor": 302}
    assert response.status_code == expected[role]
    checkin = CheckIn.objects.first()
    if role in ("coordinator", "admin"):
        assert checkin is not None and checkin.channel == "phone"
    elif role in ("mentee", "mentor"):
        assert checkin is not None and checkin.channel == "" and checkin.side == role
    else:
        assert checkin is None


def test_the_page_keeps_the_input_and_says_why_after_a_refusal(running, cast, client_as):
    url = en("duos:checkin", running.pk)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_as(cast.carla).post(
        url, entered(given_on=future, comment="Calls on Tuesdays"), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200 and "cannot be in the future" in page
    assert "Calls on Tuesdays" in page
    assert not CheckIn.objects.exists()


def test_the_supervision_page_marks_a_check_in_entered_by_the_coordinator(running, cast, client_as):
    checkin_record(duo=running, side="mentee", actor=cast.carla, mood=4, channel="in_person")
    page = client_as(cast.carla).get(en("duos:supervision", running.pk))
    assert "entered by the coordinator" in page.content.decode()


def test_a_coordinator_enters_closing_feedback_given_on_paper(running, cast, client_as):
    close(running, cast.carla)
    url = en("duos:feedback", running.pk)
    client = client_as(cast.carla)
    assert "Enter feedback given" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    response = client.post(
        url,
        {
            "side": "mentor",
            "channel": "paper",
            "given_on": timezone.localdate().isoformat(),
            "rating": "5",
            "best": "The visits",
        },
    )
    assert response.status_code == 302
    feedback = ClosingFeedback.objects.get()
    assert (feedback.side, feedback.channel, feedback.by) == ("mentor", "paper", cast.carla)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Entered by the coordinator" in page and "on paper" in page


def test_closing_feedback_cannot_be_entered_for_someone_by_a_mentor(running, cast):
    close(running, cast.carla)
    with pytest.raises(DuoError):
        closing_feedback_give(
            duo=running, side="mentee", actor=cast.marek, rating=4, channel="phone"
        )


@pytest.mark.parametrize("role", ROLES)
def test_the_feedback_page_role_matrix(running, cast, client_as, role):
    close(running, cast.carla)
    response = client_as(cast.users()[role]).get(reverse("duos:feedback", args=[running.pk]))
    expected = {**STAFF_ONLY, "mentee": 200, "mentor": 200}[role]
    assert response.status_code == expected
    if response.status_code == 200:
        assert CANARY not in response.content.decode()
