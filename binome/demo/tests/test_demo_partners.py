"""The demo has partners with referrals, a young mentee's guardian and team members' logins."""

import tempfile

from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from binome.demo.load import DEMO_DOMAIN, DEMO_PASSWORD, load_demo
from binome.demo.partners import TEAM_MEMBER_LOCAL
from binome.partners.models import ObjectivePartner, Partner, PartnerContact, Referral
from binome.people.models import Guardian, TeamMember


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="binome-demo-media-"))
class TestDemoPartners(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_cai_and_inclucities_have_a_partner_each_with_a_referral(self):
        kinds = dict(Partner.objects.values_list("organisation__slug", "kind"))
        assert kinds == {"cai": "employment", "inclucities": "municipality"}
        for partner in Partner.objects.all():
            referral = Referral.objects.get(partner=partner)
            organisation = referral.participant.programme.organisation_id
            assert organisation == partner.organisation_id
            assert referral.outcome != Referral.Outcome.PENDING
        assert ObjectivePartner.objects.count() == 2

    def test_a_second_load_adds_nothing(self):
        counts = [Partner.objects.count(), PartnerContact.objects.count()]
        counts += [Referral.objects.count(), Guardian.objects.count()]
        load_demo()
        again = [Partner.objects.count(), PartnerContact.objects.count()]
        again += [Referral.objects.count(), Guardian.objects.count()]
        assert counts == again

    def test_the_remote_programmes_young_mentee_has_a_guardian_who_gets_the_reminders(self):
        guardian = Guardian.objects.get()
        mentee = guardian.participant
        assert mentee.programme.slug == "mentorat-a-distance"
        assert mentee.birth_year is not None
        assert timezone.localdate().year - mentee.birth_year < 18
        assert guardian.consent and guardian.practical_emails and guardian.is_legal_guardian

    def test_the_demo_team_member_logs_in_and_reads_the_teams_action_plan(self):
        email = f"{TEAM_MEMBER_LOCAL}@{DEMO_DOMAIN}"
        member = TeamMember.objects.get(email=email)
        assert not member.is_representative
        assert TeamMember.objects.filter(user__isnull=False).count() >= 3
        assert member.user is not None
        assert member.user.check_password(DEMO_PASSWORD)
        client = Client()
        client.force_login(member.user)
        with translation.override("en"):
            mine = client.get(reverse("duos:mine"))
            plan = client.get(mine["Location"].rstrip("/") + "/plan/")
        assert plan.status_code == 200
        assert "Draft the local action plan" in plan.content.decode()
