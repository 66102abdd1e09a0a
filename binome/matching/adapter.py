"""From the database to the matching engine and back.

The engine knows nothing of Django: this module turns a programme's pool (its "ready" participants,
their remaining seats, the coordinator's locks and exclusions) into the engine's JSON shape, and
turns the engine's answer back into participants and sentences in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count

import matching_engine
from binome.duos.models import Duo
from binome.matching import engagement, explain
from binome.matching.models import MatchingSettings, PairRule, Proposal, RunRow
from binome.people.models import Participant
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROLE = Participant.Role
STATUS = Participant.Status
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_SECTOR = re.compile(r"^[0-9]{1,4}$")
_LEVELS = frozenset(matching_engine.model.LEVELS)
_SLOTS = frozenset(matching_engine.model.SLOTS)


@dataclass
class Pool:
    """The people the engine may pair, and what the engine is told about them."""

    mentees: dict[str, Participant]
    mentors: dict[str, Participant]
    seats_left: dict[str, int]
    # The engine's instance in its JSON shape (see matching_engine's README).
    data: dict[str, Any]
    # People left out before the engine runs (an in-person profile without a place).
    left_out: list[tuple[Participant, str, dict[str, Any]]] = field(default_factory=list)
    # Pairs left out of this run only ("not in this run"): given to the engine as forbidden,
    # but not part of what a stored result is checked against, since the run consumes them.
    skipped: list[list[str]] = field(default_factory=list)
    # The programme's names of the needs, for the explanations.
    needs: dict[str, str] = field(default_factory=dict)
    skip_rule_ids: list[int] = field(default_factory=list)
    # Everyone's engagement level, and the pairs kept apart by it (see engagement.py).
    levels: engagement.Levels = field(default_factory=engagement.Levels)


class ShownCriterion(TypedDict):
    """One line of a pair's score breakdown, as the matching page shows it."""

    name: str
    label: StrOrPromise
    points: float
    max: float


@dataclass
class ShownPair:
    mentee: Participant
    mentor: Participant
    score: int
    criteria: list[ShownCriterion]
    explanation: str
    # The engine's parts ({"key", "params"}), stored on a proposal to be rendered on read.
    explanation_parts: list[dict[str, Any]]
    locked: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.mentee.pk}-{self.mentor.pk}"


@dataclass
class Run:
    pairs: list[ShownPair]
    unmatched: list[tuple[Participant, str]]
    stats: dict[str, Any]
    fingerprint: str
    error: str = ""


def settings_for(programme: Programme) -> MatchingSettings:
    """Return the programme's settings, or unsaved defaults (reading never writes)."""
    found = MatchingSettings.objects.filter(programme=programme).first()
    if found is None:
        found = MatchingSettings(programme=programme, **MatchingSettings.kind_defaults(programme))
    found.programme = programme
    return found


def seats_taken(programme: Programme) -> dict[int, int]:
    """Count each mentor's seats held by open duos and pending proposals (two queries)."""
    taken: dict[int, int] = {}
    for qs in (
        Duo.objects.filter(programme=programme, status__in=Duo.OPEN_STATUSES),
        Proposal.objects.filter(programme=programme, status=Proposal.Status.PENDING),
    ):
        for row in qs.values("mentor_id").annotate(n=Count("pk")).order_by():
            taken[row["mentor_id"]] = taken.get(row["mentor_id"], 0) + row["n"]
    return taken


def _person(p: Participant, programme: Programme) -> dict[str, Any]:
    located = p.latitude is not None and p.longitude is not None
    mode = "remote" if programme.mode == programme.Mode.REMOTE else p.mode_preference
    slots = [s[:-3] + "_eve" if s.endswith("_ev") else s for s in p.availability or []]
    return {
        "id": str(p.pk),
        # First name only: explanations are shown to the other side of the pair.
        "name": p.team_name if p.kind == Participant.Kind.TEAM else (p.first_name or p.last_name),
        "languages": {
            str(code).lower(): level
            for code, level in (p.languages or {}).items()
            if _LANGUAGE.match(str(code).lower()) and level in _LEVELS
        },
        "mode": mode,
        "location": [p.latitude, p.longitude] if located and mode != "remote" else None,
        "max_distance_km": p.max_distance_km,
        "availability": sorted(s for s in slots if s in _SLOTS),
        "gender": p.gender or None,
        "gender_preference": p.gender_preference or "any",
        "sector": p.sector if _SECTOR.match(p.sector or "") else None,
        "needs": [n for n in p.needs or [] if isinstance(n, str) and n],
        "interests": [i for i in p.interests or [] if isinstance(i, str) and i],
        "birth_year": p.birth_year,
    }


