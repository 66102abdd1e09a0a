"""The worker's lease, the recovery of tasks whose worker died, and the periodic enqueue."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from binome.jobs.tests.tasks import noop
from binome.jobs.worker import beat, schedule_due, tasks_recover
from binome.testing import run_tasks

pytestmark = pytest.mark.django_db

PERIODIC = "binome.jobs.tests.tasks.noop"


def claimed(worker: str, *, seconds_ago: float) -> DBTaskResult:
    """A task claimed by `worker` that long ago, as the worker's loop leaves it."""
    result = noop.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)
    started = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


def test_a_task_whose_worker_stopped_renewing_its_lease_goes_back_to_the_queue(settings):
    settings.TASK_LEASE_SECONDS = 60
    row = claimed("dead", seconds_ago=300)
    beat("dead", now=timezone.now() - datetime.timedelta(seconds=120))
    assert tasks_recover() == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "READY"
    # Another worker then runs it to the end.
    assert run_tasks() == 1
    row.refresh_from_db()
    assert (row.status, row.worker_ids) == ("SUCCESSFUL", ["dead", "test-worker"])


def test_a_task_of_a_live_worker_is_left_alone(settings):
    settings.TASK_LEASE_SECONDS = 60
    row = claimed("alive", seconds_ago=300)
    beat("alive")
    assert tasks_recover() == []
    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_a_task_just_claimed_is_left_alone_even_without_a_lease(settings):
    settings.TASK_LEASE_SECONDS = 60
    row = claimed("starting", seconds_ago=5)
    assert tasks_recover() == []
    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_a_task_that_killed_its_workers_too_often_is_reported_failed(settings):
    settings.TASK_LEASE_SECONDS = 60
    settings.TASK_MAX_ATTEMPTS = 2
    row = claimed("first", seconds_ago=300)
    DBTaskResult.objects.filter(pk=row.pk).update(worker_ids=["first", "second"])
    assert tasks_recover() == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == "binome.jobs.worker.TaskAbandoned"


def test_one_periodic_enqueue_per_period_however_many_workers_ask(settings):
    settings.PERIODIC_TASKS = {PERIODIC: 60}
    now = timezone.now()
    assert schedule_due(now=now) == [PERIODIC]
    # A second worker at the same moment, or the first one a little later: nothing more.
    assert schedule_due(now=now) == []
    assert schedule_due(now=now + datetime.timedelta(seconds=30)) == []
    assert DBTaskResult.objects.filter(task_path=PERIODIC).count() == 1
    run_tasks()
    assert schedule_due(now=now + datetime.timedelta(seconds=61)) == [PERIODIC]
    assert DBTaskResult.objects.filter(task_path=PERIODIC).count() == 2


def test_a_periodic_task_still_waiting_is_not_enqueued_again(settings):
    settings.PERIODIC_TASKS = {PERIODIC: 60}
    now = timezone.now()
    schedule_due(now=now)
    assert schedule_due(now=now + datetime.timedelta(seconds=61)) == []
    assert DBTaskResult.objects.filter(task_path=PERIODIC, status="READY").count() == 1
