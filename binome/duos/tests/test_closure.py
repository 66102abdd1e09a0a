import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.duos.models import ClosingFeedback, Duo, FollowUp, Meeting, Objective
from binome.duos.periods import add_months
from binome.duos.services.closure import (
    NextStep,
    closing_feedback_give,
    closure_summary,
    duo_close,
)
from binome.duos.services.common import DuoError
from binome.duos.services.plan import objective_create, objective_update
from binome.people.models import Participant
from binome.testing import (
    CANARY,
    PARTIES_AND_STAFF,
    PASSWORD,
    ROLES,
    STAFF_ONLY,
    add_person,
    make_duo,
)

SECRET_NOTE = "Outcome note only coordinators read"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def running(cast):
    """Marek and Amina's duo, two months into the mentoring."""
    return make_duo(cast, started_on=days_ago(60))


def close(duo, actor, **overrides) -> Duo:
    fields = {
        "reason": Duo.CloseReason.WORK_OR_TRAINING,
        "closed_on": timezone.localdate(),
        "outcomes": [Duo.Outcome.EMPLOYMENT, Duo.Outcome.LANGUAGE],
        "outcome_notes": SECRET_NOTE,
        "mentor_next": NextStep.POOL,
        "mentee_next": NextStep.LEAVE,
    }
    return duo_close(duo=duo, actor=actor, **{**fields, **overrides})


def status_of(participant) -> str:
    return Participant.objects.get(pk=participant.pk).status


# --- the service ---------------------------------------------------------------------------


def test_an_early_closure_records_the_outcome_and_schedules_the_follow_up(cast, running):
    close(running, cast.carla)
    duo = Duo.objects.get(pk=running.pk)
    assert duo.status == Duo.Status.CLOSED
    assert duo.planned_end_on is not None
    assert duo.closed_on == timezone.localdate() < duo.planned_end_on
    assert duo.close_reason == Duo.CloseReason.WORK_OR_TRAINING
    assert duo.outcomes == ["employment", "language"]
    assert duo.outcome_notes == SECRET_NOTE
    assert duo.closed_by == cast.carla
    assert duo.follow_up.due_on == add_months(timezone.localdate(), 3)
    event = AuditEvent.objects.get(action="duo.close")
    assert event.target_id == str(duo.pk)
    assert SECRET_NOTE not in str(event.detail)


def test_each_participant_goes_where_the_coordinator_chose(cast, running):
    close(running, cast.carla, mentor_next=NextStep.POOL, mentee_next=NextStep.LEAVE)
    assert status_of(cast.marek_participant) == Participant.Status.READY
    assert status_of(cast.amina_participant) == Participant.Status.CLOSED


def test_an_active_participant_returns_to_the_pool_through_closed(cast, running):
    Participant.objects.filter(pk=cast.amina_participant.pk).update(
        status=Participant.Status.ACTIVE
    )
    running.mentee.refresh_from_db()
    close(running, cast.carla, mentee_next=NextStep.POOL, mentor_next=NextStep.LEAVE)
    amina = Participant.objects.get(pk=cast.amina_participant.pk)
    assert amina.status == Participant.Status.READY
    steps = list(amina.status_changes.values_list("to_status", flat=True))
    assert steps[-2:] == [Participant.Status.CLOSED, Participant.Status.READY]
    assert status_of(cast.marek_participant) == Participant.Status.CLOSED


def test_a_mentor_with_another_open_duo_stays_matched(cast, running):
    nadia = add_person(cast, Participant.Role.MENTEE, "Nadia", status=Participant.Status.MATCHED)
    Duo.objects.create(programme=cast.programme, mentor=cast.marek_participant, mentee=nadia)
    close(running, cast.carla, mentor_next=NextStep.POOL)
    assert status_of(cast.marek_participant) == Participant.Status.MATCHED


def test_a_mentor_with_another_open_duo_cannot_leave_the_programme(cast, running):
    nadia = add_person(cast, Participant.Role.MENTEE, "Nadia", status=Participant.Status.MATCHED)
    Duo.objects.create(programme=cast.programme, mentor=cast.marek_participant, mentee=nadia)
    with translation.override("en"), pytest.raises(DuoError, match="another open duo"):
        close(running, cast.carla, mentor_next=NextStep.LEAVE)
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.STARTING
    assert not FollowUp.objects.exists()


def test_closing_twice_is_refused(cast, running):
    close(running, cast.carla)
    again = Duo.objects.get(pk=running.pk)
    with translation.override("en"), pytest.raises(DuoError, match="already closed"):
        close(again, cast.adam, reason=Duo.CloseReason.OTHER)
    assert Duo.objects.get(pk=running.pk).close_reason == Duo.CloseReason.WORK_OR_TRAINING
    assert FollowUp.objects.count() == 1


