"""A duo's whole life in a real browser, under a clock the test moves forward.

Proposal accepted → agreement signed by all three → two objectives → three meetings (one by
video, with its link and .ics) → a missed rhythm raises an alert on the supervision board →
early closure with an outcome → the follow-up e-mail three months later, answered from its link.
A city-to-city duo logs its three visits.
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from binome.accounts.models import User
from binome.duos.models import Alert, Duo, FollowUpAnswer, Meeting, Objective, Visit
from binome.duos.tests.helpers import PARIS
from binome.matching.models import Proposal
from binome.people.models import Participant, TeamMember
from binome.programmes.models import Programme
from binome.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)


def log_in(page, base, lang, email, next_url):
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email=email).update(language=lang)
    page.goto(f"{base}/{lang}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def visit(page, base, email, path):
    """Open a page; a session that expired while the clock moved on logs in again."""
    page.goto(base + path)
    if "/accounts/login/" in page.url:
        log_in(page, base, path[1:3], email, path)


def sign(page, name):
    page.fill("input[name=typed_name]", name)
    page.check("input[name=confirm]")
    page.click("form.sign-form button[type=submit]")
    page.wait_for_selector(".messages")


def log_meeting(page, base, duo, place):
    """The mentor's three taps: "log a meeting" on My duo, the place, Save."""
    visit(page, base, "marek@a.example", f"/fr/duos/{duo.pk}/")
    page.click(f"a[href='/fr/duos/{duo.pk}/meetings/new/']")
    page.check("input[name=mode][value=in_person]")
    page.fill("input[name=place]", place)
    page.click("form button.primary[type=submit]")
    # A party who logged a meeting is asked how it went.
    page.wait_for_url(f"**/fr/duos/{duo.pk}/check-in/?meeting=*")
    page.click("label.face.m4")
    # The face must be chosen before Send, or the browser keeps the form (the radio is required).
    expect(page.locator("label.face.m4 input")).to_be_checked()
    with page.expect_navigation(url=f"**/fr/duos/{duo.pk}/"):
        page.click("form.checkin-form button[type=submit]")


