"""Questionnaires end to end: library, moments, answering by link, entry, corrections, goals."""

import datetime
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.next_steps import QUESTIONNAIRE, participant_steps
from binome.duos.models import Duo, Objective
from binome.notifications.dispatch import notifications_run
from binome.questionnaires import services
from binome.questionnaires.due import Due, answer_path, due_for
from binome.questionnaires.instruments import InstrumentError, parse_instrument
from binome.questionnaires.models import (
    Answer,
    AnswerCorrection,
    Assignment,
    GoalScore,
    Questionnaire,
    Response,
    ScaleScore,
)
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES, STAFF_ONLY


def en(name: str, *args, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, args=args, kwargs=kwargs or None)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def library(db):
    services.library_load(force=True)
    return {q.key: q for q in Questionnaire.objects.filter(organisation__isnull=True)}


@pytest.fixture
def baseline(cast, library):
    return services.assignment_add(
        programme=cast.programme,
        questionnaire=library["integration"],
        moment=Assignment.Moment.INTAKE,
        role="mentee",
        by=cast.carla,
    )


def link_for(assignment, participant, occurrence=0, duo=None) -> str:
    with translation.override("en"):
        return answer_path(Due(assignment, participant, occurrence, duo, timezone.localdate()))


def test_the_library_loads_every_instrument_in_four_languages_once(library):
    assert set(library) == {
        "integration",
        "duo_pulse",
        "mentor_self",
        "city_needs",
        "city_experience",
    }
    for questionnaire in library.values():
        version = questionnaire.current_version()
        assert version.languages == ["fr", "en", "ar", "uk"]
        assert not questionnaire.validated
        assert questionnaire.source and questionnaire.licence
    services.library_load(force=True)
    assert library["integration"].versions.count() == 1


def test_a_malformed_instrument_is_refused_with_its_line_and_reason():
    # In the coordinator's language: French here.
    with pytest.raises(InstrumentError) as in_french:
        parse_instrument('{"format": "binome-questionnaire/1", "key": "x"}')
    assert (1, "le questionnaire n'a aucune question") in in_french.value.problems
    bad = '{"format": "binome-questionnaire/1", "key": "x", "title": {"fr": "X"},\n'
    bad += '"source": "s", "licence": "l",\n"items": [\n  {"key": "a", "kind": "slider"}\n]}'
    with pytest.raises(InstrumentError) as refused, translation.override("en"):
        parse_instrument(bad)
    assert refused.value.problems == [
        (
            4,
            "item “a”: unknown kind “slider” (one of likert, "
            "single, multiple, number, short_text, long_text, goal)",
        )
    ]
    with pytest.raises(InstrumentError) as broken:
        parse_instrument('{"format":\n\n "x",, }')
    assert broken.value.problems[0][0] == 3


def test_a_changed_questionnaire_after_answers_makes_a_new_version(cast, library, baseline):
    response = services.response_start(
        participant=cast.amina_participant,
        questionnaire=library["integration"],
        moment="intake",
        language="ar",
    )
    services.response_submit(response=response)
    path = services.LIBRARY / "integration.json"
    data = parse_instrument(path.read_text())
    data.items[0].text["fr"] = "Autre texte"
    services.instrument_save(data=data, organisation=None)
    questionnaire = library["integration"]
    assert questionnaire.versions.count() == 2
    response.refresh_from_db()
    assert response.version.number == 1
    assert response.version.items.get(key="work").text != "Autre texte"


