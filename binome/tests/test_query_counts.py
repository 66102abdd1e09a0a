"""Every list page needs as many queries for 3 rows as for 30: no query per row (N+1).

For each page, the count is taken with a few rows, then the page must render many more rows in
exactly that many queries (django_assert_num_queries), and show them."""

import datetime
import re

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


def test_a_coordinator_s_home(cast, client_as, django_assert_num_queries):
    """Her to-dos: one row per programme with something waiting, in as many queries for 30."""

    def waiting(start, stop):
        programmes(cast, start, stop)
        for i, programme in enumerate(Programme.objects.filter(slug__startswith="q")[start:stop]):
            people_services.participant_create(
                programme=programme, first_name=f"Wait{start + i:02}", last_name="Query",
                role="mentee", languages={"fr": "native"}, city="Marseille",
            )  # fmt: skip

    waiting(0, FEW)
    same_count(
        client_as(cast.carla), en("home"),
        lambda: waiting(FEW, MANY), django_assert_num_queries, "Programme Q",
    )  # fmt: skip


def test_a_programme_dashboard(cast, client_as, django_assert_num_queries):
    """Its to-dos and figures cost the same whatever the number of people waiting."""
    client = client_as(cast.carla)
    url = en("people:programme_dashboard", cast.programme.pk)
    people(cast, 0, FEW, "mentee", "applied")
    few = queries(client, url)
    people(cast, FEW, MANY, "mentee", "applied")
    with django_assert_num_queries(few):
        response = client.get(url)
    shown = re.search(r"(\d+) applications waiting for intake", response.content.decode())
    assert shown and int(shown[1]) >= MANY


def _activities(cast, start: int, stop: int) -> None:
    from binome.community import services as community_services
    from binome.community.tests.helpers import data

    for i in range(start, stop):
        community_services.activity_create(
            actor=cast.carla, organisation=cast.org_a, data=data(cast, title=f"Activity Q{i:02}")
        )


def test_the_activity_list(cast, client_as, django_assert_num_queries):
    _activities(cast, 0, FEW)
    same_count(
        client_as(cast.carla), en("community:list"),
        lambda: _activities(cast, FEW, MANY), django_assert_num_queries, "Activity Q",
    )  # fmt: skip


def test_an_activitys_invited_people_and_attendance(cast, client_as, django_assert_num_queries):
    from binome.community import services as community_services
    from binome.community.tests.helpers import plan

    people(cast, 0, FEW, "mentee")
    activity = plan(cast)

    def grow():
        people(cast, FEW, MANY, "mentee")
        community_services.activity_invite(activity=activity)

    client = client_as(cast.carla)
    for name in ("community:detail", "community:attendance"):
        url = en(name, activity.pk)
        few = queries(client, url)
        if name == "community:detail":
            grow()
        with django_assert_num_queries(few):
            assert client.get(url).content.decode().count("Rowmentee") >= MANY


def test_the_programme_calendar(cast, client_as, django_assert_num_queries):
    duo = make_duo(cast)
    month = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)

    def meetings(start, stop):
        for i in range(start, stop):
            Meeting.objects.create(
                duo=duo, status=Meeting.Status.PLANNED,
                starts_at=timezone.make_aware(datetime.datetime.combine(
                    month.replace(day=1 + i % 28), datetime.time(10)
                )),
            )  # fmt: skip

    meetings(0, FEW)
    url = en("community:calendar", cast.programme.pk) + f"?month={month:%Y-%m}&view=list"
    same_count(
        client_as(cast.carla), url, lambda: meetings(FEW, MANY), django_assert_num_queries,
        "Marek Nowak",
    )  # fmt: skip