def build_pool(
    programme: Programme, *, include: Participant | None = None, also: Participant | None = None
) -> Pool:
    """Gather the programme's pool and build the engine's instance (as JSON-shaped data).

    `include` (and `also`) are put in the pool even when they are not waiting for a partner: a
    shortlist, or a pair a coordinator chose, looks at them anyway.
    """
    extra = {p.pk: p for p in (include, also) if p is not None}
    conf = settings_for(programme)
    taken = seats_taken(programme)
    waiting = set(
        Proposal.objects.filter(programme=programme, status=Proposal.Status.PENDING).values_list(
            "mentee_id", flat=True
        )
    )
    people = Participant.objects.filter(programme=programme).filter(
        role=ROLE.MENTEE, status=STATUS.READY
    ) | Participant.objects.filter(
        programme=programme, role=ROLE.MENTOR, status__in=[STATUS.READY, STATUS.MATCHED]
    )
    pool = Pool(
        mentees={},
        mentors={},
        seats_left={},
        data={},
        needs=vocabulary_of(programme).texts(Vocabulary.NEEDS),
    )
    mentees: list[dict[str, Any]] = []
    mentors: list[dict[str, Any]] = []
    # The encrypted fields are not the engine's: left unread, so not decrypted row by row.
    everyone = list(people.defer("phone", "legal_status", "intake_notes").order_by("pk"))
    present = {p.pk for p in everyone}
    everyone = [extra.get(p.pk, p) for p in everyone]
    everyone += [p for pk, p in extra.items() if pk not in present]
    for p in everyone:
        person = _person(p, programme)
        if person["mode"] == "in_person" and person["location"] is None:
            pool.left_out.append((p, "missing_location", {"name": person["name"]}))
            continue
        if p.role == ROLE.MENTEE:
            if p.pk in waiting and p.pk not in extra:
                continue
            pool.mentees[person["id"]] = p
            mentees.append(person)
            continue
        seats = max(p.capacity - taken.get(p.pk, 0), 0)
        if p.pk in extra:
            seats = max(seats, 1)  # a shortlist looks for candidates even for a full mentor
        elif p.status == STATUS.MATCHED and seats == 0:
            continue
        pool.mentors[person["id"]] = p
        pool.seats_left[person["id"]] = seats
        mentors.append(
            {
                **person,
                "offers": [o for o in p.offers or [] if isinstance(o, str) and o],
                "capacity": seats,
                "training_done": p.training_done,
            }
        )
    locked, forbidden = _rules(programme, pool)
    forbidden += pool.skipped
    pool.levels = engagement.pool_levels(programme, pool.mentees, pool.mentors)
    if pool.levels.active:
        for person in mentees:
            person["needs"] += engagement.need_tokens(pool.levels.mentees[person["id"]])
        for person in mentors:
            person["offers"] += engagement.offer_tokens(pool.levels.mentors[person["id"]])
        # A pair the coordinator locked stays hers to decide.
        kept = {tuple(pair) for pair in locked}
        forbidden += [list(pair) for pair in sorted(pool.levels.blocked) if pair not in kept]
    pool.data = {
        "settings": {
            "kind": programme.kind,
            "weights": conf.resolved_weights(),
            "min_language_level": conf.min_language_level,
            "min_shared_slots": conf.min_shared_slots,
            "min_score": conf.min_score,
            "method": conf.method,
            "require_training": conf.require_training,
        },
        "mentees": mentees,
        "mentors": mentors,
        "locked": locked,
        "forbidden": forbidden,
    }
    return pool


def _rules(programme: Programme, pool: Pool) -> tuple[list[list[str]], list[list[str]]]:
    locked: list[list[str]] = []
    forbidden: list[list[str]] = []
    used: dict[str, int] = {}
    locked_mentees: set[str] = set()
    for rule_id, mentee_id, mentor_id, kind in PairRule.objects.filter(
        programme=programme
    ).values_list("pk", "mentee_id", "mentor_id", "kind"):
        pair = [str(mentee_id), str(mentor_id)]
        if kind == PairRule.Kind.SKIP:
            pool.skipped.append(pair)
            pool.skip_rule_ids.append(rule_id)
            continue
        if kind == PairRule.Kind.FORBID:
            forbidden.append(pair)
            continue
        # A lock whose people left the pool, or beyond the mentor's free seats, no longer applies.
        if pair[0] not in pool.mentees or pair[1] not in pool.mentors or pair[0] in locked_mentees:
            continue
        if used.get(pair[1], 0) >= pool.seats_left[pair[1]]:
            continue
        used[pair[1]] = used.get(pair[1], 0) + 1
        locked_mentees.add(pair[0])
        locked.append(pair)
    return locked, forbidden


