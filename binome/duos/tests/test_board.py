import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from binome.duos.models import Agreement, Alert, CheckIn, Duo, Meeting
from binome.duos.periods import expected_meetings
from binome.duos.selectors import board_rows, duo_health
from binome.duos.services.meetings import meeting_log
from binome.duos.services.supervision import alerts_refresh, checkin_record
from binome.duos.tests.helpers import PARIS, START, at, days
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.testing import CANARY, ROLES, STAFF_ONLY, make_duo

# Olga coordinates org B: she gets her own (empty of org A) board.
BOARD = {**STAFF_ONLY, "outsider": 200}


def board_url(lang="fr", **params):
    url = reverse("duos:board").replace("/fr/", f"/{lang}/", 1)
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def add_duo(programme, name, *, started_on=START, status=Duo.Status.ACTIVE, meetings=()):
    mentor = Participant.objects.create(
        programme=programme, role="mentor", first_name=f"Mentor{name}", last_name="Board"
    )
    mentee = Participant.objects.create(
        programme=programme, role="mentee", first_name=f"Mentee{name}", last_name="Board"
    )
    duo = Duo.objects.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        status=status,
        started_on=started_on,
        planned_end_on=started_on + datetime.timedelta(days=181),
    )
    Agreement.objects.create(duo=duo, frozen_at=timezone.now())
    for day in meetings:
        Meeting.objects.create(
            duo=duo, starts_at=datetime.datetime.combine(day, datetime.time(18), PARIS)
        )
    return duo


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_and_admins_open_the_board(duo, cast, client_as, role):
    response = client_as(cast.users()[role]).get(board_url())
    assert response.status_code == BOARD[role]
    if response.status_code != 200:
        return
    page = response.content.decode()
    if role == "outsider":
        assert "Amina" not in page and "Marek" not in page
    else:
        assert CANARY not in page
        assert "Amina Haddad" in page
        assert reverse("duos:detail", kwargs={"duo_id": duo.pk}) in page


def test_a_row_shows_the_duos_health(cast, client_as):
    with at(days(40)):
        duo = add_duo(cast.programme, "A", meetings=[days(9), days(20)])
        CheckIn.objects.create(duo=duo, side="mentor", mood=4, created_at=timezone.now())
        CheckIn.objects.create(duo=duo, side="mentee", mood=2, created_at=timezone.now())
        alerts_refresh()
        [row] = board_rows(cast.carla, {})
        page = client_as(cast.carla).get(board_url("en")).content.decode()
    assert row["last_meeting"] == days(20) and row["days_since_meeting"] == 20
    assert (row["done"], row["expected"], row["behind"]) == (2, 2, False)
    assert (row["mood_mentor"], row["mood_mentee"]) == (4, 2)
    assert [alert["kind"] for alert in row["alerts"]] == [Alert.Kind.LOW_MOOD]
    assert row["days_to_end"] == 181 - 40
    assert "20 days ago" in page and "2 of 2" in page and "Low mood in a check-in" in page
    assert "in 141 days" in page


def test_expected_meetings_follow_the_rhythm_and_stop_at_the_end():
    rhythm: dict[str, Any] = {
        "started_on": START,
        "planned_end_on": days(181),
        "closed_on": None,
        "per_month": 2,
    }
    assert expected_meetings(**rhythm, today=START) == 0
    assert expected_meetings(**rhythm, today=days(14)) == 0
    assert expected_meetings(**rhythm, today=datetime.date(2025, 2, 6)) == 2
    assert expected_meetings(**rhythm, today=datetime.date(2025, 7, 6)) == 12
    assert expected_meetings(**rhythm, today=datetime.date(2026, 1, 1)) == 12
    closed = {**rhythm, "closed_on": datetime.date(2025, 3, 6)}
    assert expected_meetings(**closed, today=datetime.date(2026, 1, 1)) == 4
    assert expected_meetings(**{**rhythm, "per_month": 0}, today=days(50)) is None
    assert expected_meetings(**{**rhythm, "started_on": None}, today=days(50)) is None


def test_the_board_sorts_the_duos_that_need_attention_first(cast):
    with at(days(60)):
        calm = add_duo(cast.programme, "Calm", meetings=[days(50), days(58)])
        silent = add_duo(cast.programme, "Silent", meetings=[days(5)])
        worried = add_duo(cast.programme, "Worried", meetings=[days(57)])
        CheckIn.objects.create(duo=worried, side="mentee", mood=1, created_at=timezone.now())
        CheckIn.objects.create(duo=worried, side="mentee", mood=2, created_at=timezone.now())
        alerts_refresh()
        order = [row["pk"] for row in board_rows(cast.carla, {})]
        assert order == [worried.pk, silent.pk, calm.pk]
        by_meeting = [row["pk"] for row in board_rows(cast.carla, {"sort": "last_meeting"})]
        assert by_meeting == [silent.pk, worried.pk, calm.pk]
        by_name = [row["pk"] for row in board_rows(cast.carla, {"sort": "name"})]
        assert by_name == [calm.pk, silent.pk, worried.pk]