@pytest.mark.parametrize("user", ["carla", "amina"])
def test_the_resource_library(cast, client_as, django_assert_num_queries, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from binome.resources.services import resource_create, resource_file_attach

    def resources(start, stop):
        for i in range(start, stop):
            resource = resource_create(
                organisation=cast.org_a, actor=None,
                data={"kind": "document", "title": f"Guide {i}", "for_mentees": True,
                      "themes": [f"theme {i}"]},
                translations={"title": {"ar": f"دليل {i}"}},
            )  # fmt: skip
            resource_file_attach(
                resource=resource, actor=None, language="uk",
                upload=SimpleUploadedFile("g.pdf", b"%PDF-1.4"),
            )  # fmt: skip

    resources(0, FEW)
    same_count(
        client_as(getattr(cast, user)), en("resources:library"),
        lambda: resources(FEW, MANY), django_assert_num_queries, 'class="card resource"',
    )  # fmt: skip


def test_the_training_catalogue_and_a_mentor_s_path(cast, client_as, django_assert_num_queries):
    from binome.training.services import module_complete, module_create, path_set, question_save

    def modules(start, stop):
        made = []
        for i in range(start, stop):
            module = module_create(
                organisation=cast.org_a, actor=None, data={"title": f"Module {i}", "pass_mark": 50}
            )
            question_save(module=module, actor=None, text="Q?", choices="*Yes\nNo")
            module_complete(participant=cast.marek_participant, module=module)
            made.append(module)
        path_set(
            programme=cast.programme, role="mentor", sessions_required=0, actor=None,
            modules=list(cast.org_a.training_modules.all()),
        )  # fmt: skip
        return made

    modules(0, FEW)
    same_count(
        client_as(cast.carla), en("training:catalogue", cast.org_a.pk),
        lambda: modules(FEW, MANY), django_assert_num_queries, 'class="module-row"',
    )  # fmt: skip
    same_count(
        client_as(cast.marek), en("training:mine"),
        lambda: modules(MANY, MANY + MANY - FEW), django_assert_num_queries, 'class="card step',
    )  # fmt: skip


def editions(cast, start: int, stop: int) -> None:
    from binome.programmes.models import Edition

    for i in range(start, stop):
        Edition.objects.create(
            programme=cast.programme,
            name=f"Edition Q{i:02}",
            starts_on=datetime.date(2000 + i, 9, 1),
        )


def test_a_programme_s_editions(cast, client_as, django_assert_num_queries):
    editions(cast, 0, FEW)
    same_count(
        client_as(cast.carla), en("programmes:editions", cast.programme.pk),
        lambda: editions(cast, FEW, MANY), django_assert_num_queries, "Edition Q",
    )  # fmt: skip


def test_the_evaluation_page_does_not_grow_with_people(cast, client_as, django_assert_num_queries):
    from binome.evaluation.synthetic import answered_programme

    made = answered_programme(cast.programme, people=8, items=4, seed=1)
    client = client_as(cast.carla)
    url = en("evaluation:page", cast.programme.pk)
    few = queries(client, url)
    answered_programme(cast.programme, people=60, items=4, seed=2, reuse=made["questionnaire"])
    client.get(url)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


def _questionnaire_responses(cast, start: int, stop: int) -> None:
    from binome.questionnaires import services as questionnaire_services
    from binome.questionnaires.models import Questionnaire

    questionnaire_services.library_load()
    pulse = Questionnaire.objects.get(organisation__isnull=True, key="duo_pulse")
    for i in range(start, stop):
        questionnaire_services.response_record(
            participant=cast.amina_participant,
            questionnaire=pulse,
            moment="every_n_weeks",
            occurrence=i + 1,
            values={"useful": ["4"], "often": ["2"]},
            language="fr",
            submitted_at=timezone.now(),
            entry_mode="phone",
            by=cast.carla,
        )


def test_a_participants_questionnaire_answers(cast, client_as, django_assert_num_queries):
    _questionnaire_responses(cast, 0, FEW)
    same_count(
        client_as(cast.carla),
        en("questionnaires:participant", cast.amina_participant.pk),
        lambda: _questionnaire_responses(cast, FEW, MANY),
        django_assert_num_queries,
        'class="response"',
    )


def test_a_programmes_questionnaires(cast, client_as, django_assert_num_queries):
    from binome.questionnaires import services as questionnaire_services
    from binome.questionnaires.instruments import parse_instrument

    text = (questionnaire_services.LIBRARY / "duo_pulse.json").read_text()

    def own(start: int, stop: int) -> None:
        for i in range(start, stop):
            data = parse_instrument(text.replace('"duo_pulse"', f'"own-{i}"'))
            questionnaire_services.instrument_save(data=data, organisation=cast.org_a)

    own(0, FEW)
    same_count(
        client_as(cast.carla),
        en("questionnaires:programme", cast.programme.pk),
        lambda: own(FEW, MANY),
        django_assert_num_queries,
        'class="instrument"',
    )


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
