import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

IDLE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
MINUTE = datetime.timedelta(minutes=1)


def logged_in(client) -> bool:
    response = client.get(reverse("programmes:list"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_the_idle_timeout_is_hours_not_django_s_two_weeks():
    assert IDLE.total_seconds() <= 12 * 3600


def test_a_session_left_idle_longer_than_the_timeout_is_logged_out(cast, client_as):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_as(cast.carla)
        assert logged_in(client)
    with time_machine.travel(start + IDLE + MINUTE, tick=False):
        response = client.get(reverse("programmes:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_each_request_pushes_the_timeout_back(cast, client_as):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_as(cast.carla)
    with time_machine.travel(start + IDLE - MINUTE, tick=False):
        assert logged_in(client)
    # Longer than the timeout since logging in, but not since the last request.
    with time_machine.travel(start + 2 * IDLE - 2 * MINUTE, tick=False):
        assert logged_in(client)
