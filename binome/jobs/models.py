from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A worker's lease: renewed every few seconds while its process lives.

    A task whose worker's lease ran out (the process was killed, its machine lost) is put back
    in the queue by another worker (see binome/jobs/worker.py).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker lease")
        verbose_name_plural = _("worker leases")

    def __str__(self):
        return self.worker_id


class Schedule(models.Model):
    """When a periodic task (settings.PERIODIC_TASKS) is next enqueued, whichever worker does it."""

    task_path = models.CharField(max_length=200, unique=True)
    next_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")

    def __str__(self):
        return self.task_path
