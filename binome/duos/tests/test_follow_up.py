import base64
import datetime
import json

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from binome.duos.models import Duo, FollowUpAnswer
from binome.duos.periods import add_months
from binome.duos.services.closure import NextStep, duo_close, follow_up_answer
from binome.duos.services.common import DuoError
from binome.duos.tokens import follow_up_path, follow_up_token, read_follow_up_token
from binome.testing import CANARY, ROLES, make_duo

ANSWER = {
    "situation": FollowUpAnswer.Situation.EMPLOYED,
    "still_in_contact": "yes",
    "usefulness": "5",
    "comment": "Found a job as a cook",
}


@pytest.fixture
def closed(cast) -> Duo:
    """Marek and Amina's duo, closed today after two months."""
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=60))
    return duo_close(
        duo=duo,
        actor=cast.carla,
        reason=Duo.CloseReason.WORK_OR_TRAINING,
        closed_on=timezone.localdate(),
        outcomes=[Duo.Outcome.EMPLOYMENT],
        outcome_notes="Outcome note only coordinators read",
        mentor_next=NextStep.POOL,
        mentee_next=NextStep.LEAVE,
    )


def url_for(duo, side="mentee", lang="en") -> str:
    with translation.override(lang):
        return follow_up_path(duo.follow_up, side)


def forged(duo, lang="en") -> str:
    # The right payload signed for another purpose: the salt keeps it out.
    token = signing.dumps([duo.follow_up.pk, duo.pk, "mentee"], salt="something.else")
    with translation.override(lang):
        return reverse("duos:follow_up", kwargs={"token": token})


# --- the token -------------------------------------------------------------------------------


def test_the_token_holds_no_personal_data(cast, closed):
    token = follow_up_token(closed.follow_up, "mentee")
    payload = token.split(":")[0]
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert decoded == [closed.follow_up.pk, closed.pk, "mentee"]
    for private in ("Amina", "Haddad", "amina@a.example", "Marek"):
        assert private not in token


def test_the_path_is_in_the_active_language(closed):
    assert url_for(closed, lang="ar").startswith("/ar/follow-up/")
    assert url_for(closed, lang="fr").startswith("/fr/follow-up/")


def test_each_side_has_its_own_link(closed):
    mentee = read_follow_up_token(follow_up_token(closed.follow_up, "mentee"))
    mentor = read_follow_up_token(follow_up_token(closed.follow_up, "mentor"))
    assert mentee is not None and mentor is not None
    assert (mentee.side, mentor.side) == ("mentee", "mentor")
    assert mentee.follow_up == mentor.follow_up == closed.follow_up


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
        lambda token: signing.dumps([1, 1, "mentee"], salt="other"),
        lambda token: signing.dumps("hello", salt="binome.duos.follow_up"),
        lambda token: signing.dumps([1, 1, "coordinator"], salt="binome.duos.follow_up"),
    ],
    ids=["altered", "prefixed", "garbage", "other-salt", "wrong-shape", "wrong-side"],
)
def test_a_spoilt_token_opens_nothing(closed, spoil):
    assert read_follow_up_token(spoil(follow_up_token(closed.follow_up, "mentee"))) is None


def test_a_token_of_a_deleted_follow_up_opens_nothing(closed):
    token = follow_up_token(closed.follow_up, "mentor")
    closed.follow_up.delete()
    assert read_follow_up_token(token) is None


# --- the service -----------------------------------------------------------------------------


def test_each_side_answers_once(closed):
    follow_up = closed.follow_up
    answer = follow_up_answer(
        follow_up=follow_up, side="mentee", situation="employed", still_in_contact=True,
        usefulness=5, comment=" Thanks ",
    )  # fmt: skip
    assert (answer.situation, answer.still_in_contact, answer.comment) == (
        "employed",
        True,
        "Thanks",
    )
    follow_up_answer(
        follow_up=follow_up, side="mentor", situation="", still_in_contact=False, usefulness=3
    )
    with translation.override("en"), pytest.raises(DuoError, match="already recorded"):
        follow_up_answer(
            follow_up=follow_up, side="mentee", situation="seeking", still_in_contact=False,
            usefulness=1,
        )  # fmt: skip
    assert dict(FollowUpAnswer.objects.values_list("side", "usefulness")) == {
        "mentee": 5,
        "mentor": 3,
    }