@pytest.mark.parametrize("role", ROLES)
def test_the_programme_questionnaires_page_is_for_staff(cast, client_as, role, library):
    client = client_as(cast.users()[role])
    response = client.get(en("questionnaires:programme", cast.programme.pk))
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        assert CANARY not in text(response)
        assert "Integration self-assessment" in text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_attach_a_questionnaire(cast, client_as, role, library):
    response = client_as(cast.users()[role]).post(
        en("questionnaires:programme", cast.programme.pk),
        {
            "questionnaire": library["duo_pulse"].pk,
            "moment": "every_n_weeks",
            "every_weeks": 4,
            "role": "mentee",
        },
    )
    allowed = STAFF_ONLY[role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    assert Assignment.objects.filter(programme=cast.programme).exists() == allowed


def test_every_n_weeks_needs_its_weeks(cast, client_as, library):
    response = client_as(cast.carla).post(
        en("questionnaires:programme", cast.programme.pk),
        {"questionnaire": library["duo_pulse"].pk, "moment": "every_n_weeks", "role": "mentee"},
    )
    assert response.status_code == 200
    assert "Say every how many weeks." in text(response)


@pytest.mark.parametrize("role", ROLES)
def test_the_import_page_is_for_staff_and_refuses_with_the_line(cast, client_as, role):
    client = client_as(cast.users()[role])
    url = en("questionnaires:import", cast.org_a.pk)
    response = client.post(url, {"text": '{"format": "binome-questionnaire/1",\n "key": "x"}'})
    if STAFF_ONLY[role] != 200:
        assert response.status_code == STAFF_ONLY[role]
        return
    assert response.status_code == 400
    assert "Line 1" in text(response)
    assert not Questionnaire.objects.filter(organisation=cast.org_a).exists()


def test_an_organisation_imports_its_own_instrument(cast, client_as):
    content = (
        (services.LIBRARY / "duo_pulse.json").read_text().replace('"duo_pulse"', '"our_pulse"')
    )
    response = client_as(cast.carla).post(
        en("questionnaires:import", cast.org_a.pk), {"text": content}
    )
    assert response.status_code == 302
    own = Questionnaire.objects.get(organisation=cast.org_a, key="our_pulse")
    assert client_as(cast.olga).get(en("questionnaires:detail", own.pk)).status_code == 404
    assert client_as(cast.carla).get(en("questionnaires:detail", own.pk)).status_code == 200


def test_a_mentee_answers_the_baseline_by_link_one_item_per_screen(cast, client, baseline):
    url = link_for(baseline, cast.amina_participant)
    assert client.get(url).status_code == 302  # the draft starts in her language
    response = Response.objects.get(participant=cast.amina_participant)
    assert response.status == Response.Status.DRAFT
    page = client.get(url)
    assert "Question 1 of 12" in text(page)
    for step in range(1, 11):
        assert client.post(url, {"step": step, "value": "2"}).status_code == 302
    client.post(url, {"step": 11, "value": "no"})
    client.post(url, {"step": 12, "value": "A job"})
    assert client.post(url, {"submit": "1"}).status_code == 302
    response.refresh_from_db()
    assert response.is_submitted
    assert response.channel == Response.Channel.SELF
    scores = {s.scale.key: s.score for s in ScaleScore.objects.filter(response=response)}
    assert scores == {"integration": 2.0, "social": 2.0}
    assert response.version.is_frozen
    assert "Thank you" in text(client.get(url))


def test_a_bad_answer_is_refused_and_nothing_is_lost(cast, client, baseline):
    url = link_for(baseline, cast.amina_participant)
    client.get(url)
    client.post(url, {"step": 1, "value": "4"})
    refused = client.post(url, {"step": 2, "value": "9"})
    assert refused.status_code == 400
    assert "between 1 and 5" in text(refused)
    assert Answer.objects.get(item__key="work").number == 4


def test_a_forged_link_opens_nothing(client):
    assert client.get(en("questionnaires:answer", token="forged")).status_code == 404


def test_a_person_whose_language_is_missing_chooses_one(cast, client, baseline):
    cast.amina_participant.language = "es"
    cast.amina_participant.save(update_fields=["language"])
    url = link_for(baseline, cast.amina_participant)
    page = client.get(url)
    assert "In which language would you like to answer?" in text(page)
    client.post(url, {"language": "ar"})
    response = Response.objects.get(participant=cast.amina_participant)
    assert response.language == "ar"
    page = text(client.get(url))
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_a_draft_is_kept_when_she_leaves_and_comes_back(cast, client, baseline):
    url = link_for(baseline, cast.amina_participant)
    client.get(url)
    client.post(url, {"step": 1, "value": "3"})
    page = client.get(url + "?step=1")
    assert 'value="3" checked' in text(page)


@pytest.mark.parametrize("role", ROLES)
def test_entering_answers_for_someone_is_for_staff(cast, client_as, role, baseline):
    client = client_as(cast.users()[role])
    url = en("questionnaires:participant", cast.amina_participant.pk)
    assert client.get(url).status_code == STAFF_ONLY[role]


def test_a_coordinator_enters_paper_answers_marked_as_such_and_corrects_keeping_the_first(
    cast, client_as, baseline
):
    client = client_as(cast.carla)
    client.post(
        en("questionnaires:participant", cast.amina_participant.pk),
        {"assignment": baseline.pk, "entry_mode": "paper", "language": "fr"},
    )
    response = Response.objects.get(participant=cast.amina_participant)
    assert (response.channel, response.entry_mode, response.entered_by) == (
        "coordinator",
        "paper",
        cast.carla,
    )
    url = en("questionnaires:enter", response.pk)
    for step in range(1, 11):
        client.post(url, {"step": step, "value": "3"})
    client.post(url, {"step": 11, "value": "yes"})
    client.post(url, {"step": 12, "value": ""})
    client.post(url, {"submit": "1"})
    client.post(url, {"step": 1, "value": "5", "reason": "Misread the paper form"})
    answer = Answer.objects.get(response=response, item__key="work")
    assert answer.number == 5
    correction = AnswerCorrection.objects.get(answer=answer)
    assert correction.previous["number"] == 3
    assert correction.reason == "Misread the paper form"
    page = text(client.get(en("questionnaires:participant", cast.amina_participant.pk)))
    assert "Entered by a coordinator" in page and "before correction" in page


def test_a_questionnaire_due_is_e_mailed_once_in_her_language_and_shown_as_a_next_step(
    cast, baseline, django_capture_on_commit_callbacks
):
    cast.amina_participant.language = "ar"
    cast.amina_participant.save(update_fields=["language"])
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notifications_run()
    sent = [
        m for m in mail.outbox if m.extra_headers.get("X-Binome-Notification") == "questionnaire"
    ]
    assert len(sent) == 1
    assert sent[0].to == [cast.amina_participant.email]
    assert "تقييم ذاتي للاندماج" in sent[0].subject
    with translation.override("en"):
        steps = participant_steps(cast.amina)
    assert [s.order for s in steps] == [QUESTIONNAIRE]
    assert steps[0].title == "Integration self-assessment"


def test_nothing_is_due_once_submitted_or_for_another_role(cast, baseline):
    participants = [cast.amina_participant, cast.marek_participant]
    assert [d.participant for d in due_for(participants, timezone.now())] == [
        cast.amina_participant
    ]
    response = services.response_start(
        participant=cast.amina_participant,
        questionnaire=baseline.questionnaire,
        moment="intake",
        language="fr",
    )
    services.response_submit(response=response)
    assert list(due_for(participants, timezone.now())) == []


def test_a_closure_questionnaire_is_due_when_the_duo_closes(cast, duo, library):
    assignment = services.assignment_add(
        programme=cast.programme,
        questionnaire=library["duo_pulse"],
        moment="closure",
        role="mentor",
        by=cast.carla,
    )
    assert list(due_for([cast.marek_participant], timezone.now())) == []
    Duo.objects.filter(pk=duo.pk).update(
        status=Duo.Status.CLOSED, closed_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    due = list(due_for([cast.marek_participant], timezone.now()))
    assert [(d.assignment, d.duo) for d in due] == [(assignment, duo)]


@pytest.mark.parametrize("role", ROLES)
def test_the_goals_page_is_for_the_duo_and_staff(cast, client_as, duo, role):
    Objective.objects.create(duo=duo, title="Find an apprenticeship")
    response = client_as(cast.users()[role]).get(en("questionnaires:goals", duo.pk))
    assert response.status_code == PARTIES_AND_STAFF[role]
    if response.status_code == 200:
        assert "Find an apprenticeship" in text(response)


def test_the_duo_writes_its_levels_and_scores_the_objective_at_closure(cast, client_as, duo):
    objective = Objective.objects.create(duo=duo, title="Find an apprenticeship")
    client = client_as(cast.amina)
    url = en("questionnaires:goals", duo.pk)
    refused = client.post(url, {"objective": objective.pk, "level_m2": "Gave up"})
    assert refused.status_code == 200
    assert not hasattr(Objective.objects.get(pk=objective.pk), "goal_scale")
    client.post(
        url,
        {"objective": objective.pk, "level_0": "Two interviews", "level_p2": "A contract"},
    )
    objective.refresh_from_db()
    assert objective.goal_scale.levels == {"0": "Two interviews", "2": "A contract"}
    client.post(url, {"objective": objective.pk, "score": "2", "moment": "closure"})
    assert GoalScore.objects.get().score == 2
    page = text(client.get(url))
    assert "A contract" in page and "+2" in page
    bad = client.post(url, {"objective": objective.pk, "score": "3", "moment": "closure"})
    assert bad.status_code == 200
    assert GoalScore.objects.count() == 1


def test_the_coordinator_sees_the_languages_a_version_lacks(cast, client_as):
    cast.org_a.content_languages = ["fr", "ar", "uk"]
    cast.org_a.save(update_fields=["content_languages"])
    content = (services.LIBRARY / "duo_pulse.json").read_text()
    data = parse_instrument(content.replace('"duo_pulse"', '"half"'))
    for item in data.items:
        item.text.pop("uk")
    questionnaire = services.instrument_save(data=data, organisation=cast.org_a)
    version = questionnaire.current_version()
    assert version is not None
    assert version.languages == ["fr", "en", "ar"]
    page = text(client_as(cast.carla).get(en("questionnaires:detail", questionnaire.pk)))
    assert "Missing languages: uk" in page
