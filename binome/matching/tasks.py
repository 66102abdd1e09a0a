"""Matching runs as tasks: the page queues them, a worker runs the engine and stores the rows."""

from django.tasks import TaskContext, task

from binome.matching import services


@task(takes_context=True)
def matching_run(context: TaskContext, run_id: int) -> services.RunOutcome:
    """Run the engine for one queued run (again, if its previous worker died part-way)."""
    return services.matching_run_execute(run_id=run_id, task_id=str(context.task_result.id))
