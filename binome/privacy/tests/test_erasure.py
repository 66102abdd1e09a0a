"""Erasing a participant: who may, when the law refuses it, what goes and what stays."""

import datetime
import os

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.duos.models import CheckIn, Duo, Meeting, Signature, SupervisionNote
from binome.notifications.models import Notification
from binome.people.models import Participant
from binome.privacy.models import Erasure
from binome.privacy.services.erasure import (
    ERASE,
    ErasureRefused,
    erasure_refusal,
    participant_erase,
)
from binome.testing import STAFF_ONLY

pytestmark = pytest.mark.django_db


def erase_url(participant) -> str:
    return reverse("privacy:participant_erase", args=[participant.pk])


def close(duo, *, on: datetime.date) -> None:
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED, closed_on=on)


def sign(duo, party="mentee", *, scan: bytes | None = None) -> Signature:
    signature = Signature(
        agreement=duo.agreement,
        party=party,
        method=Signature.Method.PAPER,
        typed_name="Amina Haddad",
        language="fr",
        text_hash="0" * 64,
        signed_at=timezone.now(),
    )
    if scan is not None:
        signature.scan.save("scan.pdf", ContentFile(scan), save=False)
    signature.save()
    return signature


def test_the_erase_page_answers_each_role_exactly(cast, client_as):
    for role, user in cast.users().items():
        response = client_as(user).get(erase_url(cast.amina_participant))
        assert response.status_code == STAFF_ONLY[role], role


def test_an_outsider_cannot_erase_and_nothing_is_erased(cast, client_as):
    for user in (cast.olga, cast.vera, cast.amina, cast.marek):
        response = client_as(user).post(erase_url(cast.amina_participant), {"confirm": "on"})
        assert response.status_code == 404
    assert not Erasure.objects.exists()
    assert Participant.objects.get(pk=cast.amina_participant.pk).first_name == "Amina"


def test_erasure_asks_for_confirmation(cast, client_as):
    response = client_as(cast.carla).post(erase_url(cast.amina_participant), {})
    assert response.status_code == 200
    assert not Erasure.objects.exists()


def test_a_coordinator_erases_a_participant_and_her_account_and_sessions_go(cast, client_as):
    client_as(cast.amina).get(reverse("people:my_space"))
    amina_id = str(cast.amina.pk)

    def her_sessions() -> int:
        return sum(s.get_decoded().get("_auth_user_id") == amina_id for s in Session.objects.all())

    assert her_sessions() == 1
    response = client_as(cast.carla).post(erase_url(cast.amina_participant), {"confirm": "on"})
    assert response.status_code == 302
    amina = Participant.objects.get(pk=cast.amina_participant.pk)
    assert (amina.first_name, amina.last_name, amina.email) == ("", f"#{amina.pk}", "")
    assert (amina.legal_status, amina.intake_notes, amina.languages) == ("", "", {})
    assert amina.user is None
    # What the figures need stays.
    assert (amina.role, amina.programme_id) == ("mentee", cast.programme.pk)
    # Still in the pipeline, she withdraws: nobody matches or e-mails her again.
    assert amina.status == "withdrawn"
    assert amina.status_changes.count() == 2
    assert not User.objects.filter(email="amina@a.example").exists()
    assert her_sessions() == 0
    erasure = Erasure.objects.get(participant=amina)
    assert erasure.by == cast.carla and erasure.reason == "request"


def test_the_erasure_event_says_who_erased_whom_by_number_only(cast):
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    event = AuditEvent.objects.get(action=ERASE)
    assert event.actor == cast.carla
    assert event.target_id == str(cast.amina_participant.pk)
    assert "Amina" not in str(event.detail) and "Haddad" not in str(event.detail)
    # The events about her stay (the counts), their details blank.
    about = AuditEvent.objects.filter(
        target_type="people.participant", target_id=str(cast.amina_participant.pk)
    )
    assert about.count() >= 2
    assert all(e.detail == {} for e in about.exclude(action=ERASE))


def test_erasing_twice_does_nothing_more(cast, client_as):
    first = participant_erase(participant=cast.amina_participant, actor=cast.carla)
    second = participant_erase(participant=cast.amina_participant, actor=cast.adam)
    assert not first.already and second.already
    assert AuditEvent.objects.filter(action=ERASE).count() == 1
    page = client_as(cast.carla).get(erase_url(cast.amina_participant))
    assert page.status_code == 200 and 'id="erase-done"' in page.content.decode()


