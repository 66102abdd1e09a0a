import threading

import pytest
from django.db import connection
from django.utils import timezone

from binome.duos.models import Duo
from binome.matching import access, adapter, services
from binome.matching.models import PairRule, Proposal
from binome.matching.tests.conftest import make_matchable, make_proposal
from binome.people.models import Participant, TeamMember
from binome.testing import add_person

READY, MATCHED = Participant.Status.READY, Participant.Status.MATCHED
ACCEPT, DECLINE = Proposal.Answer.ACCEPTED, Proposal.Answer.DECLINED


def test_sending_creates_a_pending_proposal_per_shown_pair(matchable):
    run = adapter.run_matching(matchable.programme)
    sent = services.proposals_send(
        programme=matchable.programme, pairs=run.pairs, actor=matchable.carla
    )
    assert [(p.mentee, p.mentor, p.status) for p in sent] == [
        (matchable.amina_participant, matchable.marek_participant, Proposal.Status.PENDING)
    ]
    assert sent[0].explanation_parts[0]["key"] == "shared_language"
    # Both wait for their answers: nobody is proposed twice, and a full mentor is not "left out".
    again = adapter.run_matching(matchable.programme)
    assert (again.pairs, again.unmatched) == ([], [])


def test_sending_twice_the_same_set_fails_without_creating_anything(matchable):
    run = adapter.run_matching(matchable.programme)
    services.proposals_send(programme=matchable.programme, pairs=run.pairs, actor=matchable.carla)
    with pytest.raises(services.ProposalError):
        services.proposals_send(
            programme=matchable.programme, pairs=run.pairs, actor=matchable.carla
        )
    assert Proposal.objects.count() == 1


def test_both_accepting_creates_a_starting_duo_and_matches_both(proposal, cast):
    services.proposal_answer(proposal=proposal, side="mentee", answer=ACCEPT, actor=cast.amina)
    result = services.proposal_answer(
        proposal=proposal, side="mentor", answer=ACCEPT, actor=cast.marek
    )
    assert result.status == Proposal.Status.ACCEPTED
    duo = Duo.objects.get()
    assert (duo.mentee, duo.mentor, duo.status, duo.proposal) == (
        cast.amina_participant,
        cast.marek_participant,
        Duo.Status.STARTING,
        result,
    )
    cast.amina_participant.refresh_from_db()
    cast.marek_participant.refresh_from_db()
    assert cast.amina_participant.status == MATCHED
    assert cast.marek_participant.status == MATCHED


def test_a_declined_pair_is_never_proposed_again(proposal, cast):
    services.proposal_answer(
        proposal=proposal, side="mentor", answer=DECLINE, actor=cast.marek, reason="Too far"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (Proposal.Status.DECLINED, "Too far")
    assert PairRule.objects.get().kind == PairRule.Kind.FORBID
    cast.amina_participant.refresh_from_db()
    assert cast.amina_participant.status == READY
    run = adapter.run_matching(cast.programme)
    assert run.pairs == []
    assert adapter.shortlist(cast.programme, cast.amina_participant) == []
    assert Duo.objects.count() == 0


def test_a_settled_proposal_cannot_be_answered_again(proposal, cast):
    services.proposal_answer(proposal=proposal, side="mentee", answer=DECLINE, actor=cast.amina)
    with pytest.raises(services.ProposalError):
        services.proposal_answer(proposal=proposal, side="mentor", answer=ACCEPT, actor=cast.marek)


def test_a_coordinator_records_an_answer_given_by_phone(proposal, cast):
    services.proposal_answer(
        proposal=proposal, side="mentee", answer=ACCEPT, actor=cast.carla, by_coordinator=True
    )
    proposal.refresh_from_db()
    assert proposal.mentee_answer == ACCEPT and proposal.mentee_recorded_by_coordinator


def test_a_full_mentor_cancels_the_second_acceptance(matchable):
    cast = matchable
    rami = add_person(cast, Participant.Role.MENTEE, "Rami")
    first = make_proposal(cast)
    second = make_proposal(cast, mentee=rami)
    for p in (first, second):
        services.proposal_answer(proposal=p, side="mentee", answer=ACCEPT, actor=cast.carla)
        services.proposal_answer(proposal=p, side="mentor", answer=ACCEPT, actor=cast.carla)
    second.refresh_from_db()
    assert second.status == Proposal.Status.CANCELLED
    assert Duo.objects.count() == 1


def test_a_team_answers_through_its_representative(matchable):

    cast = matchable
    team = add_person(
        cast, Participant.Role.MENTOR, "", kind=Participant.Kind.TEAM, team_name="Ville de Gap"
    )
    TeamMember.objects.create(
        participant=team, name="Vera", email="VERA@a.example", is_representative=True
    )
    proposal = make_proposal(cast, mentor=team)
    found, sides, staff = access.access_proposal(cast.vera, proposal.pk)
    assert sides == ["mentor"] and not staff


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acceptances_never_exceed_a_mentors_capacity():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: row locks are only meaningful on PostgreSQL")
    from binome.testing import make_cast

    cast = make_cast()
    make_matchable(cast)
    rami = add_person(cast, Participant.Role.MENTEE, "Rami")
    proposals = [make_proposal(cast), make_proposal(cast, mentee=rami)]
    for p in proposals:
        services.proposal_answer(proposal=p, side="mentee", answer=ACCEPT, actor=cast.carla)
    barrier = threading.Barrier(2)
    errors = []

    def accept(p):
        try:
            barrier.wait()
            services.proposal_answer(proposal=p, side="mentor", answer=ACCEPT, actor=cast.carla)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Duo.objects.filter(mentor=cast.marek_participant).count() == 1
    statuses = sorted(Proposal.objects.values_list("status", flat=True))
    assert statuses == [Proposal.Status.ACCEPTED, Proposal.Status.CANCELLED]


def test_a_proposal_answer_entered_by_the_coordinator_keeps_channel_and_day(cast):
    make_matchable(cast)
    proposal = make_proposal(cast)
    services.proposal_answer(
        proposal=proposal,
        side="mentee",
        answer=Proposal.Answer.ACCEPTED,
        actor=cast.carla,
        by_coordinator=True,
        channel="in_person",
        given_on=timezone.localdate(),
    )
    proposal.refresh_from_db()
    assert proposal.mentee_recorded_by_coordinator and proposal.mentee_channel == "in_person"
