"""In a real Chromium: a coordinator adds a partner and refers a participant; a member of a city
team logs in on a phone and reads the team's action plan."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from binome.accounts.models import User
from binome.duos.models import Duo, Objective
from binome.duos.services.common import duo_start
from binome.partners.models import Partner, Referral
from binome.people import invitations, services
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base_url, email):
    page.goto(f"{base_url}/fr/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_carla_adds_a_partner_and_refers_amina_to_it(cast, live_server, page_factory):
    page = page_factory(1280, 900)
    log_in(page, live_server.url, "carla@a.example")
    page.goto(f"{live_server.url}/fr/programmes/{cast.programme.pk}/")
    page.locator(f"a[href$='/organisations/{cast.org_a.pk}/partners/']").click()
    page.locator(f"a[href$='/organisations/{cast.org_a.pk}/partners/new/']").click()

    # A first try without a name: refused with a message, what was typed is kept.
    page.select_option("#id_kind", "employment")
    page.fill("#id_description", "Ateliers CV et inscription")
    page.click("#partner-form button[type=submit]")
    expect(page.locator("#partner-form .errors").first).to_be_visible()
    assert page.input_value("#id_description") == "Ateliers CV et inscription"
    page.fill("#id_name", "France Travail Marseille")
    page.click("#partner-form button[type=submit]")
    page.wait_for_url("**/partners/*/")
    partner = Partner.objects.get(organisation=cast.org_a)

    page.fill("#id_name", "Paul Partner")
    page.fill("#id_email", "paul@partner.example")
    page.locator(f"form[action$='/partners/{partner.pk}/contacts/new/'] button").click()
    page.wait_for_url(f"**/partners/{partner.pk}/")
    assert "Paul Partner" in page.locator("#contacts").inner_text()

    page.goto(
        f"{live_server.url}/fr/programmes/{cast.programme.pk}/participants/"
        f"{cast.amina_participant.pk}/"
    )
    page.locator("#referrals a[href$='/refer/']").click()
    page.select_option("#id_partner", str(partner.pk))
    page.select_option("#id_contact", str(partner.contacts.get().pk))
    page.fill("#id_reason", "Préparer un CV au format français")
    page.click("#referral-form button[type=submit]")
    page.wait_for_url(f"**/participants/{cast.amina_participant.pk}/")
    referrals = page.locator("#referrals").inner_text()
    assert "France Travail Marseille" in referrals and "Préparer un CV" in referrals
    page.screenshot(path="/tmp/partners_referral.png", full_page=True)

    referral = Referral.objects.get()
    assert (referral.participant, referral.by, referral.referred_on) == (
        cast.amina_participant,
        cast.carla,
        timezone.localdate(),
    )


def test_a_team_member_reads_the_teams_action_plan_on_a_phone(cast, live_server, page_factory):
    Programme.objects.filter(pk=cast.programme.pk).update(kind=Programme.Kind.CITY_TO_CITY)
    cast.programme.refresh_from_db()
    teams = {}
    for role, name, members in [
        ("mentee", "Capaci", [("Rita", True), ("Marco", False)]),
        ("mentor", "Mechelen", [("Jan", True)]),
    ]:
        teams[role] = services.participant_create(
            programme=cast.programme,
            role=role,
            kind=Participant.Kind.TEAM,
            team_name=name,
            status=Participant.Status.MATCHED,
            members=[
                {
                    "name": member,
                    "email": f"{member.lower()}@team.example",
                    "is_representative": rep,
                }
                for member, rep in members
            ],
        )
    duo = Duo.objects.create(
        programme=cast.programme, mentor=teams["mentor"], mentee=teams["mentee"]
    )
    duo_start(duo=duo, actor=cast.carla)
    Objective.objects.create(duo=duo, title="Ouvrir un guichet unique pour les nouveaux arrivants")
    marco = teams["mentee"].members.get(name="Marco")
    user = invitations.team_member_invite(member=marco, actor=cast.carla)
    user.set_password(PASSWORD)
    user.save()
    assert User.objects.get(email="marco@team.example").team_memberships.get() == marco

    page = page_factory(360, 740)
    log_in(page, live_server.url, "marco@team.example")
    page.goto(f"{live_server.url}/fr/me/duo/")
    page.wait_for_url(f"**/duos/{duo.pk}/")
    assert page.locator("#team-member-duo").is_visible()
    assert "Mechelen" in page.locator("h1").inner_text()
    page.locator(f"#team-member-duo a[href$='/duos/{duo.pk}/plan/']").click()
    page.wait_for_url(f"**/duos/{duo.pk}/plan/")
    assert "Ouvrir un guichet unique" in page.locator("#plan").inner_text()
    assert page.locator("details.add-objective").count() == 0
    # Readable on a phone: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.screenshot(path="/tmp/partners_team_member_plan.png", full_page=True)