def test_erasure_is_refused_while_her_duo_runs(cast, duo, client_as):
    with pytest.raises(ErasureRefused):
        participant_erase(participant=cast.amina_participant, actor=cast.carla)
    page = client_as(cast.carla).get(erase_url(cast.amina_participant)).content.decode()
    assert 'id="erase-refused"' in page and "erase-submit" not in page


def test_erasure_is_refused_until_the_signed_agreement_may_go_and_says_until_when(cast, duo):
    sign(duo)
    close(duo, on=datetime.date(2024, 3, 31))
    cast.org_a.agreement_retention_years = 5
    cast.org_a.save()
    participant = Participant.objects.get(pk=cast.amina_participant.pk)
    refusal = erasure_refusal(participant, today=datetime.date(2029, 3, 30))
    assert refusal is not None and refusal.until == datetime.date(2029, 3, 31)
    with translation.override("en"):
        assert "March 31, 2029" in str(erasure_refusal(participant))
    with translation.override("fr"):
        assert "31 mars 2029" in str(erasure_refusal(participant))
    assert erasure_refusal(participant, today=datetime.date(2029, 3, 31)) is None
    # An unsigned agreement binds nobody.
    duo.agreement.signatures.all().delete()
    assert erasure_refusal(participant, today=datetime.date(2024, 4, 1)) is None


def test_erasure_blanks_every_text_of_her_duos_and_deletes_the_scans(
    cast, duo, django_capture_on_commit_callbacks
):
    now = timezone.now()
    meeting = Meeting.objects.create(
        duo=duo, starts_at=now, shared_notes="Met Amina", private_notes="Amina cried"
    )
    CheckIn.objects.create(duo=duo, side="mentor", mood=3, comment="Amina is fine", created_at=now)
    SupervisionNote.objects.create(duo=duo, text="Called Amina Haddad", at=now)
    signature = sign(duo, scan=b"%PDF-1.4 Amina")
    path = signature.scan.path
    close(duo, on=timezone.localdate() - datetime.timedelta(days=1))
    cast.org_a.agreement_retention_years = 0
    cast.org_a.save()

    # The scan goes once the erasure commits.
    with django_capture_on_commit_callbacks(execute=True):
        participant_erase(participant=cast.amina_participant, actor=cast.carla)

    meeting.refresh_from_db()
    assert (meeting.shared_notes, meeting.private_notes) == ("", "")
    assert CheckIn.objects.get(duo=duo).comment == ""
    assert SupervisionNote.objects.get(duo=duo).text == ""
    signature.refresh_from_db()
    assert (signature.typed_name, signature.scan.name) == ("", "")
    assert not os.path.exists(path)
    # The counts stay.
    assert Meeting.objects.filter(duo=duo).count() == 1
    assert Duo.objects.get(pk=duo.pk).mentee_id == cast.amina_participant.pk


def test_her_name_is_replaced_in_the_texts_of_others(cast):
    from binome.people import services

    marek = Participant.objects.get(pk=cast.marek_participant.pk)
    services.participant_update(
        participant=marek, actor=cast.carla, intake_notes="Knows AMINA HADDAD; Aminata too"
    )
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    marek.refresh_from_db()
    # Word for word: another name that starts the same way is left alone.
    assert marek.intake_notes == "Knows […]; Aminata too"


def test_unsent_e_mails_for_her_are_dropped_and_the_sent_log_keeps_its_rows(cast):
    now = timezone.now()
    amina = cast.amina_participant
    Notification.objects.create(kind="checkin", key="a", participant=amina, created_at=now)
    Notification.objects.create(
        kind="checkin", key="b", participant=amina, created_at=now, sent_at=now
    )
    participant_erase(participant=amina, actor=cast.carla)
    assert list(Notification.objects.values_list("key", flat=True)) == ["b"]


def test_her_reasons_for_declining_a_proposal_go_even_when_they_do_not_name_her(cast):
    from binome.matching.models import Proposal

    proposal = Proposal.objects.create(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        status=Proposal.Status.DECLINED,
        decline_reason="I would rather meet a woman",
        explanation_parts=[{"key": "city", "params": {"city": "Marseille"}}],
    )
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    proposal.refresh_from_db()
    assert (proposal.decline_reason, proposal.explanation_parts) == ("", [])
    assert proposal.status == "declined"


def test_her_failed_logins_are_forgotten(cast):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="Amina@A.example", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessAttempt.objects.create(
        username="carla@a.example", ip_address="192.0.2.1", failures_since_start=1
    )
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["carla@a.example"]
