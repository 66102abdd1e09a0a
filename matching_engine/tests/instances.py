"""Small random instances that exercise every rule: few languages, a city-sized map, tight
radii, scarce slots, capacities from 0 to 3, locked and forbidden pairs."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from matching_engine.model import CRITERIA, KINDS, LEVELS, SLOTS

LANGS = ("fr", "ar", "en", "uk", "es")
SECTORS = ("2221", "2211", "22", "2", "5120", "51", "7112", None)
NEEDS = ("employment", "language", "housing", "admin", "network")
INTERESTS = ("football", "cooking", "music", "chess", "hiking", "cinema")
GENDERS = ("f", "m", "x", None)
CENTRE = (43.30, 5.37)


def random_instance(
    rng: random.Random, n_e: int | None = None, n_m: int | None = None
) -> dict[str, Any]:
    """Return a random instance dict (valid by construction)."""
    n_e = rng.randint(1, 25) if n_e is None else n_e
    n_m = rng.randint(1, 15) if n_m is None else n_m

    def person(i: int, role: str) -> dict[str, Any]:
        mode = rng.choice(("in_person", "remote", "either"))
        located = mode == "in_person" or rng.random() < 0.8
        p = {
            "id": f"{role[0]}{i:03d}",
            "languages": {
                code: rng.choice(LEVELS) for code in rng.sample(LANGS, rng.randint(1, 3))
            },
            "mode": mode,
            "location": [CENTRE[0] + rng.uniform(-0.2, 0.2), CENTRE[1] + rng.uniform(-0.2, 0.2)]
            if located
            else None,
            "max_distance_km": rng.choice((2, 5, 10, 20, 40)),
            "availability": rng.sample(SLOTS, rng.randint(0, 6)),
            "gender": rng.choice(GENDERS),
            "sector": rng.choice(SECTORS),
            "needs": rng.sample(NEEDS, rng.randint(0, 3)),
            "interests": rng.sample(INTERESTS, rng.randint(0, 3)),
            "birth_year": rng.choice((None, *range(1950, 2006))),
        }
        if rng.random() < 0.3:
            p["name"] = f"Person {role} {i}"
        if role == "mentee":
            p["gender_preference"] = rng.choice(("any", "any", "f", "m"))
        else:
            p["offers"] = rng.sample(NEEDS, rng.randint(0, 4))
            p["capacity"] = rng.choice((0, 1, 1, 1, 2, 3))
            p["training_done"] = rng.random() < 0.8
        return p

    mentees = [person(i, "mentee") for i in range(n_e)]
    mentors = [person(j, "mentor") for j in range(n_m)]
    settings: dict[str, Any] = {
        "kind": rng.choice(KINDS),
        "min_language_level": rng.choice(("A1", "A2", "B1")),
        "min_shared_slots": rng.choice((0, 1, 1, 2)),
        "min_score": rng.choice((0, 0, 20, 40)),
        "require_training": rng.random() < 0.5,
    }
    if rng.random() < 0.3:
        settings["weights"] = {c: rng.choice((0, 5, 10, 30)) for c in rng.sample(CRITERIA, 3)}
    forbidden = [
        [rng.choice(mentees)["id"], rng.choice(mentors)["id"]] for _ in range(rng.randint(0, 5))
    ]
    locked = []
    used: dict[str, int] = {}
    for mentee in rng.sample(mentees, min(len(mentees), rng.randint(0, 3))):
        mentor = rng.choice(mentors)
        if (
            used.get(mentor["id"], 0) < mentor["capacity"]
            and [mentee["id"], mentor["id"]] not in forbidden
        ):
            used[mentor["id"]] = used.get(mentor["id"], 0) + 1
            locked.append([mentee["id"], mentor["id"]])
    return {
        "settings": settings,
        "mentees": mentees,
        "mentors": mentors,
        "locked": locked,
        "forbidden": forbidden,
    }


@st.composite
def instances(draw) -> dict[str, Any]:
    """Hypothesis strategy: a random instance whose every field hypothesis can shrink."""

    def people(role: str, n: int) -> list[dict[str, Any]]:
        out = []
        for i in range(n):
            mode = draw(st.sampled_from(("in_person", "remote", "either")))
            located = mode == "in_person" or draw(st.booleans())
            p = {
                "id": f"{role[0]}{i}",
                "languages": draw(
                    st.dictionaries(
                        st.sampled_from(LANGS), st.sampled_from(LEVELS), min_size=1, max_size=3
                    )
                ),
                "mode": mode,
                "location": [
                    draw(st.floats(43.2, 43.4)),
                    draw(st.floats(5.2, 5.5)),
                ]
                if located
                else None,
                "max_distance_km": draw(st.sampled_from((0, 1, 5, 15, 50))),
                "availability": draw(st.lists(st.sampled_from(SLOTS[:6]), max_size=4, unique=True)),
                "gender": draw(st.sampled_from(GENDERS)),
                "sector": draw(st.sampled_from(SECTORS)),
                "needs": draw(st.lists(st.sampled_from(NEEDS), max_size=3, unique=True)),
                "interests": draw(st.lists(st.sampled_from(INTERESTS), max_size=3, unique=True)),
                "birth_year": draw(st.sampled_from((None, 1950, 1970, 1985, 1990, 2000))),
            }
            if role == "mentee":
                p["gender_preference"] = draw(st.sampled_from(("any", "f", "m")))
            else:
                p["offers"] = draw(st.lists(st.sampled_from(NEEDS), max_size=4, unique=True))
                p["capacity"] = draw(st.integers(0, 3))
                p["training_done"] = draw(st.booleans())
            out.append(p)
        return out

    mentees = people("mentee", draw(st.integers(0, 8)))
    mentors = people("mentor", draw(st.integers(0, 6)))
    ids_e = [p["id"] for p in mentees]
    ids_m = [p["id"] for p in mentors]
    forbidden = []
    if ids_e and ids_m:
        forbidden = draw(
            st.lists(
                st.tuples(st.sampled_from(ids_e), st.sampled_from(ids_m)).map(list), max_size=4
            )
        )
    return {
        "settings": {
            "kind": draw(st.sampled_from(KINDS)),
            "min_language_level": draw(st.sampled_from(("A1", "A2", "B2"))),
            "min_shared_slots": draw(st.integers(0, 2)),
            "min_score": draw(st.sampled_from((0, 30, 60))),
            "require_training": draw(st.booleans()),
            "method": draw(st.sampled_from(("optimal", "stable"))),
            # Tiny lists, so that the cut and the pricing that repairs it run too.
            "max_pairs": draw(st.sampled_from((0, 3, 2_000_000))),
            "mentee_list": draw(st.integers(1, 3)),
            "mentor_list": draw(st.integers(1, 3)),
        },
        "mentees": mentees,
        "mentors": mentors,
        "forbidden": forbidden,
    }
