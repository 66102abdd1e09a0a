"""Properties that hold for any instance: hard constraints, stability, scores."""

from hypothesis import HealthCheck, given, settings

from matching_engine import parse_instance, solve

from . import reference
from .instances import instances

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_no_hard_constraint_is_ever_violated(data):
    instance = parse_instance(data)
    result = solve(instance)
    assert reference.violations(instance, result) == []
    feasible = reference.feasible_pairs(instance, tolerance_km=1e-6)
    for pair in result.pairs:
        assert pair.score == feasible[(pair.mentee, pair.mentor)]
    # Everyone is either matched or explained.
    matched = {p.mentee for p in result.pairs}
    unmatched = {u.id for u in result.unmatched if u.role == "mentee"}
    assert matched | unmatched == {p.id for p in instance.mentees}
    assert not matched & unmatched


@FAST
@given(instances())
def test_stable_mode_leaves_no_blocking_pair(data):
    data["settings"].update(method="stable", max_pairs=2_000_000)
    instance = parse_instance(data)
    result = solve(instance)
    assert reference.violations(instance, result) == []
    assert blocking_pairs(instance, result) == []


def blocking_pairs(instance, result) -> list[tuple[str, str]]:
    """Pairs who would both rather be together (ties: the smaller id is preferred)."""
    feasible = reference.feasible_pairs(instance)
    order_e = {p.id: i for i, p in enumerate(instance.mentees)}
    order_m = {p.id: i for i, p in enumerate(instance.mentors)}
    locked = set(instance.locked)
    partner = {p.mentee: (p.mentor, p.score) for p in result.pairs}
    load: dict[str, int] = {}
    held: dict[str, list[tuple[int, int]]] = {}
    for p in result.pairs:
        load[p.mentor] = load.get(p.mentor, 0) + 1
        if (p.mentee, p.mentor) not in locked:
            held.setdefault(p.mentor, []).append((p.score, -order_e[p.mentee]))
    capacity = {p.id: p.capacity for p in instance.mentors}
    found = []
    for (e, m), s in feasible.items():
        if e in dict(instance.locked) or partner.get(e, (None,))[0] == m:
            continue
        if e in partner:
            current_m, current_s = partner[e]
            if (s, -order_m[m]) <= (current_s, -order_m[current_m]):
                continue
        has_seat = load.get(m, 0) < capacity[m]
        if has_seat or (held.get(m) and min(held[m]) < (s, -order_e[e])):
            found.append((e, m))
    return found


@FAST
@given(instances())
def test_a_mentee_with_no_feasible_mentor_is_told_the_first_constraint_that_rules_all_out(data):
    instance = parse_instance(data)
    result = solve(instance)
    told = {
        u.id: u.params["constraint"]
        for u in result.unmatched
        if u.reason_code == "no_feasible_mentor"
    }
    for mentee in instance.mentees:
        if mentee.id in told:
            assert told[mentee.id] == first_constraint(instance, mentee), mentee.id


def first_constraint(instance, mentee) -> str:
    """Filter the mentors constraint by constraint, in the order people are told about."""
    left = list(instance.mentors)
    for code, test in reference.hard_constraints(instance):
        left = [m for m in left if test(mentee, m)]
        if not left:
            return code
    return "min_score"