def test_a_duo_lives_from_its_proposal_to_its_follow_up(cast, live_server, page_factory):
    base = live_server.url
    amina, marek = cast.amina_participant, cast.marek_participant
    amina.language = "ar"
    amina.status = Participant.Status.READY
    amina.save(update_fields=["language", "status"])
    with time_machine.travel(START, tick=True) as clock:
        proposal = Proposal.objects.create(
            programme=cast.programme, mentee=amina, mentor=marek, score=80, created_by=cast.carla
        )

        # Amina accepts on her phone, in Arabic; Marek accepts: the duo starts.
        phone = page_factory(width=360, height=740, locale="ar")
        log_in(phone, base, "ar", "amina@a.example", f"/ar/proposals/{proposal.pk}/")
        phone.click("button[value=accepted]")
        phone.wait_for_selector(".messages")
        desk_mentor = page_factory(width=1024, height=800)
        log_in(desk_mentor, base, "fr", "marek@a.example", f"/fr/proposals/{proposal.pk}/")
        desk_mentor.click("button[value=accepted]")
        desk_mentor.wait_for_selector(".messages")
        duo = Duo.objects.get(mentee=amina)
        assert duo.status == Duo.Status.STARTING
        assert duo.started_on == START.date()

        # The agreement: Amina reads it in Arabic if there is a text, signs; Marek; Carla.
        phone.goto(f"{base}/ar/duos/{duo.pk}/agreement/")
        assert phone.locator("html").get_attribute("dir") == "rtl"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        sign(phone, "Amina Haddad")
        phone.screenshot(path="/tmp/journey_agreement_ar.png", full_page=True)
        desk_mentor.goto(f"{base}/fr/duos/{duo.pk}/agreement/")
        sign(desk_mentor, "marek nowak")
        coordinator = page_factory(width=1280, height=900)
        log_in(coordinator, base, "fr", "carla@a.example", f"/fr/duos/{duo.pk}/agreement/")
        sign(coordinator, "Carla Coordinatrice")
        duo.refresh_from_db()
        assert duo.status == Duo.Status.ACTIVE
        assert len(duo.agreement.text_hash) == 64
        assert duo.agreement.signatures.count() == 3
        pdf = coordinator.request.get(f"{base}/fr/duos/{duo.pk}/agreement/pdf/")
        assert pdf.ok and pdf.body().startswith(b"%PDF")

        # The action plan: two objectives, written by the mentor.
        desk_mentor.goto(f"{base}/fr/duos/{duo.pk}/plan/")
        for title in ("Préparer un CV", "Trouver un stage en cuisine"):
            details = desk_mentor.locator("details.add-objective")
            if details.get_attribute("open") is None:
                details.locator("summary").click()
            desk_mentor.fill("details.add-objective input[name=title]", title)
            desk_mentor.click("details.add-objective button[type=submit]")
            desk_mentor.wait_for_selector(f"li.objective:has-text('{title}')")
        assert Objective.objects.filter(duo=duo).count() == 2

        # Two meetings in person, a week apart, each followed by the check-in.
        clock.move_to(START + datetime.timedelta(days=7, hours=8))
        log_meeting(desk_mentor, base, duo, "Café du Cours Julien")
        clock.move_to(START + datetime.timedelta(days=21, hours=8))
        log_meeting(desk_mentor, base, duo, "Bibliothèque de l'Alcazar")

        # The third is planned by video: the duo's link, and an .ics for the calendar.
        visit(desk_mentor, base, "marek@a.example", f"/fr/duos/{duo.pk}/meetings/new/?planned=1")
        next_time = START + datetime.timedelta(days=28, hours=9)
        desk_mentor.fill("input[name=starts_at]", next_time.strftime("%Y-%m-%dT%H:%M"))
        desk_mentor.check("input[name=mode][value=video]")
        desk_mentor.click("form button.primary[type=submit]")
        desk_mentor.wait_for_url(f"**/fr/duos/{duo.pk}/meetings/")
        video = Meeting.objects.get(duo=duo, status=Meeting.Status.PLANNED)
        assert duo.video_link and duo.video_link in desk_mentor.content()
        ics = desk_mentor.request.get(f"{base}/fr/duos/{duo.pk}/meetings/{video.pk}/calendar.ics")
        assert ics.ok and b"BEGIN:VEVENT" in ics.body()
        assert duo.video_link.encode() in ics.body().replace(b"\r\n ", b"")
        # Amina sees it on her phone, with the link to join.
        visit(phone, base, "amina@a.example", f"/ar/duos/{duo.pk}/")
        assert phone.locator(f"a[href='{duo.video_link}']").count() >= 1
        phone.screenshot(path="/tmp/journey_my_duo_ar.png", full_page=True)

        # The video meeting takes place; the coordinator marks it held.
        clock.move_to(next_time + datetime.timedelta(hours=2))
        visit(coordinator, base, "carla@a.example", f"/fr/duos/{duo.pk}/meetings/{video.pk}/")
        coordinator.check("input[name=held]")
        coordinator.click("form button.primary[type=submit]")
        coordinator.wait_for_url(f"**/fr/duos/{duo.pk}/meetings/")
        assert Meeting.objects.filter(duo=duo, status=Meeting.Status.HELD).count() == 3

        # Then nothing for seven weeks: the job raises an alert, the board shows it.
        clock.move_to(next_time + datetime.timedelta(days=49))
        call_command("send_notifications")
        assert Alert.objects.filter(duo=duo, kind=Alert.Kind.NO_MEETING, resolved_at=None)
        visit(coordinator, base, "carla@a.example", "/fr/duos/")
        row = coordinator.locator("table.board tbody tr", has_text="Amina")
        assert row.locator("span.badge.alert.no_meeting").count() == 1
        # The filters apply as the coordinator ticks or types (htmx), and the address keeps them.
        coordinator.check("#id_alerts")
        coordinator.wait_for_url("**alerts=on**")
        coordinator.locator("#id_q").press_sequentially("Amina", delay=30)
        coordinator.wait_for_url("**q=Amina**")
        expect(coordinator.locator(".htmx-request")).to_have_count(0)
        row = coordinator.locator("table.board tbody tr", has_text="Amina")
        assert row.count() == 1
        coordinator.screenshot(path="/tmp/journey_board.png", full_page=True)
        # Leaving the search box for the duo sends no second search that could race the click.
        searches = []
        coordinator.on("request", lambda r: searches.append(r.url) if "q=" in r.url else None)
        row.locator(f"a[href$='/duos/{duo.pk}/']").first.click()
        coordinator.wait_for_url(f"**/fr/duos/{duo.pk}/")
        assert searches == []

        # Amina found a training: the coordinator closes the duo early, with its outcome.
        visit(coordinator, base, "carla@a.example", f"/fr/duos/{duo.pk}/close/")
        coordinator.select_option("select[name=reason]", "work_training")
        coordinator.check("input[name=outcomes][value=training]")
        coordinator.fill("textarea[name=outcome_notes]", "Formation d'aide-cuisinière")
        coordinator.check("input[name=mentor_next][value=pool]")
        coordinator.check("input[name=mentee_next][value=leave]")
        coordinator.click("form.close-form button[type=submit]")
        coordinator.wait_for_selector(".messages")
        duo.refresh_from_db()
        assert duo.status == Duo.Status.CLOSED and duo.outcomes == ["training"]
        closed_on = duo.closed_on
        assert closed_on is not None
        assert not Alert.objects.filter(duo=duo, resolved_at=None).exists()

        # Three months later, the follow-up questionnaire goes out, once.
        mail.outbox.clear()
        clock.move_to(datetime.datetime.combine(closed_on, datetime.time(10), PARIS))
        call_command("send_notifications")
        assert not [
            m for m in mail.outbox if m.extra_headers.get("X-Binome-Notification") == "follow_up"
        ]
        clock.move_to(datetime.datetime.combine(duo.follow_up.due_on, datetime.time(10), PARIS))
        call_command("send_notifications")
        call_command("send_notifications")
        follow_ups = [
            m for m in mail.outbox if m.extra_headers.get("X-Binome-Notification") == "follow_up"
        ]
        assert sorted(m.to[0] for m in follow_ups) == ["amina@a.example", "marek@a.example"]
        to_amina = next(m for m in follow_ups if m.to == ["amina@a.example"])
        assert "Formation d'aide-cuisinière" not in to_amina.body
        found = re.search(r"https?://\S+/ar/follow-up/\S+/", str(to_amina.body))
        assert found is not None
        link = found.group(0)

        # Amina answers from the link, without logging in.
        anonymous = page_factory(width=360, height=740, locale="ar")
        anonymous.goto(base + link[link.index("/ar/") :])
        anonymous.check("input[name=situation][value=training]")
        anonymous.check("input[name=still_in_contact][value=yes]")
        anonymous.check("input[name=usefulness][value='5']")
        anonymous.click("form.follow-up-form button[type=submit]")
        anonymous.wait_for_load_state()
        answer = FollowUpAnswer.objects.get(follow_up__duo=duo)
        assert (answer.side, answer.usefulness) == ("mentee", 5)
        visit(coordinator, base, "carla@a.example", f"/fr/duos/{duo.pk}/")
        assert "Formation d'aide-cuisinière" in coordinator.content()
        coordinator.screenshot(path="/tmp/journey_closed_duo.png", full_page=True)


