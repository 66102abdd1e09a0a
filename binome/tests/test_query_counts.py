"""Every list page needs as many queries for 3 rows as for 30: no query per row (N+1).

For each page, the count is taken with a few rows, then the page must render many more rows in
exactly that many queries (django_assert_num_queries), and show them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.audit import audit
from binome.duos.models import CheckIn, Duo, Meeting, Objective
from binome.matching.models import Proposal
from binome.people import services as people_services
from binome.people.models import Participant, StatusChange
from binome.programmes.models import Programme
from binome.testing import make_duo

FEW, MANY = 3, 30


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def queries(client, url: str) -> int:
    client.get(url)  # the session and caches warmed
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def same_count(client, url, grow, django_assert_num_queries, marker: str) -> None:
    """Count the page's queries now, add rows with grow(), and expect the same count."""
    few = queries(client, url)
    shown_before = client.get(url).content.decode().count(marker)
    grow()
    client.get(url)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    shown = response.content.decode().count(marker)
    assert shown >= shown_before + MANY - FEW, (shown_before, shown)


def programmes(cast, start: int, stop: int, **fields) -> None:
    for i in range(start, stop):
        Programme.objects.create(
            organisation=cast.org_a, name=f"Programme Q{i:02}", slug=f"q{i}", kind="intercultural",
            mode="in_person", duration_months=6, **fields,
        )  # fmt: skip


def test_the_programme_list(cast, client_as, django_assert_num_queries):
    programmes(cast, 0, FEW)
    same_count(
        client_as(cast.adam), en("programmes:list"),
        lambda: programmes(cast, FEW, MANY), django_assert_num_queries, "Programme Q",
    )  # fmt: skip


def test_the_public_directory(cast, client, django_assert_num_queries):
    listed = {"listed": True, "applications_open": True, "languages": ["fr", "ar"]}
    programmes(cast, 0, FEW, **listed)
    same_count(
        client, en("programmes:directory"),
        lambda: programmes(cast, FEW, MANY, **listed), django_assert_num_queries, "Programme Q",
    )  # fmt: skip


def people(cast, start: int, stop: int, role: str, status: str = "ready") -> list[Participant]:
    made = []
    for i in range(start, stop):
        made.append(
            people_services.participant_create(
                programme=cast.programme, first_name=f"Row{role}{i:02}", last_name="Query",
                role=role, languages={"fr": "native", "ar": "B1"}, city="Marseille",
                availability=["mon_ev", "tue_ev"], needs=["language"],
                offers=["language"] if role == "mentor" else [],
            )
        )  # fmt: skip
    Participant.objects.filter(pk__in=[p.pk for p in made]).update(status=status)
    return made


def test_the_audit_screen(cast, client_as, django_assert_num_queries):
    def events(start, stop):
        for person in people(cast, start, stop, "mentee", "applied"):
            audit(actor=cast.carla, organisation=cast.org_a, action="participant.view",
                  target=person)  # fmt: skip

    events(0, FEW)
    same_count(
        client_as(cast.adam), en("privacy:audit", cast.org_a.pk),
        lambda: events(FEW, MANY), django_assert_num_queries, "Rowmentee",
    )  # fmt: skip


# The matching page shows a run's stored rows: binome/matching/tests/test_runs.py counts its
# queries at 5 and at 150 rows.


def test_a_mentee_s_proposals(cast, client_as, django_assert_num_queries):
    def proposals(start, stop):
        for i, mentor in enumerate(people(cast, start, stop, "mentor"), start):
            Proposal.objects.create(
                programme=cast.programme, mentee=cast.amina_participant, mentor=mentor, score=70,
                status="pending" if i == 0 else "declined",
            )  # fmt: skip

    proposals(0, FEW)
    same_count(
        client_as(cast.amina), en("matching:my_proposals"),
        lambda: proposals(FEW, MANY), django_assert_num_queries, 'class="card"',
    )  # fmt: skip


