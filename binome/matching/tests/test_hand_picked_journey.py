"""N2WA's coordinator ticks two pairs and sends only those, then proposes a third by hand from
the participant's page; she enters a check-in given by phone for a mentee without an account and
corrects a visit; a city team that gave no weekly availability is matched and proposed; a
mentor committing to much less than a mentee needs is proposed only with a reason."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from binome.duos.models import CheckIn, Visit
from binome.duos.services.meetings import visit_log
from binome.matching.models import MatchingRun, Proposal, RunRow
from binome.matching.tests.conftest import make_matchable
from binome.matching.tests.test_journey import log_in
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.testing import add_person, make_duo, run_tasks

MENTEE, MENTOR = Participant.Role.MENTEE, Participant.Role.MENTOR

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]


def test_the_coordinator_sends_two_ticked_pairs_then_a_third_by_hand(
    cast, live_server, page_factory
):
    make_matchable(cast)
    for name in ("Nadia", "Rami"):
        add_person(cast, Participant.Role.MENTEE, name, languages={"fr": "B2"})
    for name in ("Paul", "Sofia"):
        add_person(cast, Participant.Role.MENTOR, name, languages={"fr": "native"})
    base = live_server.url
    desk = page_factory(width=1280, height=900, locale="fr-FR")
    matching_url = f"/fr/programmes/{cast.programme.pk}/matching/"
    log_in(desk, base, "fr", "carla@a.example", matching_url)
    desk.click("button[value=rerun]")
    desk.wait_for_selector("#run-status .badge.pending")
    assert run_tasks() == 1
    desk.wait_for_selector("table.pairs")
    run = MatchingRun.objects.get()
    pairs = list(RunRow.objects.filter(run=run, score__isnull=False).order_by("position"))
    assert len(pairs) == 3
    for row in pairs[:2]:
        desk.check(f"#swap-{row.key}")
    desk.click("button[value=send_ticked]")
    desk.wait_for_selector("#proposals-title")
    sent = set(Proposal.objects.values_list("mentee_id", "mentor_id"))
    assert sent == {(row.mentee_id, row.mentor_id) for row in pairs[:2]}

    # The third pair, proposed by hand from the mentee's page.
    third = pairs[2]
    desk.goto(f"{base}/fr/programmes/{cast.programme.pk}/participants/{third.mentee_id}/")
    desk.click(f"a[href='/fr/programmes/{cast.programme.pk}/matching/propose/{third.mentee_id}/']")
    desk.select_option("#id_check_partner", str(third.mentor_id))
    desk.click("form.choose-partner button[type=submit]")
    desk.wait_for_selector("form.send-chosen")
    desk.click("form.send-chosen button[type=submit]")
    desk.wait_for_url("**/proposals/*/")
    chosen = Proposal.objects.get(mentee_id=third.mentee_id)
    assert chosen.chosen_by_hand and chosen.mentor_id == third.mentor_id


def test_the_coordinator_enters_a_check_in_by_phone_and_corrects_a_visit(
    cast, live_server, page_factory
):
    Programme.objects.filter(pk=cast.programme.pk).update(kind=Programme.Kind.CITY_TO_CITY)
    cast.programme.refresh_from_db()
    today = timezone.localdate()
    duo = make_duo(cast, started_on=today - datetime.timedelta(days=60))
    # Amina has no account: she answered by phone, and her coordinator records it.
    Participant.objects.filter(pk=cast.amina_participant.pk).update(user=None)
    visit = visit_log(
        duo=duo,
        actor=cast.carla,
        host="mentee",
        city="Pendik",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=19),
    )
    base = live_server.url
    desk = page_factory(width=360, height=740, locale="fr-FR")
    log_in(desk, base, "fr", "carla@a.example", f"/fr/duos/{duo.pk}/")
    desk.click(f"a[href='/fr/duos/{duo.pk}/check-in/']")
    desk.wait_for_url(f"**/fr/duos/{duo.pk}/check-in/")
    desk.select_option("#id_side", "mentee")
    desk.select_option("#id_channel", "phone")
    # The face is chosen as a person taps it: on its label.
    desk.click("label.face.m4")
    desk.click("button.primary.big")
    desk.wait_for_url(f"**/fr/duos/{duo.pk}/")
    checkin = CheckIn.objects.get()
    assert (checkin.side, checkin.channel, checkin.by) == ("mentee", "phone", cast.carla)

    desk.goto(f"{base}/fr/duos/{duo.pk}/visits/{visit.pk}/")
    desk.fill("#id_city", "Izmir")
    desk.click("main form button.primary")
    desk.wait_for_url(f"**/fr/duos/{duo.pk}/visits/")
    assert Visit.objects.get().city == "Izmir"


def test_a_city_team_without_availability_is_matched_and_proposed(cast, live_server, page_factory):
    Programme.objects.filter(pk=cast.programme.pk).update(
        kind=Programme.Kind.CITY_TO_CITY, mode=Programme.Mode.REMOTE
    )
    team = Participant.Kind.TEAM
    gap = add_person(cast, MENTEE, "", kind=team, team_name="Gap", availability=[])
    riga = add_person(cast, MENTOR, "", kind=team, team_name="Riga", availability=[])
    base = live_server.url
    desk = page_factory(width=1280, height=900, locale="en-GB")
    matching_url = f"/en/programmes/{cast.programme.pk}/matching/"
    log_in(desk, base, "en", "carla@a.example", matching_url)
    desk.click("button[value=rerun]")
    desk.wait_for_selector("#run-status .badge.pending")
    assert run_tasks() == 1
    pairs = desk.locator("table.pairs")
    expect(pairs).to_contain_text("Gap")
    expect(pairs).to_contain_text("Riga")
    desk.check(f"#swap-{gap.pk}-{riga.pk}")
    desk.click("button[value=send_ticked]")
    desk.wait_for_selector("#proposals-title")
    assert set(Proposal.objects.values_list("mentee_id", "mentor_id")) == {(gap.pk, riga.pk)}


def test_a_mentor_committing_to_much_less_is_proposed_only_with_a_reason(
    cast, live_server, page_factory
):
    make_matchable(cast)
    amina, marek = cast.amina_participant, cast.marek_participant
    Participant.objects.filter(pk=amina.pk).update(engagement="long_term")
    Participant.objects.filter(pk=marek.pk).update(engagement="one_off")
    base = live_server.url
    desk = page_factory(width=1280, height=900, locale="fr-FR")
    propose_url = f"/fr/programmes/{cast.programme.pk}/matching/propose/{amina.pk}/"
    log_in(desk, base, "fr", "carla@a.example", propose_url)
    desk.select_option("#id_check_partner", str(marek.pk))
    desk.click("form.choose-partner button[type=submit]")
    expect(desk.locator("main")).to_contain_text("s'engage pour bien moins")
    desk.click("form.send-chosen button[type=submit]")
    # Refused with the rule named, and nothing sent.
    expect(desk.locator("form.send-chosen .errors").first).to_contain_text("donnez un motif")
    assert not Proposal.objects.exists()
    desk.fill("#id_reason", "Marek prolongera après la première rencontre.")
    desk.click("form.send-chosen button[type=submit]")
    desk.wait_for_url("**/proposals/*/")
    proposal = Proposal.objects.get()
    assert proposal.broken_rules == ["engagement"]
    assert proposal.override_reason.startswith("Marek prolongera")