def test_the_board_filters_by_programme_status_alerts_kind_and_name(cast):
    other = Programme.objects.create(
        organisation=cast.org_a, name="Pro", slug="pro", kind="professional", mode="hybrid"
    )
    with at(days(60)):
        a = add_duo(cast.programme, "Alpha", meetings=[days(55)])
        b = add_duo(other, "Beta", meetings=[days(10)])
        c = add_duo(cast.programme, "Gamma", status=Duo.Status.CLOSED, meetings=[days(55)])
        CheckIn.objects.create(duo=a, side="mentor", mood=2, created_at=timezone.now())
        alerts_refresh()

        def ids(**filters):
            return {row["pk"] for row in board_rows(cast.carla, filters)}

        assert ids() == {a.pk, b.pk}
        assert ids(status="all") == {a.pk, b.pk, c.pk}
        assert ids(status="closed") == {c.pk}
        assert ids(programme=other.pk) == {b.pk}
        assert ids(alerts=True) == {a.pk, b.pk}
        assert ids(kind=Alert.Kind.NO_MEETING) == {b.pk}
        assert ids(kind=Alert.Kind.LOW_MOOD) == {a.pk}
        assert ids(q="menteealpha") == {a.pk}
        assert ids(q="Beta board") == {b.pk}
        assert ids(q="nobody") == set()


def test_the_board_never_shows_another_organisations_duos(cast, client_as):
    add_duo(cast.programme_b, CANARY)
    add_duo(cast.programme, "Ours")
    page = client_as(cast.carla).get(board_url(programme=cast.programme_b.pk)).content.decode()
    assert CANARY not in page
    assert {row["programme_id"] for row in board_rows(cast.carla, {})} == {cast.programme.pk}
    assert {row["programme_id"] for row in board_rows(cast.olga, {})} == {cast.programme_b.pk}


def test_an_htmx_filter_change_gets_only_the_table(cast, client_as):
    add_duo(cast.programme, "Alpha")
    response = client_as(cast.carla).get(board_url(q="Alpha"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="board"')
    assert "<html" not in page and "MentorAlpha" in page


def test_a_stale_filter_is_ignored_not_an_error(cast, client_as):
    add_duo(cast.programme, "Alpha")
    response = client_as(cast.carla).get(board_url(programme="999999", sort="nonsense"))
    assert response.status_code == 200
    assert "MentorAlpha" in response.content.decode()


def board_queries(cast, client, count):
    Duo.objects.all().delete()
    for i in range(count):
        duo = add_duo(cast.programme, f"N{i}", meetings=[days(3), days(20)])
        CheckIn.objects.create(duo=duo, side="mentee", mood=1 + i % 5, created_at=timezone.now())
    alerts_refresh()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(board_url())
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="has-alerts">') > 0
    return len(queries)


def test_the_board_query_count_does_not_grow_with_its_rows(cast, client_as):
    client = client_as(cast.carla)
    with at(days(40)):
        # The session's record is touched at most once a minute: here, before counting.
        client.get(board_url())
        few = board_queries(cast, client, 3)
        many = board_queries(cast, client, 30)
    assert few == many


def test_duo_health_gives_the_duo_page_its_figures(cast):
    with at(days(40)):
        duo = make_duo(cast, started_on=START)
        Meeting.objects.create(duo=duo, starts_at=timezone.now() - datetime.timedelta(days=3))
        checkin_record(duo=duo, side="mentee", actor=cast.amina, mood=2)
        checkin_record(duo=duo, side="mentor", actor=cast.marek, mood=5)
        health = duo_health(duo)
        assert health["days_since_meeting"] == 3
        assert (health["done"], health["expected"]) == (1, 2)
        assert (health["mood_mentor"], health["mood_mentee"]) == (5, 2)
        assert {alert["kind"] for alert in health["alerts"]} == {"low_mood", "unsigned"}
        for_mentor = duo_health(duo, side="mentor")
        assert for_mentor["mood_mentee"] is None and for_mentor["alerts"] == []
        assert for_mentor["mood_mentor"] == 5


def test_the_check_in_page_fits_a_phone(duo, cast, client_as, page_factory, live_server):
    client = client_as(cast.amina)
    page = page_factory(width=360, height=740)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    url = reverse("duos:checkin", kwargs={"duo_id": duo.pk}).replace("/fr/", "/en/", 1)
    page.goto(live_server.url + url)
    faces = page.locator("label.face")
    assert faces.count() == 5
    for i in range(5):
        box = faces.nth(i).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        assert box["x"] + box["width"] <= 360
    page.get_by_role("radio", name="Bad", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert CheckIn.objects.get().mood == 2


def test_a_meeting_held_today_reads_today_not_zero_days_ago(cast, client_as):
    with at(START, hour=12):
        duo = make_duo(cast)
        meeting_log(
            duo=duo,
            actor=cast.marek,
            starts_at=timezone.now() - datetime.timedelta(minutes=5),
            mode="in_person",
            place="Café",
        )
        with translation.override("en"):
            url = reverse("duos:board")
        body = client_as(cast.carla).get(url).content.decode()
    assert '<span class="muted ago">today</span>' in body
    assert "0 days ago" not in body


def test_reading_a_duos_supervision_page_is_kept_in_the_audit_trail(cast, client_as):
    from binome.core.models import AuditEvent
    from binome.testing import make_duo

    duo = make_duo(cast)
    page = client_as(cast.carla).get(reverse("duos:supervision", args=[duo.pk]))
    assert page.status_code == 200
    event = AuditEvent.objects.get(action="duo.supervision_read")
    assert (event.actor, event.target_id) == (cast.carla, str(duo.pk))
    # A mentor is refused the page, and a refusal reads nothing.
    assert client_as(cast.marek).get(reverse("duos:supervision", args=[duo.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="duo.supervision_read").count() == 1
