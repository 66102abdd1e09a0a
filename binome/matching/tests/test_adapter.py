from binome.duos.models import Duo
from binome.matching import adapter, services
from binome.matching.models import PairRule
from binome.matching.tests.conftest import make_proposal
from binome.people.models import Participant, TeamMember
from binome.testing import add_person

MENTOR = Participant.Role.MENTOR
MENTEE = Participant.Role.MENTEE


def test_it_builds_the_engine_instance_from_ready_participants(matchable):
    pool = adapter.build_pool(matchable.programme)
    data = pool.data
    amina = next(p for p in data["mentees"] if p["id"] == str(matchable.amina_participant.pk))
    marek = next(p for p in data["mentors"] if p["id"] == str(matchable.marek_participant.pk))
    assert amina["name"] == "Amina"
    assert amina["languages"] == {"ar": "native", "fr": "A2"}
    assert amina["availability"] == ["mon_am", "sat_pm", "wed_eve"]
    assert amina["location"] == [43.29695, 5.38107]
    assert amina["needs"] == ["employment", "language"]
    assert amina["sector"] == "2221"
    assert marek["offers"] == ["employment", "language"]
    assert marek["capacity"] == 1
    assert data["settings"]["kind"] == "intercultural"
    assert data["settings"]["weights"]["needs"] == 25
    assert "legal_status" not in amina and "intake_notes" not in amina


def test_it_leaves_out_people_who_are_not_ready_and_other_programmes(matchable):
    add_person(matchable, MENTEE, "Nadia", status=Participant.Status.APPLIED)
    pool = adapter.build_pool(matchable.programme)
    names = {p["name"] for p in pool.data["mentees"] + pool.data["mentors"]}
    assert names == {"Amina", "Marek"}


def test_it_counts_open_duos_and_pending_proposals_against_capacity(matchable):
    marek = matchable.marek_participant
    marek.capacity = 3
    marek.save(update_fields=["capacity"])
    other = add_person(matchable, MENTEE, "Nadia", status=Participant.Status.MATCHED)
    Duo.objects.create(programme=matchable.programme, mentor=marek, mentee=other)
    make_proposal(matchable, mentee=add_person(matchable, MENTEE, "Rami"))
    pool = adapter.build_pool(matchable.programme)
    assert pool.seats_left[str(marek.pk)] == 1
    assert "Rami" not in {p["name"] for p in pool.data["mentees"]}


def test_it_passes_locks_and_forbidden_pairs(matchable):
    zoe = add_person(matchable, MENTEE, "Zoe")
    services.pair_rule_set(
        programme=matchable.programme,
        mentee=zoe,
        mentor=matchable.marek_participant,
        kind=PairRule.Kind.LOCK,
        actor=matchable.carla,
    )
    services.pair_rule_set(
        programme=matchable.programme,
        mentee=matchable.amina_participant,
        mentor=matchable.marek_participant,
        kind=PairRule.Kind.FORBID,
        actor=matchable.carla,
    )
    data = adapter.build_pool(matchable.programme).data
    marek = str(matchable.marek_participant.pk)
    assert data["locked"] == [[str(zoe.pk), marek]]
    assert data["forbidden"] == [[str(matchable.amina_participant.pk), marek]]
    run = adapter.run_matching(matchable.programme)
    assert [(p.mentee, p.mentor, p.locked) for p in run.pairs] == [
        (zoe, matchable.marek_participant, True)
    ]


def test_it_includes_teams(matchable):
    team = add_person(matchable, MENTOR, "", kind=Participant.Kind.TEAM, team_name="Ville de Gap")
    TeamMember.objects.create(participant=team, name="Rep", email="rep@gap.example")
    data = adapter.build_pool(matchable.programme).data
    assert "Ville de Gap" in {p["name"] for p in data["mentors"]}


def test_it_explains_a_pair_in_the_readers_language(matchable):
    from django.utils import translation

    run = adapter.run_matching(matchable.programme)
    assert len(run.pairs) == 1
    pair = run.pairs[0]
    assert pair.mentee == matchable.amina_participant and pair.mentor == matchable.marek_participant
    with translation.override("en"):
        assert (
            "Marek can help with Employment"
            in adapter.run_matching(matchable.programme).pairs[0].explanation
        )
    assert {c["name"] for c in pair.criteria} >= {"needs", "interests", "distance"}


def test_it_says_why_someone_is_left_out(matchable):
    from django.utils import translation

    add_person(matchable, MENTEE, "Olena", languages={"uk": "native"})
    with translation.override("en"):
        run = adapter.run_matching(matchable.programme)
    reasons = {person.first_name: reason for person, reason in run.unmatched}
    assert "No mentor speaks one of Olena's languages" in reasons["Olena"]


def test_the_same_pool_gives_the_same_result(matchable):
    for i in range(4):
        add_person(matchable, MENTEE, f"Mentee{i}")
        add_person(matchable, MENTOR, f"Mentor{i}")
    first = adapter.run_matching(matchable.programme)
    assert first.fingerprint == adapter.run_matching(matchable.programme).fingerprint
    assert len(first.pairs) == 5


def test_a_shortlist_lists_feasible_candidates_best_first(matchable):
    add_person(matchable, MENTOR, "Far", city="Lille", mode_preference="in_person")
    pairs = adapter.shortlist(matchable.programme, matchable.amina_participant)
    assert [p.mentor.first_name for p in pairs] == ["Marek"]