@pytest.mark.parametrize("user", ["carla", "amina"])
def test_a_duo_s_meetings(cast, client_as, django_assert_num_queries, user):
    duo = make_duo(cast)

    def meetings(start, stop):
        for i in range(start, stop):
            Meeting.objects.create(
                duo=duo, starts_at=timezone.now() - datetime.timedelta(hours=i + 1),
                place=f"Place Q{i:02}", logged_by=cast.marek if i % 2 else cast.amina,
            )  # fmt: skip

    meetings(0, FEW)
    same_count(
        client_as(getattr(cast, user)), en("duos:meetings", duo.pk),
        lambda: meetings(FEW, MANY), django_assert_num_queries, "Place Q",
    )  # fmt: skip


def test_a_duo_s_action_plan(cast, client_as, django_assert_num_queries):
    duo = make_duo(cast)

    def objectives(start, stop):
        for i in range(start, stop):
            Objective.objects.create(duo=duo, title=f"Objective Q{i:02}")

    objectives(0, FEW)
    same_count(
        client_as(cast.amina), en("duos:plan", duo.pk),
        lambda: objectives(FEW, MANY), django_assert_num_queries, "Objective Q",
    )  # fmt: skip


def test_my_duos_of_a_mentee_with_several(cast, client_as, django_assert_num_queries):
    def closed_duos(start, stop):
        for mentor in people(cast, start, stop, "mentor", "closed"):
            Duo.objects.create(
                programme=cast.programme, mentor=mentor, mentee=cast.amina_participant,
                status="closed", started_on=datetime.date(2025, 1, 1),
                planned_end_on=datetime.date(2025, 7, 1), closed_on=datetime.date(2025, 7, 1),
            )  # fmt: skip

    closed_duos(0, FEW)
    same_count(
        client_as(cast.amina), en("duos:mine"),
        lambda: closed_duos(FEW, MANY), django_assert_num_queries, "Rowmentor",
    )  # fmt: skip


def test_a_duo_s_supervision_page(cast, client_as, django_assert_num_queries):
    duo = make_duo(cast)

    def checkins(start, stop):
        for i in range(start, stop):
            CheckIn.objects.create(
                duo=duo, side="mentee" if i % 2 else "mentor", mood=1 + i % 5,
                comment=f"Comment Q{i:02}", by=cast.amina if i % 2 else cast.marek,
                created_at=timezone.now() - datetime.timedelta(hours=i),
            )  # fmt: skip

    checkins(0, FEW)
    same_count(
        client_as(cast.carla), en("duos:supervision", duo.pk),
        lambda: checkins(FEW, MANY), django_assert_num_queries, "Comment Q",
    )  # fmt: skip


def test_a_participant_s_page_and_its_timeline(cast, client_as, django_assert_num_queries):
    person = cast.marek_participant

    def changes(start, stop):
        for i in range(start, stop):
            StatusChange.objects.create(
                participant=person, from_status="applied", to_status="interviewed",
                by=cast.carla if i % 2 else cast.adam, note=f"Note Q{i:02}",
            )  # fmt: skip

    changes(0, FEW)
    same_count(
        client_as(cast.carla), en("people:detail", cast.programme.pk, person.pk),
        lambda: changes(FEW, MANY), django_assert_num_queries, "Note Q",
    )  # fmt: skip


def test_the_partner_list_and_a_partners_page(cast, client_as, django_assert_num_queries):
    from binome.partners.models import Partner, Referral

    def partners(start: int, stop: int) -> None:
        for i in range(start, stop):
            partner = Partner.objects.create(organisation=cast.org_a, name=f"Partner Q{i:02}")
            partner.contacts.create(name=f"Contact Q{i:02}")

    partners(0, FEW)
    same_count(
        client_as(cast.carla),
        en("partners:list", cast.org_a.pk),
        lambda: partners(FEW, MANY),
        django_assert_num_queries,
        "Partner Q",
    )
    hub = Partner.objects.get(name="Partner Q00")

    def referrals(count: int) -> None:
        for i in range(count):
            person = people_services.participant_create(
                programme=cast.programme, role="mentee", first_name=f"Referred{i}", last_name="Q"
            )
            Referral.objects.create(
                participant=person, partner=hub, referred_on=timezone.localdate(), reason="x"
            )

    referrals(FEW)
    same_count(
        client_as(cast.carla),
        en("partners:detail", hub.pk),
        lambda: referrals(MANY - FEW),
        django_assert_num_queries,
        "Referred",
    )