def _criteria(pair: matching_engine.Pair) -> list[ShownCriterion]:
    return [
        {
            "name": c.name,
            "label": explain.CRITERIA.get(c.name, c.name),
            "points": c.points,
            "max": c.max_points,
        }
        for c in pair.criteria
    ]


def _shown(pool: Pool, pair: matching_engine.Pair) -> ShownPair:
    parts = [p.to_dict() for p in pair.explanation_parts]
    return ShownPair(
        mentee=pool.mentees[pair.mentee],
        mentor=pool.mentors[pair.mentor],
        score=pair.score,
        criteria=_criteria(pair),
        explanation=explain.render_explanation(
            parts, str(pool.data["settings"]["kind"]), pool.needs
        ),
        explanation_parts=parts,
        locked=pair.locked,
        warnings=pair.warnings,
    )


def fingerprint(pairs: Iterable[ShownPair]) -> str:
    """Summarise a proposed set, so that "send" can check it still is what the coordinator saw."""
    rows = sorted((p.mentee.pk, p.mentor.pk, p.score) for p in pairs)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


@dataclass
class Computed:
    """The engine's answer over a programme's pool, before anything is rendered or stored."""

    pool: Pool
    # Best score first (then the mentee's id): the order the page shows them in.
    pairs: list[matching_engine.Pair]
    # (person, reason code, reason parameters)
    unmatched: list[tuple[Participant, str, dict[str, Any]]]
    stats: dict[str, Any]
    error: str = ""


def input_hash(pool: Pool) -> str:
    """Summarise what the engine is given, so that a stored result can be known out of date."""
    # The "not in this run" pairs are consumed by the run: their going is no change.
    skipped = {tuple(pair) for pair in pool.skipped}
    data = dict(pool.data)
    if skipped:
        data["forbidden"] = [p for p in pool.data["forbidden"] if tuple(p) not in skipped]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def compute(programme: Programme) -> Computed:
    """Run the engine over the programme's pool (nothing rendered: a worker stores this)."""
    pool = build_pool(programme)
    unmatched = list(pool.left_out)
    if not pool.mentees or not pool.mentors:
        # Nothing to pair (and the engine is not asked about an empty side).
        free = [p for key, p in pool.mentors.items() if pool.seats_left[key] > 0]
        for p in [*pool.mentees.values(), *free]:
            code, name = ("no_feasible_mentor", "mentee")
            if p.role == ROLE.MENTOR:
                code, name = ("no_feasible_mentee", "mentor")
            unmatched.append((p, code, {name: _person(p, programme)["name"]}))
        return Computed(pool, [], unmatched, {})
    try:
        result = matching_engine.solve(matching_engine.parse_instance(pool.data))
    except matching_engine.MatchingError as error:
        return Computed(pool, [], unmatched, {}, error=str(error))
    pairs = sorted(result.pairs, key=lambda p: (-p.score, int(p.mentee)))
    for u in result.unmatched:
        if u.role == "mentor" and pool.seats_left.get(u.id) == 0:
            continue  # full for now (duos and pending proposals): not "left out"
        # The engine reports only people of the instance, which the pool built from these.
        person = pool.mentees[u.id] if u.role == "mentee" else pool.mentors[u.id]
        unmatched.append((person, u.reason_code, _engagement_reason(pool, u.id, dict(u.params))))
    return Computed(pool, pairs, unmatched, dict(result.stats))


