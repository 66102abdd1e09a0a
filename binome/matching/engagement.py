"""Engagement levels in matching: what a mentee needs against what a mentor commits to.

The rule, told to the engine with what it already accepts (no field of its own):

- A side's level is the one it stated (one-off, a few sessions, short-term, long-term), else the
  level its programme's rhythm implies (`vocab.programme_engagement`): a mentor without a level
  commits to the programme's rhythm, a mentee without one needs it.
- A mentor two or more levels below what the mentee needs is not proposed: a one-off or
  few-sessions mentor for a long-term duo, a one-off mentor for a short-term one. Those pairs go to
  the engine as forbidden; a coordinator may still propose one by hand, with a reason.
- Closer levels score higher, inside the "needs covered" criterion: the mentee needs two tokens
  (her level, and "near" her level), a mentor offers his level and "near" each level next to his
  own. Same level: both met; one level apart: one; further: none.
- Only a pool where someone stated a level hears of engagement at all: a programme where nobody
  did scores and explains its pairs exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from binome.core import vocab

if TYPE_CHECKING:
    from binome.people.models import Participant
    from binome.programmes.models import Programme

# Token prefixes; a colon and a tilde never appear in a need's or a support's code.
SAME = "engagement:"
NEAR = "engagement~"
# How many levels below the mentee's need a mentor may commit to and still be proposed.
MAX_SHORTFALL = 1


def is_token(code: str) -> bool:
    return code.startswith((SAME, NEAR))


def programme_level(programme: Programme) -> str:
    """Return the level a programme's rhythm implies."""
    return vocab.programme_engagement(programme.meetings_per_month, programme.duration_months)


def level_of(person: Participant, programme: Programme) -> str:
    """Return what a person stated, else what the programme's rhythm implies."""
    if person.engagement in vocab.ENGAGEMENTS:
        return person.engagement
    return programme_level(programme)


def too_far_below(need: str, offered: str) -> bool:
    """Tell whether a mentor's level falls too short of what a mentee needs to be proposed."""
    return vocab.engagement_rank(need) - vocab.engagement_rank(offered) > MAX_SHORTFALL


def need_tokens(level: str) -> list[str]:
    return [SAME + level, NEAR + level]


def offer_tokens(level: str) -> list[str]:
    rank = vocab.engagement_rank(level)
    near = vocab.ENGAGEMENT_ORDER[max(rank - 1, 0) : rank + 2]
    return [SAME + level, *(NEAR + code for code in near)]


@dataclass
class Levels:
    """The levels of a pool's people, and the pairs they keep apart."""

    active: bool = False
    mentees: dict[str, str] = field(default_factory=dict)
    mentors: dict[str, str] = field(default_factory=dict)
    # (mentee id, mentor id) pairs the rule keeps apart.
    blocked: set[tuple[str, str]] = field(default_factory=set)


def pool_levels(
    programme: Programme,
    mentees: Mapping[str, Participant],
    mentors: Mapping[str, Participant],
) -> Levels:
    """Work out everyone's level and the pairs too far apart; inactive when nobody stated one."""
    everyone: Iterable[Participant] = [*mentees.values(), *mentors.values()]
    if not any(p.engagement in vocab.ENGAGEMENTS for p in everyone):
        return Levels()
    levels = Levels(
        active=True,
        mentees={key: level_of(p, programme) for key, p in mentees.items()},
        mentors={key: level_of(p, programme) for key, p in mentors.items()},
    )
    # Grouped by level: at most 4 x 4 comparisons, then one pair per person kept apart.
    by_level: dict[str, list[str]] = {}
    for key, level in levels.mentors.items():
        by_level.setdefault(level, []).append(key)
    for mentee, need in levels.mentees.items():
        for offered, keys in by_level.items():
            if too_far_below(need, offered):
                levels.blocked.update((mentee, mentor) for mentor in keys)
    return levels


def tokens_level(codes: Iterable[str]) -> tuple[str, bool] | None:
    """Read shared tokens back: (the mentee's level, same level or not), or None."""
    same = [c[len(SAME) :] for c in codes if c.startswith(SAME)]
    if same:
        return same[0], True
    near = [c[len(NEAR) :] for c in codes if c.startswith(NEAR)]
    if near:
        return near[0], False
    return None
