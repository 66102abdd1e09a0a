"""What Binôme adds to django-tasks-db's worker: a lease per worker, recovery, periodic tasks.

django-tasks-db claims a task with SELECT … FOR UPDATE SKIP LOCKED (on PostgreSQL), marks it
RUNNING with the worker's id and commits, then runs it outside any lock. A worker killed in the
middle (kill -9, machine lost) would leave its task RUNNING for ever, and the library does not
retry a failed task. So each of Binôme's workers renews a lease (WorkerBeat) every quarter of
TASK_LEASE_SECONDS, and every worker, as it renews its own, looks for RUNNING tasks whose worker's
lease ran out: such a task goes back to READY (it keeps its place at the head of the queue) and
another worker claims it, up to TASK_MAX_ATTEMPTS claims, after which it is marked FAILED with
TaskAbandoned, so that it is reported rather than retried for ever.

A task may thus run again after its worker died part-way: every task is written to be run again
safely (the notifications' sent-log, a matching run's status).
"""

import datetime
import logging
import threading
from contextlib import suppress

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from binome.jobs.models import Schedule, WorkerBeat

logger = logging.getLogger(__name__)

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"


class TaskAbandoned(Exception):
    """A task's workers died TASK_MAX_ATTEMPTS times while running it."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    """Renew this worker's lease."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": now or timezone.now()}
    )


def tasks_recover(*, now: datetime.datetime | None = None) -> list[str]:
    """Put back in the queue the running tasks whose worker's lease ran out; return their ids."""
    now = now or timezone.now()
    stale = now - lease()
    running = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=stale)
    last = {str(pk): (ids or [""])[-1] for pk, ids in running.values_list("pk", "worker_ids")}
    if not last:
        return []
    alive = set(
        WorkerBeat.objects.filter(worker_id__in=set(last.values()), beat_at__gte=stale).values_list(
            "worker_id", flat=True
        )
    )
    recovered = []
    for pk, worker in last.items():
        if worker in alive:
            continue
        with transaction.atomic():
            row = DBTaskResult.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            # Claimed again (by a live worker) or finished since it was read: not ours to touch.
            if row is None or row.status != RUNNING or (row.worker_ids or [""])[-1] != worker:
                continue
            if len(row.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
                row.set_failed(TaskAbandoned(f"{len(row.worker_ids)} workers died running it"))
                logger.error("task %s (%s) abandoned, marked failed", pk, row.task_path)
            else:
                row.status = READY
                row.save(update_fields=["status"])
                logger.warning(
                    "task %s (%s) put back in the queue: its worker died", pk, row.task_path
                )
        recovered.append(pk)
    return recovered


def schedule_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the periodic tasks whose time came; of all workers, one enqueues each period."""
    now = now or timezone.now()
    enqueued = []
    for path, every in settings.PERIODIC_TASKS.items():
        with suppress(IntegrityError), transaction.atomic():
            Schedule.objects.get_or_create(task_path=path, defaults={"next_at": now})
        # The UPDATE conditioned on next_at is serialised by the database: one worker wins.
        taken = Schedule.objects.filter(task_path=path, next_at__lte=now).update(
            next_at=now + datetime.timedelta(seconds=every), last_enqueued_at=now
        )
        if not taken:
            continue
        task = import_string(path)
        # One run waiting is enough: busy workers must not find a pile of them.
        if DBTaskResult.objects.filter(status=READY, task_path=task.module_path).exists():
            continue
        task.enqueue()
        enqueued.append(path)
    return enqueued


def housekeep(worker_id: str) -> None:
    """Renew the lease, recover abandoned tasks, enqueue the periodic ones."""
    beat(worker_id)
    tasks_recover()
    schedule_due()


class Worker(db_worker.Worker):
    """django-tasks-db's worker, with its lease renewed by a thread beside the tasks it runs."""

    def __init__(self, *, keep_lease: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.keep_lease = keep_lease
        self._stop = threading.Event()

    def _keep_lease(self) -> None:
        every = max(settings.TASK_LEASE_SECONDS / 4, 0.5)
        while not self._stop.wait(every):
            try:
                close_old_connections()
                housekeep(self.worker_id)
            except Exception:
                # A database that is briefly unreachable: try again at the next beat.
                logger.exception("worker %s: could not renew its lease", self.worker_id)

    def run(self) -> None:
        # Every app's tasks imported now (the engine and its solver are slow to import): the
        # first task does not wait for them, and a broken import stops the worker at once.
        autodiscover_modules("tasks")
        # A fresh lease before the first claim, so that no task of ours looks abandoned.
        housekeep(self.worker_id)
        thread = None
        if self.keep_lease:
            thread = threading.Thread(target=self._keep_lease, name="lease", daemon=True)
            thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            if thread is not None:
                thread.join(timeout=5)
            # A clean stop gives the lease back (a task it ran to the end is not RUNNING).
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == FAILED:
            # Reported here and kept in the task's row with its traceback (the admin shows it).
            logger.error(
                "task %s (%s) failed: %s",
                db_task_result.pk,
                db_task_result.task_path,
                db_task_result.exception_class_path,
            )
