"""Tasks the tests of the worker enqueue."""

from django.tasks import task


@task()
def noop() -> str:
    return "done"
