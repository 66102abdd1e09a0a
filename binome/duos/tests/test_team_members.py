"""Every member of a city-to-city team may get an account and read the team's duo.

The representative answers and signs for the team; the other members read the duo, its visits
and its action plan, and change nothing.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import Membership, User
from binome.duos.models import Duo, Objective, Visit
from binome.duos.services.common import duo_start
from binome.people import invitations, services
from binome.people.models import Participant, TeamMember
from binome.people.services import MemberFields
from binome.programmes.models import Programme
from binome.testing import ROLES, STAFF_ONLY

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def team(cast, name: str, role: str, members: list[MemberFields]) -> Participant:
    return services.participant_create(
        programme=cast.programme,
        role=role,
        kind=Participant.Kind.TEAM,
        team_name=name,
        status=Participant.Status.MATCHED,
        members=members,
    )


@pytest.fixture
def city(cast):
    """Capaci (mentee city) paired with Mechelen (mentor city), one visit and one objective."""
    Programme.objects.filter(pk=cast.programme.pk).update(kind=Programme.Kind.CITY_TO_CITY)
    cast.programme.refresh_from_db()
    capaci = team(
        cast,
        "Capaci",
        "mentee",
        [
            {"name": "Rita Rossi", "email": "rita@capaci.example", "is_representative": True},
            {"name": "Marco Bianchi", "email": "marco@capaci.example"},
            {"name": "No Mail"},
        ],
    )
    mechelen = team(
        cast,
        "Mechelen",
        "mentor",
        [{"name": "Jan Peeters", "email": "jan@mechelen.example", "is_representative": True}],
    )
    duo = Duo.objects.create(programme=cast.programme, mentor=mechelen, mentee=capaci)
    duo_start(duo=duo, actor=cast.carla)
    day = timezone.localdate()
    Visit.objects.create(duo=duo, host="mentee", city="Capaci", starts_on=day, ends_on=day)
    Objective.objects.create(duo=duo, title="A welcome desk for newcomers")
    return duo


def marco(city) -> TeamMember:
    return city.mentee.members.get(name="Marco Bianchi")


def invited(cast, member: TeamMember) -> User:
    return invitations.team_member_invite(member=member, actor=cast.carla)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_staff_may_give_a_member_an_account(
    cast, city, client_as, role, django_capture_on_commit_callbacks
):
    member = marco(city)
    url = en("people:member_invite", cast.programme.pk, city.mentee.pk, member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(cast.users()[role]).post(url)
    allowed = STAFF_ONLY[role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    member.refresh_from_db()
    assert (member.user_id is not None) == allowed
    assert len(mail.outbox) == (1 if allowed else 0)
    if allowed:
        assert mail.outbox[0].to == ["marco@capaci.example"]
        assert "Marco Bianchi" in mail.outbox[0].body


def test_a_member_without_an_e_mail_address_is_told_to_add_one(cast, city):
    member = city.mentee.members.get(name="No Mail")
    with pytest.raises(invitations.Refused):
        invited(cast, member)


def test_an_account_of_another_organisation_is_not_linked(cast, city):
    User.objects.create_user(email="marco@capaci.example", password="x", full_name="Marco")
    Membership.objects.create(
        user=User.objects.get(email="marco@capaci.example"),
        organisation=cast.org_b,
        role=Membership.Role.COORDINATOR,
    )
    with pytest.raises(invitations.Refused):
        invited(cast, marco(city))
    assert marco(city).user_id is None


def test_a_member_reads_the_teams_duo_its_visits_and_its_action_plan(cast, city, client_as):
    client = client_as(invited(cast, marco(city)))
    page = client.get(en("duos:detail", city.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mechelen" in body and "A welcome desk for newcomers" in body
    assert "representative answers and signs" in body
    plan = client.get(en("duos:plan", city.pk)).content.decode()
    assert "A welcome desk for newcomers" in plan
    assert "Add an objective" not in plan
    visits = client.get(en("duos:visits", city.pk)).content.decode()
    assert "Capaci" in visits and "Record a visit" not in visits
    objective = city.objectives.get()
    history = client.get(en("duos:objective_history", city.pk, objective.pk))
    assert history.status_code == 200


def test_a_member_changes_nothing(cast, city, client_as):
    client = client_as(invited(cast, marco(city)))
    objective = city.objectives.get()
    assert client.post(en("duos:plan", city.pk), {"title": "Mine"}).status_code == 404
    for name, args in [
        ("duos:objective_edit", (city.pk, objective.pk)),
        ("duos:visit_new", (city.pk,)),
        ("duos:meeting_new", (city.pk,)),
        ("duos:meetings", (city.pk,)),
        ("duos:agreement", (city.pk,)),
        ("duos:checkin", (city.pk,)),
        ("duos:feedback", (city.pk,)),
    ]:
        assert client.get(en(name, *args)).status_code == 404, name
    assert city.objectives.count() == 1


def test_a_members_menu_leads_to_the_teams_duo(cast, city, client_as):
    client = client_as(invited(cast, marco(city)))
    response = client.get(en("duos:mine"))
    assert response.status_code == 302
    assert response["Location"] == en("duos:detail", city.pk)


def test_a_member_of_another_team_sees_nothing_of_this_duo(cast, city, client_as):
    other = team(cast, "Elsewhere", "mentee", [{"name": "Eve", "email": "eve@else.example"}])
    client = client_as(invited(cast, other.members.get()))
    assert client.get(en("duos:detail", city.pk)).status_code == 404
    assert client.get(en("duos:plan", city.pk)).status_code == 404


def test_a_member_keeps_their_account_when_the_team_is_edited(cast, city):
    user = invited(cast, marco(city))
    services.team_members_replace(
        participant=city.mentee,
        members=[
            {"name": "Rita Rossi", "email": "rita@capaci.example", "is_representative": True},
            {"name": "Marco B.", "email": "MARCO@capaci.example"},
        ],
        actor=cast.carla,
    )
    assert city.mentee.members.get(name="Marco B.").user == user


def test_the_representative_still_speaks_for_the_team(cast, city, client_as):
    rita = city.mentee.members.get(name="Rita Rossi")
    client = client_as(invited(cast, rita))
    page = client.get(en("duos:plan", city.pk)).content.decode()
    assert "Add an objective" in page
