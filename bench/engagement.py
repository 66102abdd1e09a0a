"""Time what engagement levels add to a matching run: the pairs they keep apart (given to the
engine as forbidden) and the need/offer tokens, against the same cohort without levels.

    .venv/bin/python bench/engagement.py                  # 1,000 people per side
    .venv/bin/python bench/engagement.py --people 3000

The pairs kept apart grow as (mentees needing long-term) x (light mentors): this prints how many,
so that a cohort too big for a forbidden list is seen before it is run.
"""

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEVELS = ["one_off", "few_sessions", "short_term", "long_term", ""]


def cohort(people: int) -> tuple[list[dict], list[dict]]:
    rng = random.Random(2021)
    slots = ["mon_am", "tue_pm", "wed_eve", "sat_am", "sun_pm"]
    needs = ["language", "employment", "education", "administration", "social_network"]

    def person(pid: int) -> dict:
        return {
            "id": str(pid),
            "languages": {"fr": "native", rng.choice(["ar", "uk", "en"]): "B2"},
            "mode": "remote",
            "availability": rng.sample(slots, 3),
            "needs": rng.sample(needs, 2),
            "interests": rng.sample(["music", "football", "cooking", "hiking"], 2),
            "birth_year": rng.randint(1960, 2004),
        }

    mentees = [person(i) for i in range(people)]
    mentors = [
        {**person(people + i), "offers": rng.sample(needs, 3), "capacity": 1} for i in range(people)
    ]
    return mentees, mentors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000, help="people per side")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()
    import matching_engine
    from binome.matching import engagement

    mentees, mentors = cohort(args.people)
    settings = {"kind": "remote", "min_shared_slots": 1}
    plain = {"settings": settings, "mentees": mentees, "mentors": mentors}
    start = time.perf_counter()
    before = matching_engine.solve(matching_engine.parse_instance(plain))
    plain_s = time.perf_counter() - start

    programme = SimpleNamespace(meetings_per_month=Decimal("4"), duration_months=10)
    start = time.perf_counter()
    # Stand-ins for participants: the rule reads only their stated level.
    stated_e: dict[str, Any] = {
        p["id"]: SimpleNamespace(engagement=LEVELS[i % 5]) for i, p in enumerate(mentees)
    }
    stated_m: dict[str, Any] = {
        p["id"]: SimpleNamespace(engagement=LEVELS[i * 3 % 5]) for i, p in enumerate(mentors)
    }
    levels = engagement.pool_levels(cast(Any, programme), stated_e, stated_m)
    with_levels = {
        "settings": settings,
        "mentees": [
            {**p, "needs": p["needs"] + engagement.need_tokens(levels.mentees[p["id"]])}
            for p in mentees
        ],
        "mentors": [
            {**p, "offers": p["offers"] + engagement.offer_tokens(levels.mentors[p["id"]])}
            for p in mentors
        ],
        "forbidden": [list(pair) for pair in sorted(levels.blocked)],
    }
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    after = matching_engine.solve(matching_engine.parse_instance(with_levels))
    levels_s = time.perf_counter() - start
    print(f"{args.people} people per side, {len(levels.blocked)} pairs kept apart by level")
    print(f"without levels: {len(before.pairs)} pairs in {plain_s:.2f} s")
    print(
        f"with levels:    {len(after.pairs)} pairs in {levels_s:.2f} s "
        f"(+ {build_s:.2f} s to work out the levels and tokens)"
    )


if __name__ == "__main__":
    main()
