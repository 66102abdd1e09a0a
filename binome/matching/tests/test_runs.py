"""Matching runs done by a worker: queued once, run once, stored, paged, failures reported."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from binome.matching import services
from binome.matching.models import MatchingRun, RunRow
from binome.matching.tests.conftest import run_done
from binome.people.models import Participant
from binome.testing import add_person, run_tasks

pytestmark = pytest.mark.django_db


def test_a_run_is_queued_then_done_by_a_worker(matchable):
    run = services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    assert run.status == MatchingRun.Status.QUEUED and run.task_id
    assert run_tasks() == 1
    run.refresh_from_db()
    assert (run.status, run.pair_count, run.attempts) == ("done", 1, 1)
    row = RunRow.objects.get(run=run)
    assert (row.mentee, row.mentor) == (matchable.amina_participant, matchable.marek_participant)


def test_a_new_result_replaces_the_rows_of_the_older_ones(matchable):
    first = run_done(matchable)
    second = run_done(matchable)
    assert second.pk != first.pk
    assert set(RunRow.objects.values_list("run", flat=True)) == {second.pk}
    first.refresh_from_db()
    assert (first.status, first.pair_count) == ("done", 1)


def test_a_second_request_while_one_waits_gives_the_same_run(matchable):
    first = services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    again = services.matching_run_request(programme=matchable.programme, actor=matchable.adam)
    assert again.pk == first.pk
    assert DBTaskResult.objects.count() == 1


def test_a_run_is_not_run_twice_by_its_task(matchable):
    run = run_done(matchable)
    outcome = services.matching_run_execute(run_id=run.pk, task_id=run.task_id)
    assert outcome["status"] == "done"
    assert RunRow.objects.filter(run=run).count() == 1
    run.refresh_from_db()
    assert run.attempts == 1
    # Nor by another task.
    services.matching_run_execute(run_id=run.pk, task_id="another")
    assert RunRow.objects.filter(run=run).count() == 1


def test_a_run_taken_over_after_its_worker_died_is_done_once(matchable):
    run = services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    # Its first worker marked it running, then died.
    MatchingRun.objects.filter(pk=run.pk).update(status="running", attempts=1)
    services.matching_run_execute(run_id=run.pk, task_id=run.task_id)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.rows.count()) == ("done", 2, 1)


def test_a_run_whose_task_failed_shows_its_error_and_can_be_run_again(matchable, client_as):
    run = services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    DBTaskResult.objects.filter(pk=run.task_id).update(status="FAILED")
    client = client_as(matchable.carla)
    with translation.override("en"):
        url = reverse("matching:run", args=[matchable.programme.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The last run failed" in page and "interrupted" in page
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    client.post(url, {"action": "rerun"})
    assert run_tasks() == 1
    assert MatchingRun.objects.get(pk__gt=run.pk).status == MatchingRun.Status.DONE


def test_a_run_whose_task_ended_without_it_is_not_left_waiting(matchable):
    run = services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    DBTaskResult.objects.filter(pk=run.task_id).update(status="SUCCESSFUL")
    assert services.matching_run_refresh(run=run).status == MatchingRun.Status.FAILED


def test_an_unexpected_error_fails_the_run_and_its_task(matchable, monkeypatch):
    from binome.matching import adapter

    def broken(programme):
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(adapter, "compute", broken)
    run = services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    run_tasks()
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    assert DBTaskResult.objects.get(pk=run.task_id).status == "FAILED"


def test_the_status_poll_reloads_the_page_once_the_run_is_done(matchable, client_as):
    url = reverse("matching:status", args=[matchable.programme.pk])
    services.matching_run_request(programme=matchable.programme, actor=matchable.carla)
    client = client_as(matchable.carla)
    waiting = client.get(url, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in waiting and 'hx-trigger="every 2s"' in waiting.content.decode()
    run_tasks()
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_the_rows_are_searched_and_filtered(matchable, client_as):
    add_person(matchable, Participant.Role.MENTEE, "Olena", languages={"uk": "native"})
    run_done(matchable)
    url = reverse("matching:run", args=[matchable.programme.pk])
    client = client_as(matchable.carla)

    def names(**query):
        page = client.get(url, query, HTTP_HX_REQUEST="true").content.decode()
        return {n for n in ("Amina", "Olena") if n in page}

    assert names() == {"Amina", "Olena"}
    assert names(show="unmatched") == {"Olena"}
    assert names(show="pairs") == {"Amina"}
    assert names(q="olena") == {"Olena"}
    assert names(show="locked") == set()
    assert names(show="pairs", below=1) == set()


def _big_run(cast, n: int) -> MatchingRun:
    people = Participant.objects.bulk_create(
        [
            Participant(programme=cast.programme, role=role, first_name=f"P{i}", last_name="Bulk")
            for i in range(n)
            for role in (Participant.Role.MENTEE, Participant.Role.MENTOR)
        ]
    )
    run = MatchingRun.objects.create(
        programme=cast.programme, status="done", pair_count=n, task_id="t"
    )
    RunRow.objects.bulk_create(
        RunRow(
            run=run,
            position=i,
            mentee=people[2 * i],
            mentor=people[2 * i + 1],
            score=50,
            criteria=[{"name": "needs", "points": 10, "max": 20}],
            explanation_parts=[{"key": "distance_km", "params": {"km": 3}}],
        )
        for i in range(n)
    )
    return run


@pytest.mark.parametrize("rows", [5, 150])
def test_the_page_query_count_does_not_grow_with_the_rows(
    cast, client_as, django_assert_num_queries, rows
):
    _big_run(cast, rows)
    url = reverse("matching:run", args=[cast.programme.pk])
    client = client_as(cast.carla)
    client.get(url)
    # Session, user, programme access, latest run, row count, one page of rows with both
    # people, rules, proposals, the programme's lists (its names of the needs), and 3 to save
    # the session again: the same at 5 and 150 rows.
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.content.decode().count('name="swap"') == min(rows, 100)