def test_an_answer_out_of_range_is_refused(closed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        follow_up_answer(
            follow_up=closed.follow_up, side="mentee", situation="employed",
            still_in_contact=True, usefulness=7,
        )  # fmt: skip
    assert not FollowUpAnswer.objects.exists()


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_link_alone_opens_the_questionnaire_for_anyone_holding_it(
    cast, closed, client_as, role
):
    response = client_as(cast.users()[role]).get(url_for(closed))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="usefulness"' in page
    assert "Mentorat interculturel" in page
    # The page names no one: whoever sees the link learns nothing about the people.
    for private in ("Amina", "Marek", "Outcome note", CANARY):
        assert private not in page


@pytest.mark.parametrize("role", ROLES)
def test_a_forged_link_is_refused_for_everyone(cast, closed, client_as, role):
    client = client_as(cast.users()[role])
    response = client.get(forged(closed))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert client.post(forged(closed), ANSWER).status_code == 404
    assert not FollowUpAnswer.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_an_answer_through_the_link_is_stored_whoever_is_logged_in(cast, closed, client_as, role):
    response = client_as(cast.users()[role]).post(url_for(closed, "mentor"), ANSWER)
    assert response.status_code == 302
    answer = FollowUpAnswer.objects.get()
    assert answer.side == "mentor"  # the link says who answers, not the session


def test_the_answers_are_stored_and_shown_to_the_coordinator(cast, closed, client):
    response = client.post(url_for(closed), ANSWER, follow=True)
    assert "Thank you, your answer is recorded" in response.content.decode()
    answer = FollowUpAnswer.objects.get()
    assert (answer.side, answer.situation, answer.still_in_contact, answer.usefulness) == (
        "mentee",
        "employed",
        True,
        5,
    )
    assert answer.comment == "Found a job as a cook"

    client.force_login(cast.carla)
    with translation.override("en"):
        page = client.get(reverse("duos:close", args=[closed.pk])).content.decode()
    assert "Found a job as a cook" in page
    assert "Working" in page


def test_a_second_answer_is_refused_kindly(closed, client):
    client.post(url_for(closed), ANSWER)
    response = client.post(url_for(closed), {**ANSWER, "usefulness": "1"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "already recorded" in page
    assert 'name="usefulness"' not in page
    assert FollowUpAnswer.objects.get().usefulness == 5


def test_an_incomplete_questionnaire_is_refused_with_a_message(closed, client):
    response = client.post(url_for(closed), {"comment": "only a comment"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please answer the questions marked below" in page
    assert "only a comment" in page
    assert not FollowUpAnswer.objects.exists()


def test_the_answer_of_one_side_leaves_the_other_sides_link_open(closed, client):
    client.post(url_for(closed, "mentee"), ANSWER)
    assert 'name="usefulness"' in client.get(url_for(closed, "mentor")).content.decode()


def test_the_link_works_before_the_due_date_and_three_months_later(closed, client):
    assert closed.follow_up.due_on == add_months(timezone.localdate(), 3)
    assert client.get(url_for(closed)).status_code == 200
    later = datetime.datetime.combine(
        closed.follow_up.due_on, datetime.time(10), tzinfo=datetime.UTC
    )
    with time_machine.travel(later, tick=False):
        assert client.post(url_for(closed, "mentor"), ANSWER).status_code == 302
        assert FollowUpAnswer.objects.get().answered_at == later


def test_the_link_expires_its_lifetime_after_the_e_mail(closed, client, settings):
    sent = timezone.now()
    with time_machine.travel(sent, tick=False):
        url = url_for(closed)
    lifetime = datetime.timedelta(days=settings.FOLLOW_UP_LINK_DAYS)
    with time_machine.travel(sent + lifetime - datetime.timedelta(minutes=1), tick=False):
        assert 'name="usefulness"' in client.get(url).content.decode()
    with time_machine.travel(sent + lifetime + datetime.timedelta(minutes=1), tick=False):
        response = client.get(url)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
        assert client.post(url, ANSWER).status_code == 404
    assert not FollowUpAnswer.objects.exists()


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("uk", "ltr"), ("fr", "ltr")])
def test_the_questionnaire_opens_in_the_language_of_the_link(closed, client, lang, direction):
    page = client.get(url_for(closed, lang=lang)).content.decode()
    assert f'lang="{lang}" dir="{direction}"' in page


def test_the_questionnaire_is_not_cached(closed, client):
    assert "no-cache" in client.get(url_for(closed))["Cache-Control"]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_a_phone_answers_the_questionnaire_in_arabic(closed, live_server, page_factory):
    page = page_factory(width=360, height=740, locale="ar")
    page.goto(live_server.url + url_for(closed, lang="ar"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator('input[name="situation"][value="training"]').check()
    page.locator('input[name="still_in_contact"][value="no"]').check()
    page.locator('input[name="usefulness"][value="4"]').check()
    page.screenshot(path="/tmp/follow_up_form_ar_360.png", full_page=True)
    page.locator('button[type="submit"]').click()
    page.wait_for_selector(".thanks")
    page.screenshot(path="/tmp/follow_up_ar_360.png", full_page=True)
    answer = FollowUpAnswer.objects.get()
    assert (answer.situation, answer.still_in_contact, answer.usefulness) == ("training", False, 4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
