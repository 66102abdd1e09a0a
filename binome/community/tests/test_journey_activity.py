"""A coordinator plans an ice-breaker; Amina, in Arabic on a 360 px phone, says yes from her
space; the coordinator marks attendance on her phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from binome.accounts.models import User
from binome.community.models import Activity, Invitation
from binome.people.models import Participant
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def log_in(page, base, lang, email, next_url):
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email=email).update(language=lang)
    page.goto(f"{base}/{lang}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_ice_breaker_from_planning_to_attendance(cast, live_server, page_factory):
    base = live_server.url
    cast.org_a.content_languages = ["fr", "ar"]
    cast.org_a.save(update_fields=["content_languages"])
    Participant.objects.filter(pk=cast.amina_participant.pk).update(language="ar")
    starts = timezone.localtime() + datetime.timedelta(days=5)

    # Carla plans the ice-breaker, with its title in Arabic too.
    desk = page_factory()
    log_in(desk, base, "fr", "carla@a.example", "/fr/activities/new/")
    desk.check(f"input[name=programmes][value='{cast.programme.pk}']")
    desk.select_option("select[name=kind]", "ice_breaker")
    desk.fill("input[name=title]", "Pique-nique brise-glace")
    desk.fill("input[name=title__ar]", "نزهة التعارف")
    desk.fill("input[name=starts_at]", starts.strftime("%Y-%m-%dT14:00"))
    desk.fill("input[name=ends_at]", starts.strftime("%Y-%m-%dT17:00"))
    desk.fill("input[name=address]", "Parc Borély, Marseille")
    desk.fill("input[name=capacity]", "20")
    desk.select_option("select[name=audience]", "both")
    desk.click("main button[type=submit].primary")
    desk.wait_for_url("**/fr/activities/*/")
    activity = Activity.objects.get()
    expect(desk.locator("h1")).to_have_text("Pique-nique brise-glace")
    assert activity.invitations.count() == 2

    # Amina, on her phone in Arabic, opens her activities and says yes in one tap.
    phone = page_factory(width=360, height=740, locale="ar")
    log_in(phone, base, "ar", "amina@a.example", "/ar/me/activities/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    phone.click("text=نزهة التعارف")
    assert fits(phone)
    phone.click("button[name=answer][value=yes]")
    phone.wait_for_selector(".messages")
    invitation = Invitation.objects.get(participant=cast.amina_participant)
    assert invitation.answer == "yes"
    assert fits(phone)

    # Carla, on her phone at the park, ticks who came: Amina.
    carla_phone = page_factory(width=360, height=740)
    log_in(carla_phone, base, "fr", "carla@a.example", f"/fr/activities/{activity.pk}/attendance/")
    invitation = Invitation.objects.get(participant=cast.amina_participant)
    box = carla_phone.locator(f"input[name=came][value='{invitation.pk}']")
    assert box.bounding_box()["height"] >= 28
    box.check()
    carla_phone.click("button[type=submit].primary")
    carla_phone.wait_for_url(f"**/fr/activities/{activity.pk}/")
    assert fits(carla_phone)
    invitation.refresh_from_db()
    assert invitation.attended