@pytest.mark.parametrize(
    ("closed_on", "message"),
    [
        (lambda duo: duo.started_on - datetime.timedelta(days=1), "before the duo's start"),
        (lambda duo: timezone.localdate() + datetime.timedelta(days=1), "in the future"),
    ],
    ids=["before-start", "future"],
)
def test_a_closing_date_out_of_bounds_is_refused_and_nothing_saved(
    cast, running, closed_on, message
):
    with translation.override("en"), pytest.raises(DuoError, match=message):
        close(running, cast.carla, closed_on=closed_on(running))
    duo = Duo.objects.get(pk=running.pk)
    assert (duo.status, duo.closed_on, duo.close_reason, duo.outcomes) == ("starting", None, "", [])
    assert not FollowUp.objects.exists()
    assert status_of(cast.marek_participant) == Participant.Status.MATCHED
    assert status_of(cast.amina_participant) == Participant.Status.MATCHED


def test_a_duo_that_ran_past_its_planned_end_closes_on_the_real_day(cast):
    duo = make_duo(cast, started_on=add_months(timezone.localdate(), -8))
    assert duo.planned_end_on < timezone.localdate()
    close(duo, cast.carla, reason=Duo.CloseReason.COMPLETED)
    assert Duo.objects.get(pk=duo.pk).closed_on == timezone.localdate()


@pytest.mark.parametrize(
    "bad",
    [{"reason": "bored"}, {"outcomes": ["lottery"]}, {"mentee_next": "moon"}],
    ids=["reason", "outcome", "next"],
)
def test_unknown_choices_are_refused(cast, running, bad):
    with pytest.raises(DuoError):
        close(running, cast.carla, **bad)
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.STARTING


@pytest.mark.parametrize("who", ["marek", "amina", "vera", "olga"])
def test_only_the_organisations_staff_close_a_duo(cast, running, who):
    with pytest.raises(DuoError):
        close(running, getattr(cast, who))
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.STARTING


