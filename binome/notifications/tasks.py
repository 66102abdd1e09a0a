"""The notifications run as a task: the workers enqueue it every NOTIFICATIONS_EVERY_SECONDS."""

from django.tasks import TaskContext, task

from binome.notifications.dispatch import notifications_job


@task(takes_context=True)
def send_notifications(context: TaskContext) -> dict[str, int] | None:
    """Send the e-mails that are due; safe to run again after a worker died part-way."""
    # Named after the task: run again after its worker died, it takes back its own lease.
    outcome = notifications_job(holder=f"task:{context.task_result.id}")
    if outcome is None:
        return None
    return {
        "queued": outcome.claimed,
        "skipped": outcome.skipped,
        "opted_out": outcome.opted_out,
        "failed": outcome.failed,
    }