def test_a_city_to_city_duo_completes_its_three_visits(cast, live_server, page_factory):
    base = live_server.url
    programme = cast.programme
    programme.kind = Programme.Kind.CITY_TO_CITY
    programme.save(update_fields=["kind"])
    teams: dict[str, Participant] = {}
    for role, city, email in (
        (Participant.Role.MENTEE, "Capaci", "sindaco@capaci.example"),
        (Participant.Role.MENTOR, "Mechelen", "marek@a.example"),
    ):
        team = Participant.objects.create(
            programme=programme, role=role, kind=Participant.Kind.TEAM, team_name=city, city=city
        )
        TeamMember.objects.create(
            participant=team, name=f"Représentant {city}", email=email, is_representative=True
        )
        teams[role] = team
    duo = Duo.objects.create(
        programme=programme, mentor=teams["mentor"], mentee=teams["mentee"], status="active"
    )
    from binome.duos.services.common import duo_start

    with time_machine.travel(START, tick=True) as clock:
        duo_start(duo=duo, actor=cast.carla)
        page = page_factory(width=1024, height=800)
        log_in(page, base, "fr", "marek@a.example", f"/fr/duos/{duo.pk}/visits/")
        for days, host, city in ((20, "mentee", "Capaci"), (60, "mentor", "Mechelen")):
            clock.move_to(START + datetime.timedelta(days=days))
            visit(page, base, "marek@a.example", f"/fr/duos/{duo.pk}/visits/new/")
            page.check(f"input[name=host][value={host}]")
            page.fill("input[name=city]", city)
            day = (START + datetime.timedelta(days=days - 2)).date().isoformat()
            page.fill("input[name=starts_on]", day)
            page.fill("input[name=ends_on]", day)
            page.fill("textarea[name=agenda]", "Guichet unique, rencontre des associations")
            page.click("form button.primary[type=submit]")
            page.wait_for_url(f"**/fr/duos/{duo.pk}/visits/")
        assert Visit.objects.filter(duo=duo).count() == 2
        clock.move_to(START + datetime.timedelta(days=120))
        visit(page, base, "marek@a.example", f"/fr/duos/{duo.pk}/visits/new/")
        page.check("input[name=host][value=mentee]")
        page.fill("input[name=city]", "Capaci")
        day = (START + datetime.timedelta(days=118)).date().isoformat()
        page.fill("input[name=starts_on]", day)
        page.fill("input[name=ends_on]", day)
        page.click("form button.primary[type=submit]")
        page.wait_for_url(f"**/fr/duos/{duo.pk}/visits/")
        page.screenshot(path="/tmp/journey_visits.png", full_page=True)
        from binome.duos.selectors import visits_progress

        progress = visits_progress(duo)
        assert progress["complete"] and progress["done"] == {"mentee": 2, "mentor": 1}
        # The page shows the three expected visits ticked, and none left to do.
        assert page.locator("p.visit-count").inner_text() == "Visites effectuées\xa0: 3 sur 3 ✓"
        assert page.locator("ul.visit-slots li.done").count() == 3
        assert page.locator("ul.visit-slots li.todo").count() == 0
