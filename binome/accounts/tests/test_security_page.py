"""The Security page: a user's sessions, listed and revocable; the password changed there."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binome.accounts.models import SessionRecord
from binome.accounts.sessions import describe_device, network_of
from binome.core.models import AuditEvent
from binome.testing import PASSWORD

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def logged_in(email: str, *, agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("programmes:list")).status_code == 200


def test_the_page_lists_each_session_coarsely_and_marks_this_one(cast):
    office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    logged_in("carla@a.example", agent=CHROME_ANDROID, address="2001:db8:1234:5678::9")
    logged_in("adam@a.example", agent=SAFARI_IPHONE, address="198.51.100.7")

    page = office.get(reverse("accounts:security"))

    text = page.content.decode()
    assert "Firefox · Windows" in text and "Chrome · Android" in text
    assert "Safari · iPhone" not in text  # Adam's
    assert "203.0.113.0/24" in text and "2001:db8:1234::/48" in text
    assert "203.0.113.45" not in text and "5678" not in text
    assert text.count("Cette session") == 1
    current = [record.device for record, is_current in page.context["sessions"] if is_current]
    assert current == ["Firefox · Windows"]
    assert SessionRecord.objects.filter(user=cast.carla).count() == 2


def test_logging_out_another_session_logs_that_client_out(cast):
    office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    phone = logged_in("carla@a.example", agent=CHROME_ANDROID, address="198.51.100.7")
    record = SessionRecord.objects.get(user=cast.carla, device="Chrome · Android")

    response = office.post(reverse("accounts:session_revoke", args=[record.pk]))

    assert response.status_code == 302
    assert not is_logged_in(phone)
    assert is_logged_in(office)
    assert not Session.objects.filter(pk=record.session_id).exists()
    assert AuditEvent.objects.filter(action="accounts.session.revoke", actor=cast.carla).exists()


def test_logging_out_this_session_from_the_list_is_a_logout(cast):
    office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    record = SessionRecord.objects.get(user=cast.carla)
    response = office.post(reverse("accounts:session_revoke", args=[record.pk]))
    assert response["Location"] == reverse("accounts:login")
    assert not is_logged_in(office)


def test_logging_out_all_other_sessions_keeps_this_one_only(cast):
    office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    others = [
        logged_in("carla@a.example", agent=agent, address="198.51.100.7")
        for agent in (CHROME_ANDROID, SAFARI_IPHONE)
    ]
    adam = logged_in("adam@a.example", agent=SAFARI_IPHONE, address="198.51.100.8")

    office.post(reverse("accounts:sessions_revoke_others"))

    assert is_logged_in(office) and is_logged_in(adam)
    assert not any(is_logged_in(client) for client in others)
    event = AuditEvent.objects.get(action="accounts.session.revoke_others")
    assert event.detail == {"count": 2}


def test_nobody_logs_out_someone_else_s_session(cast, client_as):
    logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    record = SessionRecord.objects.get(user=cast.carla)
    for user in (cast.adam, cast.olga, cast.amina):
        response = client_as(user).post(reverse("accounts:session_revoke", args=[record.pk]))
        assert response.status_code == 404
    assert Session.objects.filter(pk=record.session_id).exists()
    assert (
        client_as(None).post(reverse("accounts:session_revoke", args=[record.pk])).status_code
        == 302
    )


def test_changing_the_password_logs_out_the_other_sessions(cast):
    office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    phone = logged_in("carla@a.example", agent=CHROME_ANDROID, address="198.51.100.7")
    new = "river-lantern-pebble-77"

    response = office.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    assert is_logged_in(office)
    assert not is_logged_in(phone)
    assert [record.device for record in SessionRecord.objects.filter(user=cast.carla)] == [
        "Firefox · Windows"
    ]
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.detail == {"sessions_ended": 1}


def test_a_session_is_touched_at_most_once_a_minute(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
    record = SessionRecord.objects.get(user=cast.carla)
    with time_machine.travel(start + datetime.timedelta(seconds=50), tick=False):
        assert is_logged_in(office)
    record.refresh_from_db()
    assert record.last_seen_at == start
    later = start + datetime.timedelta(seconds=70)
    with time_machine.travel(later, tick=False):
        assert is_logged_in(office)
    record.refresh_from_db()
    assert record.last_seen_at == later and record.created_at == start


def test_an_expired_session_is_not_listed(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        logged_in("carla@a.example", agent=CHROME_ANDROID, address="198.51.100.7")
    with time_machine.travel(start + datetime.timedelta(hours=9), tick=False):
        office = logged_in("carla@a.example", agent=FIREFOX_WINDOWS, address="203.0.113.45")
        rows = office.get(reverse("accounts:security")).context["sessions"]
    assert [record.device for record, _current in rows] == ["Firefox · Windows"]


@pytest.mark.parametrize(
    ("agent", "described"),
    [
        (FIREFOX_WINDOWS, "Firefox · Windows"),
        (CHROME_ANDROID, "Chrome · Android"),
        (SAFARI_IPHONE, "Safari · iPhone"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Edg/131.0 Chrome/131.0", "Edge · macOS"),
        ("curl/8.5.0", ""),
        ("", ""),
    ],
)
def test_a_device_is_described_by_browser_and_system_only(agent, described):
    assert describe_device(agent) == described


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.45", "203.0.113.0/24"),
        ("2001:db8:1234:5678::9", "2001:db8:1234::/48"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_an_address_is_kept_as_its_network_only(address, network):
    assert network_of(address) == network
