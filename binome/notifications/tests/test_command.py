import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from binome.duos.models import Meeting
from binome.notifications.models import Notification
from binome.notifications.services import lease
from binome.notifications.tests.conftest import DOWN, WORKING, to
from binome.notifications.tests.test_dispatch import activate, plan_meeting
from binome.testing import make_duo


def send(**options) -> str:
    out = StringIO()
    call_command("send_notifications", stdout=out, verbosity=2, **options)
    return out.getvalue()


# Real commits: the e-mails leave in transaction.on_commit, as they do in production.
@pytest.mark.django_db(transaction=True)
def test_the_command_run_twice_sends_each_e_mail_once(cast):
    duo = activate(make_duo(cast), days_ago=31)
    plan_meeting(duo, in_hours=2, mode=Meeting.Mode.PHONE)
    first = send()
    # A reminder and a check-in request for each side (the agreement is signed by all).
    assert "4 e-mails queued" in first
    assert to(mail.outbox) == sorted(["amina@a.example", "marek@a.example"] * 2)
    assert Notification.objects.filter(sent_at__isnull=False).count() == 4
    send()
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_the_command_retries_what_the_mail_server_refused(cast, settings):
    make_duo(cast)
    settings.MAILERS = DOWN
    send()
    assert mail.outbox == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 3
    settings.MAILERS = WORKING
    send()
    assert len(mail.outbox) == 3
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_refreshes_the_alerts_before_nudging(cast):
    started = timezone.localdate() - datetime.timedelta(days=60)
    activate(make_duo(cast, started_on=started), days_ago=60)
    send()
    nudges = [m for m in mail.outbox if m.extra_headers["X-Binome-Notification"] == "overdue"]
    assert to(nudges) == ["amina@a.example", "marek@a.example"]


def test_the_command_is_quiet_by_default_for_cron(db):
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue() == ""


def test_a_loop_needs_a_positive_number_of_seconds(db):
    with pytest.raises(CommandError):
        send(loop=0)


@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_the_first_holds_the_lease_sends_nothing(cast):
    duo = activate(make_duo(cast), days_ago=31)
    plan_meeting(duo, in_hours=2, mode=Meeting.Mode.PHONE)
    # Another machine's run is going: this one leaves everything to it.
    with lease("send_notifications", datetime.timedelta(minutes=15)) as first:
        assert first
        send()
        assert mail.outbox == []
        assert not Notification.objects.exists()
    # Given back: the next run sends.
    assert "4 e-mails queued" in send()
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_a_lease_is_held_once_and_lapses_after_its_time_to_live(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC))
    ttl = datetime.timedelta(minutes=15)
    with lease("job", ttl) as first:
        assert first
        with lease("job", ttl) as second:
            assert not second
        with lease("other job", ttl) as other:
            assert other
        # The holder died without giving it back: after its time-to-live, another run takes it.
        time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 16, tzinfo=datetime.UTC))
        with lease("job", ttl) as after_ttl:
            assert after_ttl
    # A clock set back does not keep a lease that was given back.
    time_machine.move_to(datetime.datetime(2026, 11, 23, 8, tzinfo=datetime.UTC))
    with lease("job", ttl) as again:
        assert again
