"""A mentee's family contacts, her referrals to partners and her team's accounts, in the copy of
her data and in its erasure."""

import pytest
from django.utils import timezone

from binome.accounts.models import User
from binome.duos.models import Objective
from binome.partners.models import ObjectivePartner, Partner, Referral
from binome.people import invitations, services
from binome.people.models import Guardian, Participant
from binome.privacy.services.erasure import participant_erase
from binome.privacy.subject import FULL, SELF, subject_data
from binome.privacy.subject_pdf import build_subject_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast):
    partner = Partner.objects.create(organisation=cast.org_a, name="France Travail")
    Referral.objects.create(
        participant=cast.amina_participant,
        partner=partner,
        referred_on=timezone.localdate(),
        reason="Amina needs a CV",
        outcome_note="Workshop booked",
    )
    Guardian.objects.create(
        participant=cast.amina_participant,
        name="Samira Haddad",
        relation=Guardian.Relation.PARENT,
        email="samira@family.example",
        phone="+33 6 00 00 00 01",
        notes="Call after 6 pm",
    )
    return partner


def test_the_full_copy_holds_her_family_and_referrals_and_her_own_copy_does_not(cast, family):
    full = subject_data(cast.amina_participant, scope=FULL)
    assert full["family"][0]["name"] == "Samira Haddad"
    assert full["referrals"][0] | {"partner": "France Travail"} == full["referrals"][0]
    assert full["referrals"][0]["reason"] == "Amina needs a CV"
    own = subject_data(cast.amina_participant, scope=SELF)
    assert "family" not in own and "referrals" not in own
    assert {"family", "referrals"} <= set(own["not_included"])
    pdf = bytes(build_subject_pdf(full, "en").output())
    assert pdf.startswith(b"%PDF")


def test_erasure_deletes_her_family_and_blanks_her_referrals_keeping_their_codes(cast, family):
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    assert not Guardian.objects.exists()
    referral = Referral.objects.get()
    assert (referral.reason, referral.outcome_note) == ("", "")
    assert (referral.partner, referral.outcome) == (family, Referral.Outcome.PENDING)


def test_erasure_removes_her_family_names_typed_elsewhere(cast, family):
    from binome.people.models import StatusChange

    StatusChange.objects.create(
        participant=cast.marek_participant,
        to_status="ready",
        note="Samira Haddad called about the schedule",
    )
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    change = StatusChange.objects.filter(participant=cast.marek_participant).last()
    assert change is not None and "Samira" not in change.note


def test_erasing_a_team_deletes_the_accounts_given_to_its_members(cast):
    team = services.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTEE,
        kind=Participant.Kind.TEAM,
        team_name="Capaci",
        members=[{"name": "Marco", "email": "marco@capaci.example"}],
    )
    invitations.team_member_invite(member=team.members.get(), actor=cast.carla)
    User.objects.filter(email="marco@capaci.example").update(email="other@capaci.example")
    participant_erase(participant=team, actor=cast.carla)
    assert not User.objects.filter(email="other@capaci.example").exists()


def test_erasure_blanks_what_a_partner_does_for_her_duos_objectives(cast):
    from binome.duos.models import Duo
    from binome.testing import make_duo

    duo = make_duo(cast)
    partner = Partner.objects.create(organisation=cast.org_a, name="Habitat")
    objective = Objective.objects.create(duo=duo, title="Find a flat")
    ObjectivePartner.objects.create(objective=objective, partner=partner, role="Flat for Amina")
    Duo.objects.filter(pk=duo.pk).update(
        status=Duo.Status.CLOSED, closed_on=timezone.localdate(), close_reason="completed"
    )
    participant_erase(participant=cast.amina_participant, actor=cast.carla)
    assert ObjectivePartner.objects.get().role == ""