def _engagement_reason(pool: Pool, person_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """Say "commits to less" rather than "excluded before" when the engagement rule kept apart."""
    if params.get("constraint") != "forbidden" or person_id not in pool.levels.mentees:
        return params
    if not any(mentee == person_id for mentee, _ in pool.levels.blocked):
        return params
    return {**params, "constraint": "engagement", "level": pool.levels.mentees[person_id]}


def run_matching(programme: Programme) -> Run:
    """Run the engine over the programme's pool and return pairs and reasons, ready to show."""
    done = compute(programme)
    unmatched = [(p, explain.render_reason(code, params)) for p, code, params in done.unmatched]
    if done.error:
        return Run([], unmatched, {}, "", error=done.error)
    pairs = [_shown(done.pool, pair) for pair in done.pairs]
    return Run(pairs, unmatched, done.stats, fingerprint(pairs))


def stored_rows(done: Computed) -> list[RunRow]:
    """Turn the engine's answer into a run's rows (unsaved), pairs first, best first."""
    rows = [
        RunRow(
            position=position,
            mentee=done.pool.mentees[pair.mentee],
            mentor=done.pool.mentors[pair.mentor],
            score=pair.score,
            locked=pair.locked,
            criteria=[
                {"name": c.name, "points": c.points, "max": c.max_points} for c in pair.criteria
            ],
            explanation_parts=[p.to_dict() for p in pair.explanation_parts],
            warnings=list(pair.warnings),
        )
        for position, pair in enumerate(done.pairs)
    ]
    for position, (person, code, params) in enumerate(done.unmatched, start=len(rows)):
        is_mentee = person.role == ROLE.MENTEE
        rows.append(
            RunRow(
                position=position,
                mentee=person if is_mentee else None,
                mentor=None if is_mentee else person,
                reason_code=code,
                reason_params=params,
            )
        )
    return rows


def stored_fingerprint(done: Computed) -> str:
    """The fingerprint of the pairs as fingerprint() computes it for shown ones."""
    rows = sorted((int(p.mentee), int(p.mentor), p.score) for p in done.pairs)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def shown_from_row(row: RunRow, kind: str = "") -> ShownPair:
    """A stored pair, as the proposals are made from (and the page shows)."""
    assert row.mentee is not None and row.mentor is not None
    return ShownPair(
        mentee=row.mentee,
        mentor=row.mentor,
        score=row.score or 0,
        criteria=[
            {
                "name": c["name"],
                "label": explain.CRITERIA.get(c["name"], c["name"]),
                "points": c["points"],
                "max": c["max"],
            }
            for c in row.criteria
        ],
        explanation=explain.render_explanation(row.explanation_parts, kind),
        explanation_parts=row.explanation_parts,
        locked=row.locked,
        warnings=tuple(row.warnings),
    )


def shortlist(programme: Programme, participant: Participant, limit: int = 10) -> list[ShownPair]:
    """Return the best feasible partners for one participant, best first."""
    pool = build_pool(programme, include=participant)
    pid = str(participant.pk)
    if pid not in pool.mentees and pid not in pool.mentors:
        return []
    if not pool.mentees or not pool.mentors:
        return []
    data = dict(pool.data, locked=[])
    instance = matching_engine.parse_instance(data)
    if participant.role == ROLE.MENTEE:
        found = matching_engine.candidates(instance, mentee_id=pid)
    else:
        found = matching_engine.candidates(instance, mentor_id=pid)
    forbidden = {tuple(pair) for pair in data["forbidden"]}
    kept = [p for p in found if (p.mentee, p.mentor) not in forbidden]
    return [_shown(pool, pair) for pair in kept[:limit]]


@dataclass
class Assessed:
    """A pair a coordinator chose, as the engine sees it: its score, why, and what it breaks."""

    pair: ShownPair
    # Codes of the hard constraints it breaks (see explain.CONSTRAINTS), none when it fits.
    broken: list[str]


def assess_pair(programme: Programme, mentee: Participant, mentor: Participant) -> Assessed:
    """Score a chosen pair with the programme's settings and list the hard rules it breaks."""
    pool = build_pool(programme, include=mentee, also=mentor)
    e, m = str(mentee.pk), str(mentor.pk)
    broken = []
    if e not in pool.mentees or m not in pool.mentors:
        # Left out before the engine (an in-person profile without a place): it cannot score.
        return Assessed(
            ShownPair(mentee, mentor, 0, [], "", []),
            ["mode_distance"],
        )
    # The seat is checked under a lock when the proposal is made, not here.
    data = dict(pool.data, locked=[])
    for mentor_data in data["mentors"]:
        if mentor_data["id"] == m:
            mentor_data["capacity"] = max(mentor_data["capacity"], 1)
    pair = matching_engine.assess(matching_engine.parse_instance(data), e, m)
    broken = [code for code in pair.warnings if code != "capacity"]
    if (e, m) in pool.levels.blocked:
        # Named for what it is, and "excluded before" only when a rule of the coordinator's says so.
        ruled = PairRule.objects.filter(programme=programme, mentee=mentee, mentor=mentor).exclude(
            kind=PairRule.Kind.LOCK
        )
        if "forbidden" in broken and not ruled.exists():
            broken.remove("forbidden")
        broken.append("engagement")
    return Assessed(_shown(pool, pair), broken)
