import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from binome.accounts.models import User
from binome.duos.models import Alert, CheckIn, Duo, Meeting
from binome.people.models import Participant
from binome.programmes.models import Programme

pytestmark = pytest.mark.django_db


def logged_in(email: str) -> Client:
    user = User.objects.get(email=email)
    assert user.check_password("binome-scale-load")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_load_scale_builds_the_asked_numbers_and_its_people_log_in(capsys):
    call_command("load_scale", participants=300, duos=60)
    said = capsys.readouterr().out
    assert "Loaded 300 participants, 60 duos" in said
    assert Participant.objects.count() == 300
    assert Programme.objects.filter(listed=True, applications_open=True).count() == 5
    assert Duo.objects.count() == 60 and Duo.objects.filter(status="closed").count() == 6
    assert Meeting.objects.exists() and CheckIn.objects.exists() and Alert.objects.exists()
    waiting = set(Participant.objects.filter(duos_as_mentor=None, duos_as_mentee=None)
                  .values_list("status", flat=True))  # fmt: skip
    assert {"applied", "ready"} <= waiting

    mentor = logged_in("mentor0@scale.binome.test")
    response = mentor.get("/en/me/duo/")
    assert response.status_code == 302 and "/duos/" in response["Location"]
    assert mentor.get(response["Location"]).status_code == 200
    coordinator = logged_in("coordinator0@scale.binome.test")
    assert coordinator.get("/en/duos/").status_code == 200


def test_load_scale_refuses_a_second_load_and_impossible_numbers():
    call_command("load_scale", participants=20, duos=4)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_scale", participants=20, duos=4)
    with pytest.raises(CommandError, match="at most half"):
        call_command("load_scale", participants=10, duos=6)
