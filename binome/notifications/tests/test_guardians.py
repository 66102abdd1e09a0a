"""A mentee's family contacts who agreed get the duo's meeting reminders in their own language."""

import datetime

import pytest
from django.utils import timezone

from binome.duos.models import Agreement, Duo, Meeting
from binome.notifications.models import Kind
from binome.notifications.tests.conftest import by_address, sent
from binome.people.models import Guardian
from binome.testing import make_duo

pytestmark = pytest.mark.django_db


def active_duo(cast) -> Duo:
    duo = make_duo(cast)
    Agreement.objects.filter(duo=duo).update(frozen_at=timezone.now(), text_hash="x" * 64)
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.ACTIVE, activated_at=timezone.now())
    return duo


def guardian(cast, **fields) -> Guardian:
    values = {
        "participant": cast.amina_participant,
        "name": "Samira",
        "relation": Guardian.Relation.PARENT,
        "language": "ar",
        "email": "samira@family.example",
        "consent": True,
        "practical_emails": True,
    }
    return Guardian.objects.create(**{**values, **fields})


def meeting(duo) -> Meeting:
    return Meeting.objects.create(
        duo=duo,
        status=Meeting.Status.PLANNED,
        starts_at=timezone.now() + datetime.timedelta(hours=5),
        mode=Meeting.Mode.IN_PERSON,
        place="Café Prado",
    )


def test_a_guardian_gets_the_reminder_once_in_her_language_without_a_link(cast, run):
    guardian(cast)
    planned = meeting(active_duo(cast))
    run()
    message = by_address(sent(Kind.MEETING_REMINDER))["samira@family.example"]
    assert message.extra_headers["Content-Language"] == "ar"
    assert "Café Prado" in message.body and "Marek Nowak" in message.body
    assert "/duos/" not in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    assert f"binome-meeting-{planned.pk}@" in message.attachments[0][1]
    run()
    assert len(sent(Kind.MEETING_REMINDER)) == 3


def test_a_guardian_without_consent_or_without_the_box_ticked_gets_nothing(cast, run):
    guardian(cast, email="a@family.example", practical_emails=False)
    Guardian.objects.create(
        participant=cast.amina_participant,
        name="Omar",
        relation=Guardian.Relation.SIBLING,
        email="b@family.example",
    )
    meeting(active_duo(cast))
    run()
    assert sorted(by_address(sent(Kind.MEETING_REMINDER))) == [
        "amina@a.example",
        "marek@a.example",
    ]
