"""The Python API the Django app calls: shortlists, explanations, incremental re-matching."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching_engine import (
    CRITERIA,
    MatchingError,
    candidates,
    default_weights,
    parse_instance,
    solve,
)
from matching_engine.explain import PART_TEMPLATES, REASON_TEMPLATES, render, sentence

EXAMPLE = json.loads(
    (Path(__file__).resolve().parent.parent / "examples" / "marseille.json").read_text()
)


def test_the_engine_never_imports_django():
    code = (
        "import sys, matching_engine, matching_engine.cli, matching_engine.bench.run;"
        "from matching_engine import solve, parse_instance, candidates;"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_default_weights_exist_for_every_programme_kind():
    for kind in ("intercultural", "professional", "city_to_city", "remote"):
        assert set(default_weights(kind)) == set(CRITERIA)
    assert default_weights("remote")["distance"] == 0
    with pytest.raises(ValueError):
        default_weights("speed_dating")


def test_settings_weights_override_the_defaults_of_the_kind():
    data = json.loads(json.dumps(EXAMPLE))
    data["settings"].update(kind="professional", weights={"sector": 0})
    weights = dict(parse_instance(data).settings.weights)
    assert weights["sector"] == 0 and weights["needs"] == default_weights("professional")["needs"]


def test_a_shortlist_is_sorted_best_first_and_explained():
    instance = parse_instance(EXAMPLE)
    shortlist = candidates(instance, mentee_id="e1")
    assert [p.mentor for p in shortlist] == ["m1"]
    pair = shortlist[0]
    assert pair.explanation.startswith("Both speak Arabic and French")
    assert "Marie" in pair.explanation and "Amina" in pair.explanation
    assert pair.explanation == sentence(list(pair.explanation_parts))
    assert {p.key for p in pair.explanation_parts} <= set(PART_TEMPLATES)
    assert {"key": "distance_km", "params": {"km": 3}} in [
        p.to_dict() for p in pair.explanation_parts
    ]
    assert sum(c.points for c in pair.criteria) == pytest.approx(pair.score, abs=1)
    everyone = candidates(instance)
    assert [p.score for p in everyone] == sorted((p.score for p in everyone), reverse=True)
    assert len(candidates(instance, limit=1)) == 1
    with pytest.raises(MatchingError) as error:
        candidates(instance, mentee_id="nobody")
    assert error.value.id == "nobody"


def test_every_message_key_renders_in_english():
    params = {
        "languages": ["ar", "xx"],
        "mentor": "Marek",
        "mentee": "Amina",
        "sector": "2221",
        "needs": ["employment"],
        "interests": ["chess"],
        "km": 4,
    }
    from matching_engine.model import Part

    for key in PART_TEMPLATES:
        assert render(Part(key, params))
    assert "Arabic and xx" in render(Part("shared_language", params))
    for template in REASON_TEMPLATES.values():
        assert template.format(mentee="A", mentor="B", candidates=2, level="A2", min_score=40)


def test_names_fall_back_to_ids():
    data = json.loads(json.dumps(EXAMPLE))
    for person in data["mentees"] + data["mentors"]:
        person.pop("name")
    pair = solve(parse_instance(data)).pairs[0]
    assert "m1 can help with" in pair.explanation


def test_every_explanation_is_the_sentence_of_its_parts():
    # explain_pairs writes each part's text as it makes the part: the same as rendering them.
    from matching_engine.bench.generate import generate as generate_cohort

    data = generate_cohort(400, 300, seed=4)
    data["locked"] = [[data["mentees"][i]["id"], data["mentors"][i]["id"]] for i in range(20)]
    result = solve(parse_instance(data))
    assert {p.key for pair in result.pairs for p in pair.explanation_parts} == set(PART_TEMPLATES)
    for pair in result.pairs:
        assert pair.explanation == sentence(list(pair.explanation_parts))


def test_unmatched_people_get_a_reason_code_and_a_sentence():
    result = solve(parse_instance(EXAMPLE))
    (olena,) = result.unmatched
    assert olena.to_dict() == {
        "id": "e3",
        "role": "mentee",
        "reason_code": "no_feasible_mentor",
        "reason_params": {"mentee": "Olena", "constraint": "language", "level": "A2"},
        "reason": "No mentor speaks one of Olena's languages at A2 or above.",
    }


def test_rematching_keeps_accepted_pairs_and_never_reproposes_a_declined_one():
    data = json.loads(json.dumps(EXAMPLE))
    data["mentors"][0]["capacity"] = 1
    data["forbidden"] = []
    first = solve(parse_instance(data))
    proposed = {(p.mentee, p.mentor) for p in first.pairs}
    assert ("e1", "m1") in proposed and ("e2", "m2") in proposed
    # e1 and m1 accept; e2 declines m2: lock the first, forbid the second, run again.
    data["locked"] = [["e1", "m1"]]
    data["forbidden"] = [["e2", "m2"]]
    second = solve(parse_instance(data))
    pairs = {(p.mentee, p.mentor): p for p in second.pairs}
    assert pairs[("e1", "m1")].locked
    assert ("e2", "m2") not in pairs
    # Its only other mentor's seat is held by the accepted pair.
    (e2,) = [u for u in second.unmatched if u.id == "e2"]
    assert e2.reason_code == "feasible_mentors_taken"


def test_a_locked_pair_breaking_a_rule_is_kept_with_a_warning():
    data = json.loads(json.dumps(EXAMPLE))
    data["locked"] = [["e3", "m2"]]
    pair = next(p for p in solve(parse_instance(data)).pairs if p.mentee == "e3")
    assert pair.locked and "language" in pair.warnings
    assert pair.explanation_parts[0].key == "locked"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(locked=[["e1", "m1"], ["e1", "m2"]]), "locked"),
        (lambda d: d.update(locked=[["e2", "m1"]], forbidden=[["e2", "m1"]]), "locked"),
        (lambda d: d["mentees"][0].pop("location"), "location"),
    ],
)
def test_contradictory_instances_are_refused(mutate, field):
    data = json.loads(json.dumps(EXAMPLE))
    mutate(data)
    with pytest.raises(MatchingError) as error:
        parse_instance(data)
    assert error.value.field == field


def test_empty_sides_are_fine():
    result = solve(parse_instance({"mentees": [], "mentors": []}))
    assert result.pairs == () and result.stats["matched"] == 0
    only = parse_instance({"mentees": [EXAMPLE["mentees"][0]], "mentors": []})
    assert solve(only).unmatched[0].reason_code == "no_feasible_mentor"


def test_a_mentor_at_capacity_is_passed_with_capacity_zero_and_left_alone():
    data = json.loads(json.dumps(EXAMPLE))
    data["mentors"][0]["capacity"] = 0
    result = solve(parse_instance(data))
    assert all(p.mentor != "m1" for p in result.pairs)
    assert all(u.id != "m1" for u in result.unmatched)


def test_an_assessed_pair_lists_the_hard_rules_it_breaks():
    from matching_engine import assess

    instance = parse_instance(EXAMPLE)
    fits = assess(instance, "e1", "m1")
    assert fits.warnings == () and fits.score == candidates(instance, mentee_id="e1")[0].score
    data = json.loads(json.dumps(EXAMPLE))
    data["forbidden"] = [["e1", "m1"]]
    data["settings"]["min_score"] = 100
    broken = assess(parse_instance(data), "e1", "m1")
    assert set(broken.warnings) == {"min_score", "forbidden"}
    with pytest.raises(MatchingError):
        assess(instance, "e1", "nobody")
