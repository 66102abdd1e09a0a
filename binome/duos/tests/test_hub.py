"""The duo page (coordinator's face and "My duo") and the list of one's duos."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from binome.duos.models import (
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    FollowUpAnswer,
    Meeting,
    Objective,
    Signature,
    SupervisionNote,
    Visit,
)
from binome.duos.tests.helpers import en
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES, make_duo

# What only coordinators may read; none of it may reach the duo's two sides.
SECRETS = [
    "Private meeting note",
    "Supervision call about the duo",
    "Outcome note for coordinators",
    "Alert resolution text",
    "Mentee worry in a check-in",
    "Private intake note about Amina",
    "Asylum seeker",
]


def add_meetings(duo, count: int, *, private_notes: str = "") -> None:
    start = timezone.now() - datetime.timedelta(days=count + 1)
    Meeting.objects.bulk_create(
        Meeting(
            duo=duo,
            starts_at=start + datetime.timedelta(days=index),
            themes=["Pratiquer le français"],
            supports=["moral"],
            shared_notes=f"Shared note {index}",
            private_notes=private_notes,
        )
        for index in range(count)
    )


def fill(duo, cast) -> Duo:
    """Give the duo one of everything, coordinator-only texts included."""
    now = timezone.now()
    add_meetings(duo, 2, private_notes="Private meeting note")
    Meeting.objects.create(
        duo=duo,
        status=Meeting.Status.PLANNED,
        starts_at=now + datetime.timedelta(days=3),
        mode=Meeting.Mode.VIDEO,
        private_notes="Private meeting note",
    )
    Objective.objects.create(
        duo=duo, title="Écrire un CV", need="employment", due_on=duo.planned_end_on
    )
    CheckIn.objects.create(
        duo=duo, side="mentee", mood=2, comment="Mentee worry in a check-in", created_at=now
    )
    SupervisionNote.objects.create(duo=duo, text="Supervision call about the duo", at=now)
    Alert.objects.create(
        duo=duo,
        kind=Alert.Kind.LOW_MOOD,
        key="1",
        opened_at=now,
        resolved_at=now,
        resolution="Alert resolution text",
    )
    Alert.objects.create(duo=duo, kind=Alert.Kind.CALL_REQUESTED, key="2", opened_at=now)
    return duo


def close(duo) -> Duo:
    today = timezone.localdate()
    Duo.objects.filter(pk=duo.pk).update(
        status=Duo.Status.CLOSED,
        closed_on=today,
        close_reason=Duo.CloseReason.WORK_OR_TRAINING,
        outcomes=["employment"],
        outcome_notes="Outcome note for coordinators",
    )
    ClosingFeedback.objects.create(
        duo=duo, side="mentee", rating=5, best="Les visites", at=timezone.now()
    )
    follow_up = FollowUp.objects.create(duo=duo, due_on=today + datetime.timedelta(days=90))
    FollowUpAnswer.objects.create(
        follow_up=follow_up, side="mentor", usefulness=4, answered_at=timezone.now()
    )
    duo.refresh_from_db()
    return duo


@pytest.mark.parametrize("role", ROLES)
def test_the_duo_page_is_for_its_two_sides_and_its_organisations_staff(duo, cast, client_as, role):
    response = client_as(cast.users()[role]).get(en("duos:detail", duo.pk))
    assert response.status_code == PARTIES_AND_STAFF[role]
    if response.status_code == 200:
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("mentee", 302),
        ("mentor", 302),
        ("coordinator", 200),
        ("viewer", 200),
        ("admin", 200),
        ("outsider", 200),
    ],
)
def test_my_duo_sends_each_side_to_its_duo_and_others_to_an_empty_list(
    duo, cast, client_as, role, expected
):
    response = client_as(cast.users()[role]).get(en("duos:mine"))
    assert response.status_code == expected
    if role in ("mentee", "mentor"):
        assert response.url == en("duos:detail", duo.pk)
    if expected == 200:
        page = response.content.decode()
        assert "No duo yet" in page
        assert CANARY not in page


def test_an_unknown_duo_is_a_404_even_for_staff(cast, client_as):
    assert client_as(cast.carla).get(en("duos:detail", 999999)).status_code == 404


def test_another_organisations_duo_is_a_404(cast, client_as):
    duo = make_duo(cast)
    assert client_as(cast.olga).get(en("duos:detail", duo.pk)).status_code == 404


def test_my_duo_lists_every_duo_when_none_is_open(cast, client_as):
    first = close(make_duo(cast))
    Duo.objects.filter(pk=first.pk).update(created_at=timezone.now())
    second = close(make_duo(cast))
    page = client_as(cast.amina).get(en("duos:mine")).content.decode()
    assert en("duos:detail", first.pk) in page
    assert en("duos:detail", second.pk) in page


def test_the_coordinator_sees_everything_on_the_duo_page(duo, cast, client_as):
    close(fill(duo, cast))
    page = client_as(cast.carla).get(en("duos:detail", duo.pk)).content.decode()
    for text in SECRETS[:5]:
        assert text in page, text
    assert "Écrire un CV" in page
    assert "Mentee found work or training" in page
    assert "Les visites" in page
    assert en("people:detail", cast.programme.pk, cast.amina_participant.pk) in page


def test_the_two_sides_never_see_what_is_for_coordinators(duo, cast, client_as):
    fill(duo, cast)
    for user in (cast.marek, cast.amina):
        page = client_as(user).get(en("duos:detail", duo.pk)).content.decode()
        assert "Écrire un CV" in page
        for text in SECRETS:
            assert text not in page, (user, text)
    close(duo)
    for user in (cast.marek, cast.amina):
        page = client_as(user).get(en("duos:detail", duo.pk)).content.decode()
        for text in SECRETS:
            assert text not in page, (user, text)


def test_my_duo_shows_the_other_side_the_next_meeting_and_the_big_buttons(
    duo, cast, client_as, settings
):
    settings.VIDEO_BASE_URL = "https://video.example"
    fill(duo, cast)
    page = client_as(cast.amina).get(en("duos:detail", duo.pk)).content.decode()
    assert "My duo with Marek" in page
    assert "Nowak" not in page  # a first name is enough on the mentee's phone
    assert "Join the video call" in page
    assert duo.video_link in page
    assert en("duos:meeting_new", duo.pk) in page
    assert en("duos:checkin", duo.pk) in page
    assert "carla@a.example" in page
    assert "Please read the agreement and sign it." in page


def test_my_duo_says_when_the_agreement_is_signed_by_all(duo, cast, client_as):
    agreement = Agreement.objects.get(duo=duo)
    Agreement.objects.filter(pk=agreement.pk).update(frozen_at=timezone.now())
    page = client_as(cast.marek).get(en("duos:detail", duo.pk)).content.decode()
    assert "Signed by everyone." in page


def test_a_side_that_signed_is_told_it_waits_for_the_others(duo, cast, client_as):
    Signature.objects.create(
        agreement=duo.agreement,
        party="mentor",
        method=Signature.Method.ONLINE,
        typed_name="Marek Nowak",
        language="fr",
        text_hash="0" * 64,
        signed_at=timezone.now(),
        user=cast.marek,
    )
    marek = client_as(cast.marek).get(en("duos:detail", duo.pk)).content.decode()
    amina = client_as(cast.amina).get(en("duos:detail", duo.pk)).content.decode()
    assert "waiting for the other signatures" in marek
    assert "Please read the agreement and sign it." in amina
    carla = client_as(cast.carla).get(en("duos:detail", duo.pk)).content.decode()
    assert "Marek Nowak" in carla and "Confirmed online" in carla


def test_after_closure_the_sides_get_the_feedback_link_instead_of_the_buttons(duo, cast, client_as):
    close(duo)
    page = client_as(cast.marek).get(en("duos:detail", duo.pk)).content.decode()
    assert "Your mentoring is over" in page
    assert en("duos:feedback", duo.pk) in page
    assert en("duos:meeting_new", duo.pk) not in page
    # Amina already gave hers.
    page = client_as(cast.amina).get(en("duos:detail", duo.pk)).content.decode()
    assert "You have shared your feedback" in page


def test_a_city_to_city_duo_shows_which_visits_are_done(cast, client_as):
    Programme.objects.filter(pk=cast.programme.pk).update(
        kind=Programme.Kind.CITY_TO_CITY, duration_months=18
    )
    cast.programme.refresh_from_db()
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=200))
    for host, city, days in [("mentee", "Capaci", 150), ("mentor", "Mechelen", 60)]:
        day = timezone.localdate() - datetime.timedelta(days=days)
        Visit.objects.create(duo=duo, host=host, city=city, starts_on=day, ends_on=day)
    for user in (cast.carla, cast.amina):
        page = client_as(user).get(en("duos:detail", duo.pk)).content.decode()
        assert "Visits: 2 of 3 done" in page
        assert "Capaci" in page and "Mechelen" in page
        assert page.count('class="done"') == 2 and page.count('class="todo"') == 1


def test_the_health_counts_meetings_against_the_programmes_rhythm(cast, client_as):
    # Two a month for two months: four expected, one held.
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=61))
    add_meetings(duo, 1)
    page = client_as(cast.carla).get(en("duos:detail", duo.pk)).content.decode()
    assert "1 / 4" in page
    assert "A call was requested" not in page


@pytest.mark.parametrize("user", ["carla", "amina"])
def test_the_page_needs_the_same_queries_for_2_or_20_meetings(cast, client_as, user):
    client = client_as(getattr(cast, user))
    counts = []
    for meetings in (2, 20):
        Duo.objects.all().delete()
        duo = make_duo(cast)
        add_meetings(duo, meetings, private_notes="x")
        for index in range(meetings):
            Objective.objects.create(duo=duo, title=f"Objective {index}")
            CheckIn.objects.create(duo=duo, side="mentee", mood=4, created_at=timezone.now())
        url = en("duos:detail", duo.pk)
        client.get(url)  # sessions and caches warmed
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_menu_offers_my_duo_to_a_side_and_duos_to_staff(duo, cast, client_as):
    home = en("people:my_space")
    page = client_as(cast.amina).get(home).content.decode()
    assert f'href="{en("duos:mine")}"' in page
    staff_page = client_as(cast.carla).get(en("duos:detail", duo.pk)).content.decode()
    assert f'href="{en("duos:board")}"' in staff_page
    viewer = client_as(cast.vera).get(en("programmes:list")).content.decode()
    assert en("duos:board") not in viewer


def test_the_participants_page_links_to_the_open_duo(duo, cast, client_as):
    url = en("people:detail", cast.programme.pk, cast.marek_participant.pk)
    page = client_as(cast.carla).get(url).content.decode()
    assert en("duos:detail", duo.pk) in page
    assert "Duo with Amina Haddad" in page


def test_my_duo_fits_a_360_px_phone_in_arabic(duo, cast, live_server, page_factory, tmp_path):
    fill(duo, cast)
    page = page_factory(width=360, height=780, locale="ar")
    page.context.add_cookies(
        [{"name": "sessionid", "value": _session(cast.amina), "url": live_server.url}]
    )
    with translation.override("ar"):
        url = reverse("duos:detail", args=[duo.pk])
        log_url = reverse("duos:meeting_new", args=[duo.pk])
    page.goto(live_server.url + url)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().strip()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    log = page.locator(f'a[href="{log_url}"]')
    box = log.first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300
    page.screenshot(path=str(tmp_path / "my-duo-ar-360.png"), full_page=True)
    body = page.content()
    for text in SECRETS:
        assert text not in body


def test_my_duo_fits_a_360_px_phone_in_ukrainian(duo, cast, live_server, page_factory):
    fill(duo, cast)
    page = page_factory(width=360, height=780, locale="uk")
    page.context.add_cookies(
        [{"name": "sessionid", "value": _session(cast.marek), "url": live_server.url}]
    )
    with translation.override("uk"):
        url = reverse("duos:detail", args=[duo.pk])
    page.goto(live_server.url + url)
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _session(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def test_the_coordinator_resolves_an_open_alert_from_the_duo_page(duo, cast, client_as):
    fill(duo, cast)
    alert = Alert.objects.get(duo=duo, resolved_at__isnull=True)
    client = client_as(cast.carla)
    page = client.get(en("duos:detail", duo.pk)).content.decode()
    action = en("duos:alert_resolve", duo.pk, alert.pk)
    assert f'action="{action}"' in page
    client.post(action, {"resolution": "Called Amina back"})
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolution == "Called Amina back"


def test_the_coordinator_sees_which_side_cannot_log_in_and_invites_it_from_the_duo(
    duo, cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    Participant.objects.filter(pk=cast.amina_participant.pk).update(user=None)
    client = client_as(cast.carla)
    page = client.get(en("duos:detail", duo.pk)).content.decode()
    assert page.count("no account") == 1
    invite = reverse("people:invite", args=[cast.programme.pk, cast.amina_participant.pk])
    assert f'action="{invite}"' in page
    # The invitation goes out, and the coordinator is back on the duo's page.
    duo_page = en("duos:detail", duo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite, {"next": duo_page})
    assert response.status_code == 302 and response.url == duo_page
    assert [message.to for message in mailoutbox] == [["amina@a.example"]]
    assert "no account" not in client.get(duo_page).content.decode()
    # Only a page of this site: anything else leads to the participant's page.
    response = client.post(invite, {"next": "https://elsewhere.example/"})
    assert response.url == reverse(
        "people:detail", args=[cast.programme.pk, cast.amina_participant.pk]
    )


def test_the_sides_see_no_invitation_and_a_closed_duo_offers_none(duo, cast, client_as):
    Participant.objects.filter(pk=cast.amina_participant.pk).update(user=None)
    page = client_as(cast.marek).get(en("duos:detail", duo.pk)).content.decode()
    assert "no account" not in page and "/invite/" not in page
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED)
    page = client_as(cast.carla).get(en("duos:detail", duo.pk)).content.decode()
    assert "no account" not in page


def test_my_duo_names_the_organisation_once_the_coordinator_has_left_it(duo, cast, client_as):
    from binome.accounts.models import Membership

    cast.org_a.contact_email = "contact@a.example"
    cast.org_a.save()
    page = client_as(cast.amina).get(en("duos:detail", duo.pk)).content.decode()
    assert "Carla Coordinatrice" in page
    Membership.objects.filter(user=cast.carla).delete()
    page = client_as(cast.amina).get(en("duos:detail", duo.pk)).content.decode()
    assert "Carla Coordinatrice" not in page and "carla@a.example" not in page
    assert "contact@a.example" in page
