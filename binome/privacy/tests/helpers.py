"""What the privacy tests share: events written at a chosen time, and the screens' addresses."""

import datetime
import html
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from binome.core.audit import audit
from binome.core.models import AuditEvent
from binome.testing import STAFF_ONLY

PARIS = ZoneInfo("Europe/Paris")
# The organisation's admins only: coordinators, too, get the usual 404.
ADMIN_ONLY = {**STAFF_ONLY, "coordinator": 404}


def event(*, actor, organisation, action, target, at=None, **detail) -> AuditEvent:
    """Write an audit event through the site's own `audit(...)`, at `at` if given."""
    if at is None:
        audit(actor=actor, organisation=organisation, action=action, target=target, **detail)
    else:
        with time_machine.travel(at, tick=False):
            audit(actor=actor, organisation=organisation, action=action, target=target, **detail)
    return AuditEvent.objects.latest("pk")


def paris(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def audit_url(organisation, **query) -> str:
    url = reverse("privacy:audit", args=[organisation.pk])
    return _with_query(url, query)


def export_url(organisation, **query) -> str:
    url = reverse("privacy:audit_export", args=[organisation.pk])
    return _with_query(url, query)


def _with_query(url: str, query: dict) -> str:
    return f"{url}?{urlencode(query)}" if query else url


def text(response) -> str:
    """The page or the CSV as text, entities decoded."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return html.unescape(response.content.decode())
