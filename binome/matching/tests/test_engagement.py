"""Matching follows engagement levels: a mentor committing to much less than a mentee needs is not
proposed unless the coordinator overrides with a reason; closer levels score higher; the
explanation says it in the programme's words; nobody stating a level changes nothing."""

from decimal import Decimal

import pytest
from django.utils import translation

from binome.core import vocab
from binome.matching import adapter, engagement, services
from binome.matching.tests.conftest import make_matchable
from binome.people.forms import IntakeForm
from binome.people.models import Participant
from binome.testing import add_person

MENTEE, MENTOR = Participant.Role.MENTEE, Participant.Role.MENTOR


def _levels(cast, *, mentor="", mentee=""):
    Participant.objects.filter(pk=cast.marek_participant.pk).update(engagement=mentor)
    Participant.objects.filter(pk=cast.amina_participant.pk).update(engagement=mentee)
    cast.marek_participant.refresh_from_db()
    cast.amina_participant.refresh_from_db()


@pytest.fixture
def matchable(cast):
    make_matchable(cast)
    return cast


@pytest.mark.parametrize(
    ("rhythm", "months", "level"),
    [
        ("0.17", 12, "one_off"),
        ("0.5", 6, "few_sessions"),
        ("2", 3, "short_term"),
        ("2", 6, "long_term"),
        ("1", 12, "long_term"),
    ],
)
def test_a_programmes_rhythm_implies_a_level(rhythm, months, level):
    assert vocab.programme_engagement(Decimal(rhythm), months) == level


def test_a_one_off_mentor_is_not_proposed_for_a_long_term_need(matchable):
    _levels(matchable, mentor="one_off", mentee="long_term")
    run = adapter.run_matching(matchable.programme)
    assert run.pairs == []
    with translation.override("en"):
        reasons = [str(reason) for _, reason in adapter.run_matching(matchable.programme).unmatched]
    assert any("commits to much less than the long-term mentoring" in r for r in reasons), reasons


def test_a_mentor_without_a_level_counts_as_the_programmes_rhythm(matchable):
    # Two meetings a month for six months: long-term, what Amina needs.
    _levels(matchable, mentor="", mentee="long_term")
    with translation.override("en"):
        run = adapter.run_matching(matchable.programme)
    assert [(p.mentee, p.mentor) for p in run.pairs] == [
        (matchable.amina_participant, matchable.marek_participant)
    ]
    assert "both committed to long-term mentoring" in run.pairs[0].explanation
    assert "engagement" not in run.pairs[0].explanation


def test_a_mentee_without_a_level_needs_the_programmes_rhythm(matchable):
    _levels(matchable, mentor="few_sessions", mentee="")
    assert adapter.run_matching(matchable.programme).pairs == []
    _levels(matchable, mentor="short_term", mentee="")
    assert len(adapter.run_matching(matchable.programme).pairs) == 1


def test_closer_levels_score_higher(matchable):
    cast = matchable
    _levels(cast, mentee="short_term")
    Participant.objects.filter(pk=cast.marek_participant.pk).update(status="withdrawn")
    same = {"mode_preference": "either", "offers": ["employment"], "interests": ["football"]}
    for name, level in [("Paul", "short_term"), ("Sofia", "long_term"), ("Ivo", "one_off")]:
        add_person(cast, MENTOR, name, engagement=level, **same)
    with translation.override("en"):
        found = adapter.shortlist(cast.programme, cast.amina_participant)
    scores = {p.mentor.first_name: p.score for p in found}
    # Ivo (two levels below) is not proposed; Paul (same level) scores above Sofia (one apart).
    assert set(scores) == {"Paul", "Sofia"}
    assert scores["Paul"] > scores["Sofia"]
    sofia = next(p for p in found if p.mentor.first_name == "Sofia")
    assert "commitments one step apart, short-term mentoring needed" in sofia.explanation


def test_nobody_stating_a_level_leaves_the_engines_input_as_before(matchable):
    pool = adapter.build_pool(matchable.programme)
    assert not pool.levels.active
    assert pool.data["forbidden"] == []
    needs = [n for person in pool.data["mentees"] for n in person["needs"]]
    offers = [o for person in pool.data["mentors"] for o in person["offers"]]
    assert not any(engagement.is_token(code) for code in needs + offers)


def test_a_pair_the_rule_keeps_apart_needs_a_reason_and_records_it(matchable):
    cast = matchable
    _levels(cast, mentor="few_sessions", mentee="long_term")
    with translation.override("en"), pytest.raises(services.ProposalError) as refused:
        services.proposal_send_chosen(
            programme=cast.programme,
            mentee=cast.amina_participant,
            mentor=cast.marek_participant,
            actor=cast.carla,
        )
    assert "the mentor commits to much less than the mentee needs" in str(refused.value)
    assert "excluded before" not in str(refused.value)
    proposal = services.proposal_send_chosen(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        actor=cast.carla,
        reason="Marek will extend once they have met.",
    )
    assert proposal.chosen_by_hand
    assert proposal.broken_rules == ["engagement"]
    assert proposal.override_reason == "Marek will extend once they have met."


def test_a_locked_pair_is_not_also_forbidden_by_the_rule(matchable):
    from binome.matching.models import PairRule

    cast = matchable
    _levels(cast, mentor="one_off", mentee="long_term")
    PairRule.objects.create(
        programme=cast.programme,
        mentee=cast.amina_participant,
        mentor=cast.marek_participant,
        kind=PairRule.Kind.LOCK,
        by=cast.carla,
    )
    run = adapter.run_matching(cast.programme)
    assert run.error == ""
    assert [(p.mentee, p.mentor, p.locked) for p in run.pairs] == [
        (cast.amina_participant, cast.marek_participant, True)
    ]


def test_a_mentee_states_what_she_needs_at_intake(cast):
    form = IntakeForm(programme=cast.programme, participant=cast.amina_participant)
    assert "engagement" in form.fields
