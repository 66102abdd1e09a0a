"""`manage.py audit_purge`: events older than AUDIT_RETENTION_DAYS go, once, counted."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from binome.core.models import AuditEvent
from binome.privacy.tests.helpers import event

pytestmark = pytest.mark.django_db


def purge() -> str:
    out = StringIO()
    call_command("audit_purge", stdout=out)
    return out.getvalue()


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_the_retention_is_five_years_by_default():
    from django.conf import settings

    assert settings.AUDIT_RETENTION_DAYS == 1826


def test_the_command_deletes_the_events_past_retention_and_prints_the_count(cast):
    kept = [
        event(actor=cast.adam, organisation=cast.org_a, action="a", target=cast.programme),
        event(
            actor=cast.adam,
            organisation=cast.org_b,
            action="b",
            target=cast.programme_b,
            at=days_ago(1825),
        ),
    ]
    for days in (1827, 3000):
        event(
            actor=cast.adam,
            organisation=cast.org_a,
            action="gone",
            target=cast.programme,
            at=days_ago(days),
            note="never printed",
        )
    before = AuditEvent.objects.count()

    output = purge()

    assert output == "2 audit events older than 1826 days deleted.\n"
    assert "never printed" not in output and "gone" not in output
    assert AuditEvent.objects.count() == before - 2
    assert not AuditEvent.objects.filter(action="gone").exists()
    assert all(AuditEvent.objects.filter(pk=kept_event.pk).exists() for kept_event in kept)


def test_running_it_again_deletes_nothing_more(cast):
    event(
        actor=None, organisation=cast.org_a, action="gone", target=cast.programme, at=days_ago(2000)
    )
    assert purge().startswith("1 audit events")
    before = AuditEvent.objects.count()
    assert purge() == "0 audit events older than 1826 days deleted.\n"
    assert AuditEvent.objects.count() == before


def test_the_retention_comes_from_the_setting(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 10
    event(
        actor=None, organisation=cast.org_a, action="gone", target=cast.programme, at=days_ago(11)
    )
    event(actor=None, organisation=cast.org_a, action="kept", target=cast.programme, at=days_ago(9))
    assert purge() == "1 audit events older than 10 days deleted.\n"
    assert AuditEvent.objects.filter(action="kept").exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_retention_below_a_day_is_refused_rather_than_emptying_the_trail(cast, settings, days):
    settings.AUDIT_RETENTION_DAYS = days
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="at least 1"):
        purge()
    assert AuditEvent.objects.count() == before
