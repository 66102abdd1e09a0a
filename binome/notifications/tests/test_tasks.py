"""The notifications run as a task: run again after its worker died, it sends nothing twice."""

import datetime

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from binome.notifications.dispatch import notifications_job
from binome.notifications.models import Kind, Lease, Notification
from binome.notifications.services import lease
from binome.notifications.tasks import send_notifications
from binome.testing import make_duo, run_tasks

pytestmark = pytest.mark.django_db


def agreements() -> list:
    return [m for m in mail.outbox if m.extra_headers["X-Binome-Notification"] == Kind.AGREEMENT]


def test_the_task_sends_what_is_due_once(cast, django_capture_on_commit_callbacks):
    make_duo(cast)
    send_notifications.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert len(agreements()) == 3
    sent = len(mail.outbox)
    send_notifications.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert len(mail.outbox) == sent
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_an_e_mail_interrupted_while_being_sent_is_never_sent_again(
    cast, django_capture_on_commit_callbacks
):
    make_duo(cast)
    send_notifications.enqueue()
    # The worker died after claiming the e-mails, before the mail server answered: their
    # after-commit sends never ran.
    run_tasks()
    assert mail.outbox == []
    assert set(Notification.objects.values_list("attempts", "failures")) == {(1, 0)}
    send_notifications.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert agreements() == []


def test_a_task_run_again_after_its_worker_died_takes_back_its_own_lease(cast):
    result = send_notifications.enqueue()
    holder = f"task:{result.id}"
    # Its first worker held the lease when it died.
    with lease("send_notifications", datetime.timedelta(minutes=15), holder=holder):
        assert notifications_job(holder="task:another") is None
        assert notifications_job(holder=holder) is not None
    assert Lease.objects.get(name="send_notifications").holder == holder
