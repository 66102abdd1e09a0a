import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from binome.community import services
from binome.community.models import Invitation
from binome.community.tests.helpers import en, plan
from binome.community.tokens import answer_path
from binome.notifications.dispatch import notifications_run
from binome.notifications.models import Kind
from binome.notifications.services import opt_out_add
from binome.people.models import Participant
from binome.testing import ROLES, add_person


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notifications_run(**kwargs)

    return go


def sent(kind):
    return [m for m in mail.outbox if m.extra_headers.get("X-Binome-Notification") == kind]


def test_invitations_go_once_in_each_persons_language_with_the_calendar_file(cast, run):
    Participant.objects.filter(pk=cast.amina_participant.pk).update(language="ar")
    plan(cast)
    run()
    run()
    messages = {m.to[0]: m for m in sent(Kind.ACTIVITY)}
    assert sorted(messages) == ["amina@a.example", "marek@a.example"]
    amina = messages["amina@a.example"]
    assert "نزهة للتعارف" in amina.subject
    assert "/ar/activities/answer/" in amina.body
    assert amina.attachments[0][0] == "activity.ics"
    assert "BEGIN:VEVENT" in str(amina.attachments[0][1])


def test_an_opt_out_stops_invitations(cast, run):
    opt_out_add(owner=cast.marek_participant, kind=Kind.ACTIVITY)
    plan(cast)
    run()
    assert [m.to[0] for m in sent(Kind.ACTIVITY)] == ["amina@a.example"]


def test_a_reminder_leaves_the_day_before_to_those_coming(cast, run):
    activity = plan(cast)
    invitation = activity.invitations.get(participant=cast.marek_participant)
    services.invitation_answer(invitation=invitation, answer="yes", actor=None)
    run()
    mail.outbox.clear()
    with time_machine.travel(activity.starts_at - datetime.timedelta(hours=20)):
        run()
    reminders = sent(Kind.ACTIVITY)
    assert [m.to[0] for m in reminders] == ["marek@a.example"]
    assert "Tomorrow" in reminders[0].subject


def test_the_promoted_person_is_told(cast, run):
    activity = plan(cast, capacity=1)
    marek = activity.invitations.get(participant=cast.marek_participant)
    amina = activity.invitations.get(participant=cast.amina_participant)
    services.invitation_answer(invitation=marek, answer="yes", actor=None)
    services.invitation_answer(invitation=amina, answer="yes", actor=None)
    run()
    mail.outbox.clear()
    services.invitation_answer(invitation=marek, answer="no", actor=None)
    run()
    assert [m.to[0] for m in sent(Kind.ACTIVITY)] == ["amina@a.example"]
    assert "seat" in sent(Kind.ACTIVITY)[0].subject


def test_the_e_mail_link_answers_after_one_confirmation_and_a_bare_get_changes_nothing(
    cast, client
):
    activity = plan(cast)
    invitation = activity.invitations.get(participant=cast.amina_participant)
    path = en_path(invitation, "yes")
    assert client.get(path).status_code == 200
    invitation.refresh_from_db()
    assert invitation.answer == ""
    response = client.post(path)
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.answer == "yes"


def en_path(invitation, answer):
    from django.utils import translation

    with translation.override("en"):
        return answer_path(invitation, answer)


def test_a_forged_link_is_refused(cast, client):
    activity = plan(cast)
    invitation = activity.invitations.get(participant=cast.amina_participant)
    path = en_path(invitation, "yes")
    assert client.get(path[:-5] + "xxxx/").status_code == 404
    assert client.post(path[:-5] + "xxxx/").status_code == 404
    assert Invitation.objects.filter(answer="yes").count() == 0


def test_people_without_e_mail_are_not_sent_anything_and_are_to_be_phoned(cast, run):
    add_person(cast, Participant.Role.MENTEE, "Nadia", email="")
    plan(cast)
    run()
    assert len(sent(Kind.ACTIVITY)) == 2
    from binome.community.selectors import activities_for_staff, to_phone_count

    assert to_phone_count(activities_for_staff(cast.carla)) == 1


def test_an_announcement_reaches_its_audience_once_in_their_language(cast, run, client_as):
    Participant.objects.filter(pk=cast.marek_participant.pk).update(language="uk")
    announcement = services.announcement_publish(
        actor=cast.carla,
        organisation=cast.org_a,
        programmes=[cast.programme],
        audience="mentors",
        title="Formation lundi",
        body="Venez nombreux",
        translations={"title": {"uk": "Навчання в понеділок"}},
    )
    run()
    run()
    messages = sent(Kind.ANNOUNCEMENT)
    assert [m.to[0] for m in messages] == ["marek@a.example"]
    assert messages[0].subject.strip() == "Навчання в понеділок"
    assert (
        client_as(cast.marek).get(en("community:announcement", announcement.pk)).status_code == 200
    )
    assert (
        client_as(cast.amina).get(en("community:announcement", announcement.pk)).status_code == 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_announcements_page_is_for_staff(cast, client_as, role):
    response = client_as(cast.users()[role]).get(en("community:announcements"))
    expected = {"anonymous": 302, "coordinator": 200, "admin": 200, "outsider": 200}.get(role, 404)
    assert response.status_code == expected


def test_the_participants_space_shows_the_activity_to_answer(cast):
    from binome.core.next_steps import ACTIVITY, participant_steps

    activity = plan(cast)
    steps = [s for s in participant_steps(cast.amina) if s.order == ACTIVITY]
    assert [s.title for s in steps] == [activity.title]
    services.invitation_answer(
        invitation=activity.invitations.get(participant=cast.amina_participant),
        answer="no",
        actor=None,
    )
    assert [s for s in participant_steps(cast.amina) if s.order == ACTIVITY] == []
    assert timezone.now()