def test_closing_cancels_the_meetings_still_to_come(cast, running):
    later = Meeting.objects.create(
        duo=running,
        status=Meeting.Status.PLANNED,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    held = Meeting.objects.create(
        duo=running, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    close(running, cast.carla)
    later.refresh_from_db()
    held.refresh_from_db()
    assert (later.status, later.version) == (Meeting.Status.CANCELLED, 2)
    assert held.status == Meeting.Status.HELD


def test_each_side_gives_feedback_once(cast, running):
    close(running, cast.carla)
    closing_feedback_give(duo=running, side="mentee", actor=cast.amina, rating=5, best="CV")
    closing_feedback_give(duo=running, side="mentor", actor=cast.marek, rating=4)
    with translation.override("en"), pytest.raises(DuoError, match="already recorded"):
        closing_feedback_give(duo=running, side="mentee", actor=cast.amina, rating=1)
    assert dict(ClosingFeedback.objects.values_list("side", "rating")) == {
        "mentee": 5,
        "mentor": 4,
    }


def test_feedback_waits_for_the_closure(cast, running):
    with translation.override("en"), pytest.raises(DuoError, match="once the duo is closed"):
        closing_feedback_give(duo=running, side="mentee", actor=cast.amina, rating=5)
    assert not ClosingFeedback.objects.exists()


@pytest.mark.parametrize(
    ("who", "side"),
    [("marek", "mentee"), ("amina", "mentor"), ("carla", "mentee"), ("olga", "mentor")],
)
def test_only_the_side_itself_gives_its_feedback(cast, running, who, side):
    close(running, cast.carla)
    with pytest.raises(DuoError):
        closing_feedback_give(duo=running, side=side, actor=getattr(cast, who), rating=3)
    assert not ClosingFeedback.objects.exists()


def test_a_rating_out_of_range_is_refused(cast, running):
    close(running, cast.carla)
    with pytest.raises(ValidationError):
        closing_feedback_give(duo=running, side="mentee", actor=cast.amina, rating=9)
    assert not ClosingFeedback.objects.exists()


def test_the_summary_shows_a_party_only_their_own_side_and_no_outcome_notes(cast, running):
    close(running, cast.carla)
    closing_feedback_give(duo=running, side="mentee", actor=cast.amina, rating=5)
    closing_feedback_give(duo=running, side="mentor", actor=cast.marek, rating=2)
    mine = closure_summary(running, side="mentor")
    assert "outcome_notes" not in mine
    assert list(mine["feedback"]) == ["mentor"]
    mentor = mine["feedback"]["mentor"]
    assert mentor is not None and mentor.rating == 2
    everything = closure_summary(running, staff=True)
    assert everything["outcome_notes"] == SECRET_NOTE
    mentee = everything["feedback"]["mentee"]
    assert mentee is not None and mentee.rating == 5
    assert everything["follow_up_due"] == add_months(timezone.localdate(), 3)
    assert closure_summary(running)["feedback"] == {}


def test_the_summary_of_an_open_duo_says_so(running):
    assert closure_summary(running, staff=True) == {"closed": False}


# --- the closing page ------------------------------------------------------------------------


def close_url(duo, lang="en") -> str:
    with translation.override(lang):
        return reverse("duos:close", args=[duo.pk])


def feedback_url(duo, lang="en") -> str:
    with translation.override(lang):
        return reverse("duos:feedback", args=[duo.pk])


def close_form(**overrides) -> dict:
    data = {
        "reason": Duo.CloseReason.GOAL_REACHED,
        "closed_on": timezone.localdate().isoformat(),
        "outcomes": [Duo.Outcome.TRAINING, Duo.Outcome.NETWORK],
        "outcome_notes": SECRET_NOTE,
        "mentor_next": NextStep.POOL,
        "mentee_next": NextStep.POOL,
    }
    return {**data, **overrides}


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_open_the_closing_page(cast, running, client_as, role):
    response = client_as(cast.users()[role]).get(close_url(running))
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Close the duo" in page
        assert CANARY not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_close_through_the_page(cast, running, client_as, role):
    response = client_as(cast.users()[role]).post(close_url(running), close_form())
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert response.status_code == expected
    closed = Duo.objects.get(pk=running.pk).status == Duo.Status.CLOSED
    assert closed == (expected == 302 and role != "anonymous")


def test_the_outsider_cannot_close_another_organisations_duo(cast, running, client_as):
    response = client_as(cast.olga).post(close_url(running), close_form())
    assert response.status_code == 404
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.STARTING


def test_the_closing_page_shows_the_follow_up_date_and_closes(cast, running, client_as):
    client = client_as(cast.carla)
    page = client.get(close_url(running)).content.decode()
    assert "follow-up questionnaire goes out 3 months after" in page
    assert "Marek Nowak" in page and "Amina Haddad" in page
    response = client.post(close_url(running), close_form(), follow=True)
    page = response.content.decode()
    assert "The duo is closed" in page
    assert SECRET_NOTE in page
    duo = Duo.objects.get(pk=running.pk)
    assert duo.outcomes == ["training", "network"]
    assert duo.follow_up.due_on == add_months(timezone.localdate(), 3)
    assert status_of(cast.amina_participant) == Participant.Status.READY


def test_a_future_date_on_the_page_is_refused_with_the_input_kept(cast, running, client_as):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_as(cast.carla).post(close_url(running), close_form(closed_on=tomorrow))
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be in the future" in page
    assert SECRET_NOTE in page  # what the coordinator typed is still there
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.STARTING


def test_a_missing_reason_on_the_page_is_refused(cast, running, client_as):
    response = client_as(cast.carla).post(close_url(running), close_form(reason=""))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.STARTING


def test_closing_twice_through_the_page_is_refused(cast, running, client_as):
    client = client_as(cast.carla)
    client.post(close_url(running), close_form())
    response = client.post(close_url(running), close_form(reason="other"))
    assert "already closed" in response.content.decode()
    assert Duo.objects.get(pk=running.pk).close_reason == Duo.CloseReason.GOAL_REACHED


def test_the_closing_page_works_in_french(cast, running, client_as):
    response = client_as(cast.carla).get(close_url(running, "fr"))
    assert response.status_code == 200


# --- the feedback page -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_feedback_page_is_for_the_duo_and_its_staff(cast, running, client_as, role):
    close(running, cast.carla)
    response = client_as(cast.users()[role]).get(feedback_url(running))
    assert response.status_code == PARTIES_AND_STAFF[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert CANARY not in page
        if role in ("mentee", "mentor"):
            assert SECRET_NOTE not in page
            assert 'name="rating"' in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_sides_themselves_post_feedback(cast, running, client_as, role):
    close(running, cast.carla)
    response = client_as(cast.users()[role]).post(feedback_url(running), {"rating": "4"})
    assert response.status_code == {**PARTIES_AND_STAFF, "mentee": 302, "mentor": 302}[role]
    sides = set(ClosingFeedback.objects.values_list("side", flat=True))
    assert sides == ({role} if role in ("mentee", "mentor") else set())


def test_a_side_sees_its_own_feedback_not_the_others(cast, running, client_as):
    close(running, cast.carla)
    closing_feedback_give(
        duo=running, side="mentor", actor=cast.marek, rating=2, improve="Mentor worry"
    )
    client = client_as(cast.amina)
    page = client.get(feedback_url(running)).content.decode()
    assert "Mentor worry" not in page
    response = client.post(
        feedback_url(running), {"rating": "5", "best": "Amina thanks"}, follow=True
    )
    page = response.content.decode()
    assert "Thank you for your feedback" in page
    assert "Amina thanks" in page
    assert "Mentor worry" not in page
    staff_page = client_as(cast.carla).get(feedback_url(running)).content.decode()
    assert "Amina thanks" in staff_page and "Mentor worry" in staff_page


def test_a_second_feedback_through_the_page_is_refused_kindly(cast, running, client_as):
    close(running, cast.carla)
    client = client_as(cast.amina)
    client.post(feedback_url(running), {"rating": "5"})
    response = client.post(feedback_url(running), {"rating": "1"}, follow=True)
    assert "already recorded" in response.content.decode()
    assert ClosingFeedback.objects.get().rating == 5


def test_feedback_without_a_rating_is_refused(cast, running, client_as):
    close(running, cast.carla)
    response = client_as(cast.marek).post(feedback_url(running), {"best": "x"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ClosingFeedback.objects.exists()


def test_the_feedback_page_of_an_open_duo_asks_to_wait(cast, running, client_as):
    response = client_as(cast.amina).get(feedback_url(running))
    page = response.content.decode()
    assert "not closed yet" in page
    assert 'name="rating"' not in page
    client_as(cast.amina).post(feedback_url(running), {"rating": "5"})
    assert not ClosingFeedback.objects.exists()


@pytest.mark.parametrize("lang", ["fr", "ar", "uk"])
def test_the_feedback_page_opens_in_a_mentees_language(cast, running, client_as, lang):
    close(running, cast.carla)
    response = client_as(cast.amina).get(feedback_url(running, lang))
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()


# --- in a real browser -----------------------------------------------------------------------


def log_in(page, base, lang, email, next_url):
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email=email).update(language=lang)
    page.goto(f"{base}/{lang}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_url}")


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_coordinator_closes_and_the_mentee_gives_feedback_on_a_phone(
    cast, running, live_server, page_factory
):
    base = live_server.url
    desk = page_factory(width=1280, height=900, locale="en-GB")
    log_in(desk, base, "en", "carla@a.example", close_url(running))
    desk.select_option("#id_reason", Duo.CloseReason.WORK_OR_TRAINING)
    desk.check(f"input[name=outcomes][value={Duo.Outcome.EMPLOYMENT}]")
    desk.fill("#id_outcome_notes", SECRET_NOTE)
    desk.screenshot(path="/tmp/close_form.png", full_page=True)
    desk.click("form.close-form button[type=submit]")
    desk.wait_for_selector(".closure-summary")
    desk.screenshot(path="/tmp/close_done.png", full_page=True)
    assert Duo.objects.get(pk=running.pk).status == Duo.Status.CLOSED

    phone = page_factory(width=360, height=740, locale="ar")
    log_in(phone, base, "ar", "amina@a.example", feedback_url(running, "ar"))
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert SECRET_NOTE not in phone.content()
    phone.check("input[name=rating][value='5']")
    phone.fill("#id_best", "CV")
    phone.click("form.feedback-form button[type=submit]")
    phone.wait_for_selector(".thanks")
    phone.screenshot(path="/tmp/feedback_ar_360.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert ClosingFeedback.objects.get().rating == 5


@pytest.mark.django_db(transaction=True)
def test_an_edit_made_while_a_closure_commits_waits_for_it_and_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: row locks are only meaningful on PostgreSQL")
    from binome.testing import make_cast

    cast = make_cast()
    duo = make_duo(cast, started_on=days_ago(60))
    objective = objective_create(duo=duo, actor=cast.marek, title="CV", need="employment")
    # The edit's request loaded the duo and its objective while the duo was open.
    stale = Objective.objects.select_related("duo").get(pk=objective.pk)
    closing, release = threading.Event(), threading.Event()
    outcome: dict[str, str | list[str]] = {}

    def closure():
        try:
            with transaction.atomic():
                close(Duo.objects.get(pk=duo.pk), cast.carla)
                closing.set()  # closed, not yet committed
                release.wait(10)
        finally:
            connection.close()

    def edit():
        try:
            closing.wait(10)
            objective_update(objective=stale, actor=cast.marek, expected_version=1, title="Late")
            outcome["edit"] = "saved"
        except DuoError as error:
            outcome["edit"] = error.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=closure), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    closing.wait(10)
    threads[1].join(0.5)  # the edit is waiting for the closure's lock on the duo
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcome["edit"] == ["Ce binôme est clôturé\xa0: rien ne peut être ajouté ni modifié."]
    assert Objective.objects.get(pk=objective.pk).title == "CV"
