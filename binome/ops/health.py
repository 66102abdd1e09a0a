"""What /healthz checks: the database answers, its schema is the code's, the e-mail job runs."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from binome.notifications.services import NOTIFICATIONS_JOB, job_last_finished


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: dict[str, object]


# Once every migration is applied it stays so for the life of the process (a deployment that
# brings new ones restarts the servers): reading the migration files once is enough then.
_migrations_seen_applied = False


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, {"error": type(error).__name__})
    return Check("database", True, {})


def check_migrations() -> Check:
    global _migrations_seen_applied
    if not _migrations_seen_applied:
        try:
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            return Check("migrations", False, {"error": type(error).__name__})
        if unapplied:
            return Check("migrations", False, {"unapplied": len(unapplied)})
        _migrations_seen_applied = True
    return Check("migrations", True, {})


def check_notifications(now: datetime.datetime | None = None) -> Check:
    now = now or timezone.now()
    limit = settings.HEALTHZ_NOTIFICATIONS_MAX_MINUTES
    try:
        finished = job_last_finished(NOTIFICATIONS_JOB)
    except DatabaseError as error:
        return Check("notifications", False, {"error": type(error).__name__})
    age = None if finished is None else max(0, round((now - finished).total_seconds()))
    detail: dict[str, object] = {"last_run_age_seconds": age, "max_age_seconds": limit * 60}
    if limit <= 0:
        return Check("notifications", True, detail)
    return Check("notifications", age is not None and age <= limit * 60, detail)


def health() -> list[Check]:
    database = check_database()
    if not database.ok:
        # Nothing else can be read: say so rather than time out twice more.
        skipped: dict[str, object] = {"skipped": "database"}
        return [
            database,
            Check("migrations", False, skipped),
            Check("notifications", False, skipped),
        ]
    return [database, check_migrations(), check_notifications()]
