import datetime

import pytest
from django.core import mail
from django.utils import timezone

from binome.community import services
from binome.community.models import Activity, Invitation
from binome.community.tests.helpers import data, en, form_post, plan
from binome.core.errors import EditConflict, Refused
from binome.people.models import Participant
from binome.testing import ROLES, STAFF_ONLY, add_person


def test_planning_invites_the_whole_audience_once(cast):
    activity = plan(cast)
    invited = set(activity.invitations.values_list("participant_id", flat=True))
    assert invited == {cast.marek_participant.pk, cast.amina_participant.pk}
    assert services.activity_invite(activity=activity) == 0
    assert activity.invitations.count() == 2


def test_an_audience_of_mentors_leaves_out_the_mentees_and_other_organisations(cast):
    activity = plan(cast, audience="mentors")
    assert list(activity.invitations.values_list("participant_id", flat=True)) == [
        cast.marek_participant.pk
    ]


def test_an_activity_in_the_past_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(Refused, match="past"):
        plan(cast, starts_at=timezone.now() - datetime.timedelta(hours=1))
    assert not Activity.objects.exists()


def test_an_activity_needs_a_place_or_a_video_link(cast):
    with pytest.raises(Refused, match="video link"):
        plan(cast, address="")
    assert plan(cast, address="", video_link="https://meet.example/x").pk


def test_programmes_of_another_organisation_are_refused(cast):
    with pytest.raises(Refused):
        plan(cast, programmes=[cast.programme_b])


def test_capacity_below_those_coming_is_refused(cast):
    activity = plan(cast)
    for invitation in activity.invitations.all():
        services.invitation_answer(invitation=invitation, answer="yes", actor=None)
    with pytest.raises(Refused, match="2 people are already coming"):
        services.activity_update(
            actor=cast.carla,
            activity=activity,
            version=activity.version,
            data=data(cast, capacity=1),
        )
    activity.refresh_from_db()
    assert activity.capacity is None


def test_a_stale_edit_is_refused(cast):
    activity = plan(cast)
    services.activity_update(actor=cast.carla, activity=activity, version=1, data=data(cast))
    with pytest.raises(EditConflict):
        services.activity_update(actor=cast.carla, activity=activity, version=1, data=data(cast))


def test_a_full_activity_puts_the_next_yes_on_the_waiting_list_and_promotes_it(cast):
    activity = plan(cast, capacity=1)
    marek = activity.invitations.get(participant=cast.marek_participant)
    amina = activity.invitations.get(participant=cast.amina_participant)
    services.invitation_answer(invitation=marek, answer="yes", actor=None)
    amina = services.invitation_answer(invitation=amina, answer="yes", actor=None)
    assert amina.waiting_since is not None and not amina.coming
    services.invitation_answer(invitation=marek, answer="no", actor=None)
    amina.refresh_from_db()
    assert amina.coming and amina.promoted_at is not None


def test_attendance_records_who_came_also_without_an_answer(cast):
    activity = plan(cast)
    services.attendance_mark(
        actor=cast.carla,
        activity=activity,
        came=[cast.amina_participant.pk, cast.canary_participant.pk],
    )
    came = set(activity.invitations.filter(attended=True).values_list("participant_id", flat=True))
    # Someone of another organisation cannot be marked.
    assert came == {cast.amina_participant.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["list", "new", "detail", "edit", "attendance"])
def test_only_the_organisations_staff_open_the_activity_pages(cast, client_as, role, name):
    activity = plan(cast)
    args = [] if name in ("list", "new") else [activity.pk]
    response = client_as(cast.users()[role]).get(en(f"community:{name}", *args))
    expected = STAFF_ONLY[role]
    if role == "outsider" and not args:
        # Olga coordinates her own organisation: she gets its pages, never Hors Pistes' rows.
        expected = 200
        assert activity.title not in response.content.decode()
        assert cast.programme.name not in response.content.decode()
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_invited_person_opens_her_invitation(cast, client_as, role):
    activity = plan(cast)
    invitation = activity.invitations.get(participant=cast.amina_participant)
    response = client_as(cast.users()[role]).get(en("community:invitation", invitation.pk))
    expected = {"anonymous": 302, "mentee": 200}.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_my_activities_is_for_participants(cast, client_as, role):
    response = client_as(cast.users()[role]).get(en("community:mine"))
    expected = {"anonymous": 302, "mentee": 200, "mentor": 200}.get(role, 404)
    assert response.status_code == expected


def test_the_coordinator_plans_an_activity_from_the_form(cast, client_as):
    cast.org_a.content_languages = ["fr", "ar", "uk"]
    cast.org_a.save(update_fields=["content_languages"])
    client = client_as(cast.carla)
    post = form_post(programmes=[cast.programme.pk], title__ar="نزهة")
    response = client.post(en("community:new"), post)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.translations == {"title": {"ar": "نزهة"}}
    assert activity.invitations.count() == 2


def test_the_form_keeps_the_input_when_the_date_is_past(cast, client_as):
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    post = form_post(programmes=[cast.programme.pk], starts_at=past, title="Ma sortie")
    response = client_as(cast.carla).post(en("community:new"), post)
    assert response.status_code == 200
    assert "past" in response.content.decode() and "Ma sortie" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_form_refuses_capacity_below_those_coming(cast, client_as):
    activity = plan(cast)
    for invitation in activity.invitations.all():
        services.invitation_answer(invitation=invitation, answer="yes", actor=None)
    post = form_post(activity, programmes=[cast.programme.pk], capacity="1")
    response = client_as(cast.carla).post(en("community:edit", activity.pk), post)
    assert response.status_code == 200
    assert "already coming" in response.content.decode()


def test_the_mentee_answers_in_one_tap_from_her_space(cast, client_as):
    activity = plan(cast)
    invitation = activity.invitations.get(participant=cast.amina_participant)
    response = client_as(cast.amina).post(
        en("community:invitation", invitation.pk), {"answer": "yes"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "yes"


def test_the_detail_page_lists_people_to_phone(cast, client_as):
    add_person(cast, Participant.Role.MENTEE, "Nadia", email="")
    activity = plan(cast)
    page = client_as(cast.carla).get(en("community:detail", activity.pk)).content.decode()
    assert "To phone" in page and "Nadia" in page


def test_attendance_from_the_phone_form(cast, client_as):
    activity = plan(cast)
    response = client_as(cast.carla).post(
        en("community:attendance", activity.pk), {"came": [cast.amina_participant.pk, "x"]}
    )
    assert response.status_code == 302
    assert list(
        Invitation.objects.filter(attended=True).values_list("participant_id", flat=True)
    ) == [cast.amina_participant.pk]
    assert mail.outbox == []
