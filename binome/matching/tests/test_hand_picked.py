import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from binome.core.models import AuditEvent
from binome.matching import adapter, services
from binome.matching.models import PairRule, Proposal
from binome.matching.tests.conftest import make_matchable, run_done
from binome.people.models import Participant
from binome.testing import CANARY, ROLES, STAFF_ONLY, add_person

MENTEE, MENTOR = Participant.Role.MENTEE, Participant.Role.MENTOR


@pytest.fixture
def two_pairs(matchable):
    """Amina and Rami, ready; Marek with two seats and Nadia: two pairs at least."""
    cast = matchable
    Participant.objects.filter(pk=cast.marek_participant.pk).update(capacity=2)
    cast.marek_participant.refresh_from_db()
    cast.rami = add_person(cast, MENTEE, "Rami", mode_preference="remote")
    cast.nadia = add_person(cast, MENTOR, "Nadia", mode_preference="remote")
    return cast


def _send(cast, run, only):
    return services.proposals_send_reviewed(
        programme=cast.programme,
        run_id=run.pk,
        fingerprint=run.fingerprint,
        actor=cast.carla,
        only=only,
    )


def test_only_the_ticked_pairs_are_sent(two_pairs):
    cast = two_pairs
    run = run_done(cast)
    assert run.pair_count == 2
    row = run.rows.filter(mentee=cast.amina_participant).get()
    sent = _send(cast, run, [(row.mentee_id, row.mentor_id)])
    assert [(p.mentee_id, p.mentor_id) for p in sent] == [(row.mentee_id, row.mentor_id)]
    assert Proposal.objects.count() == 1


def test_a_ticked_pair_that_is_not_in_the_run_is_refused(two_pairs):
    cast = two_pairs
    run = run_done(cast)
    with pytest.raises(services.ProposalError):
        _send(cast, run, [(cast.amina_participant.pk, 999999)])
    with pytest.raises(services.ProposalError):
        _send(cast, run, [])
    assert not Proposal.objects.exists()


def test_the_page_sends_only_the_ticked_pairs(two_pairs, client_as):
    cast = two_pairs
    run = run_done(cast)
    row = run.rows.filter(mentee=cast.rami).get()
    response = client_as(cast.carla).post(
        reverse("matching:run", args=[cast.programme.pk]),
        {
            "action": "send_ticked",
            "swap": [row.key],
            "run": run.pk,
            "fingerprint": run.fingerprint,
        },
    )
    assert response.status_code == 302
    assert list(Proposal.objects.values_list("mentee_id", flat=True)) == [cast.rami.pk]


def test_not_in_this_run_leaves_a_pair_out_of_the_next_run_only(matchable):
    cast = matchable
    services.pair_rule_set(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        kind=PairRule.Kind.SKIP,
        actor=cast.carla,
    )
    first = run_done(cast)
    assert first.pair_count == 0
    # Consumed by that run, and the run's result still counts as up to date.
    assert not PairRule.objects.exists()
    assert adapter.input_hash(adapter.build_pool(cast.programme)) == first.input_hash
    second = run_done(cast)
    assert second.pair_count == 1


def test_a_chosen_pair_that_fits_is_sent_without_a_reason(matchable):
    cast = matchable
    proposal = services.proposal_send_chosen(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        actor=cast.carla,
    )
    assert proposal.chosen_by_hand and proposal.broken_rules == []
    assert proposal.status == Proposal.Status.PENDING and proposal.score > 0


def test_a_chosen_pair_breaking_a_rule_needs_a_reason_then_is_recorded(matchable):
    cast = matchable
    olena = add_person(cast, MENTEE, "Olena", languages={"uk": "native"})
    with translation.override("en"), pytest.raises(services.ProposalError) as refused:
        services.proposal_send_chosen(
            programme=cast.programme, mentee=olena, mentor=cast.marek_participant, actor=cast.carla
        )
    assert "shared language" in str(refused.value.messages)
    assert not Proposal.objects.exists()
    proposal = services.proposal_send_chosen(
        programme=cast.programme,
        mentee=olena,
        mentor=cast.marek_participant,
        actor=cast.carla,
        reason="An interpreter joins the first meetings",
    )
    assert proposal.broken_rules == ["language"]
    assert proposal.override_reason == "An interpreter joins the first meetings"
    event = AuditEvent.objects.get(action="proposal.chosen")
    assert event.detail["broken"] == ["language"]


def test_a_forbidden_pair_chosen_by_hand_says_so_and_the_forbid_goes(matchable):
    cast = matchable
    amina, marek = cast.amina_participant, cast.marek_participant
    services.pair_rule_set(
        programme=cast.programme, mentee=amina, mentor=marek, kind="forbid", actor=cast.carla
    )
    assert adapter.assess_pair(cast.programme, amina, marek).broken == ["forbidden"]
    services.proposal_send_chosen(
        programme=cast.programme, mentee=amina, mentor=marek, actor=cast.carla, reason="Met"
    )
    assert not PairRule.objects.exists()


def test_a_full_mentor_is_refused_even_with_a_reason(matchable):
    cast = matchable
    rami = add_person(cast, MENTEE, "Rami")
    services.proposal_send_chosen(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        actor=cast.carla,
    )
    with pytest.raises(services.ProposalError):
        services.proposal_send_chosen(
            programme=cast.programme,
            mentee=rami,
            mentor=cast.marek_participant,
            actor=cast.carla,
            reason="Please",
        )
    assert Proposal.objects.count() == 1


def _propose_url(cast):
    return reverse("matching:propose", args=[cast.programme.pk, cast.amina_participant.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_page_to_propose_a_chosen_pair(matchable, client_as, role):
    url = _propose_url(matchable) + f"?partner={matchable.marek_participant.pk}"
    response = client_as(matchable.users()[role]).get(url)
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_send_a_chosen_pair(matchable, client_as, role):
    response = client_as(matchable.users()[role]).post(
        _propose_url(matchable), {"partner": matchable.marek_participant.pk}
    )
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert response.status_code == expected
    assert Proposal.objects.exists() == (expected == 302 and role != "anonymous")


def test_the_page_shows_the_broken_rule_and_keeps_the_choice(matchable, client_as):
    cast = matchable
    olena = add_person(cast, MENTOR, "Olena", languages={"uk": "native"})
    client = client_as(cast.carla)
    with translation.override("en"):
        url = _propose_url(cast)
    page = client.get(url, {"partner": olena.pk})
    assert "no shared language" in page.content.decode()
    refused = client.post(url, {"partner": olena.pk, "reason": " "})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "give a reason" in body and f'value="{olena.pk}"' in body
    assert not Proposal.objects.exists()


def test_a_partner_of_another_organisation_is_not_found(matchable, client_as):
    response = client_as(matchable.carla).post(
        _propose_url(matchable), {"partner": matchable.canary_participant.pk}
    )
    # Not among the choices: the form refuses it before any lookup.
    assert response.status_code == 200
    assert not Proposal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_proposing_a_mentors_last_seat_at_once_one_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: row locks are only meaningful on PostgreSQL")
    from binome.testing import make_cast

    cast = make_cast()
    make_matchable(cast)
    rami = add_person(cast, MENTEE, "Rami")
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def propose(mentee, actor):
        try:
            barrier.wait()
            services.proposal_send_chosen(
                programme=cast.programme, mentee=mentee, mentor=cast.marek_participant, actor=actor
            )
        except services.ProposalError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=propose, args=(cast.amina_participant, cast.carla)),
        threading.Thread(target=propose, args=(rami, cast.adam)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert Proposal.objects.filter(mentor=cast.marek_participant).count() == 1
