"""A copy of a participant's data: the staff's complete one, her own, JSON and PDF."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from binome.core.models import AuditEvent
from binome.duos.models import CheckIn, Duo, Meeting, SupervisionNote
from binome.privacy.subject import FULL, SELF, subject_data
from binome.privacy.subject_pdf import build_subject_pdf
from binome.programmes import services
from binome.programmes.models import Vocabulary, VocabularyItem
from binome.testing import CANARY, STAFF_ONLY

pytestmark = pytest.mark.django_db

# Her own copy: mentors and mentees get their own, staff (who are no participant) a 404.
OWN_ONLY = {**STAFF_ONLY, "mentee": 200, "mentor": 200, "coordinator": 404, "admin": 404}


def staff_urls(participant) -> list[str]:
    return [
        reverse("privacy:participant_export_json", args=[participant.pk]),
        reverse("privacy:participant_export_pdf", args=[participant.pk]),
    ]


def own_urls() -> list[str]:
    return [
        reverse("privacy:my_export_json"),
        reverse("privacy:my_export_pdf"),
        reverse("privacy:my_data"),
    ]


def fill(duo) -> None:
    now = timezone.now()
    Meeting.objects.create(
        duo=duo, starts_at=now, shared_notes="Shared note", private_notes="Private note"
    )
    CheckIn.objects.create(duo=duo, side="mentee", mood=4, comment="My comment", created_at=now)
    CheckIn.objects.create(duo=duo, side="mentor", mood=2, comment="His comment", created_at=now)
    SupervisionNote.objects.create(duo=duo, text="Supervision text", at=now)


def test_the_staff_copy_answers_each_role_exactly(cast, client_as):
    for url in staff_urls(cast.amina_participant):
        for role, user in cast.users().items():
            response = client_as(user).get(url)
            assert response.status_code == STAFF_ONLY[role], (role, url)


def test_her_own_copy_and_page_answer_each_role_exactly(cast, client_as):
    for url in own_urls():
        for role, user in cast.users().items():
            response = client_as(user).get(url)
            assert response.status_code == OWN_ONLY[role], (role, url)
            if response.status_code == 200:
                body = response.content.decode(errors="replace")
                assert CANARY not in body


def test_an_outsider_never_gets_a_copy_of_another_organisations_participant(cast, client_as):
    olga = client_as(cast.olga)
    for url in staff_urls(cast.amina_participant):
        assert olga.get(url).status_code == 404
    for url in staff_urls(cast.canary_participant):
        assert client_as(cast.carla).get(url).status_code == 404


def test_the_staff_copy_is_complete(cast, duo):
    fill(duo)
    data = subject_data(cast.amina_participant, scope=FULL)
    text = json.dumps(data, ensure_ascii=False)
    assert data["participant"]["first_name"] == "Amina"
    assert data["participant"]["legal_status"] == "asylum_seeker"
    assert "Private intake note about Amina" in text
    for seen in ("Shared note", "Private note", "My comment", "His comment", "Supervision text"):
        assert seen in text
    assert data["duos"][0]["with"] == "Marek Nowak"
    assert any(row["action"] == "participant.create" for row in data["audit_trail"])


def test_her_own_copy_leaves_out_what_only_coordinators_see_and_says_so(cast, duo):
    fill(duo)
    data = subject_data(cast.amina_participant, scope=SELF)
    text = json.dumps(data, ensure_ascii=False)
    assert data["participant"]["email"] == "amina@a.example"
    assert "legal_status" not in data["participant"]
    for hidden in ("Private intake note", "Private note", "His comment", "Supervision text"):
        assert hidden not in text
    assert "Shared note" in text and "My comment" in text
    assert "audit_trail" not in data and "intake_notes" in data["not_included"]


def test_a_download_is_recorded_on_the_audit_trail(cast, client_as):
    response = client_as(cast.carla).get(staff_urls(cast.amina_participant)[0])
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["scope"] == "full"
    event = AuditEvent.objects.get(action="participant.export")
    assert (event.actor, event.target_id) == (cast.carla, str(cast.amina_participant.pk))
    assert event.detail == {"scope": "full", "format": "json"}
    client_as(cast.amina).get(reverse("privacy:my_export_pdf"))
    mine = AuditEvent.objects.filter(action="participant.export").latest("pk")
    assert (mine.actor, mine.detail) == (cast.amina, {"scope": "self", "format": "pdf"})


def test_the_pdf_is_in_her_language_right_to_left_for_arabic(cast, client_as):
    data = subject_data(cast.amina_participant, scope=SELF)
    arabic = build_subject_pdf(data, "ar")
    assert arabic.rtl
    written = " ".join(arabic.written)
    assert "Amina" in written
    assert any("\u0600" <= char <= "\u06ff" for char in written)
    assert "Private intake note" not in written
    french = " ".join(build_subject_pdf(data, "fr").written)
    assert "Prénom" in french and "Statut" in french
    response = client_as(cast.amina).get(reverse("privacy:my_export_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_the_staff_pdf_is_in_the_persons_language_whoever_downloads_it(cast, client_as):
    cast.amina_participant.language = "uk"
    cast.amina_participant.save()
    data = subject_data(cast.amina_participant, scope=FULL)
    written = " ".join(build_subject_pdf(data, "uk").written)
    assert any("\u0400" <= char <= "\u04ff" for char in written)
    response = client_as(cast.carla).get(staff_urls(cast.amina_participant)[1])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_her_copy_holds_her_own_reason_for_declining_and_not_the_other_sides(cast):
    from binome.matching.models import Proposal

    Proposal.objects.create(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        status=Proposal.Status.DECLINED,
        mentee_answer=Proposal.Answer.DECLINED,
        decline_reason="Her own reason",
    )
    amina = subject_data(cast.amina_participant, scope=SELF)["proposals"][0]
    marek = subject_data(cast.marek_participant, scope=SELF)["proposals"][0]
    staff = subject_data(cast.marek_participant, scope=FULL)["proposals"][0]
    assert amina["decline_reason"] == "Her own reason" == staff["decline_reason"]
    assert marek["decline_reason"] == ""


def test_the_pdf_names_the_closure_and_meetings_in_the_programmes_words(cast, duo):
    """The JSON copy keeps the codes; the PDF a person reads names them as her programme does."""
    services.vocabulary_defaults_create(programme=duo.programme)
    VocabularyItem.objects.filter(
        programme=duo.programme, vocabulary=Vocabulary.CLOSE_REASONS, code="goal_reached"
    ).update(label="Objectif atteint ensemble")
    Duo.objects.filter(pk=duo.pk).update(
        status=Duo.Status.CLOSED, closed_on=timezone.localdate(), close_reason="goal_reached"
    )
    data = subject_data(cast.amina_participant, scope=FULL)
    assert data["duos"][0]["close_reason"] == "goal_reached"
    written = " ".join(build_subject_pdf(data, "fr").written)
    assert "Objectif atteint ensemble" in written
    assert "goal_reached" not in written
