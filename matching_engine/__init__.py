"""Binôme's matching engine: optimal, explained mentee-mentor pairs, with no web framework inside.

from matching_engine import parse_instance, solve, candidates, MatchingError

instance = parse_instance(data)            # dict in the JSON shape of README.md
result = solve(instance)                   # Result; result.to_dict() is the JSON output
shortlist = candidates(instance, mentee_id="e1", limit=10)   # list[Pair], best first
"""

from .candidates import assess, candidates
from .errors import MatchingError
from .model import (
    CRITERIA,
    Criterion,
    Instance,
    Mentee,
    Mentor,
    Pair,
    Part,
    Result,
    Settings,
    Unmatched,
    default_weights,
)
from .parse import parse_instance
from .solver import solve

__all__ = [
    "CRITERIA",
    "Criterion",
    "Instance",
    "MatchingError",
    "Mentee",
    "Mentor",
    "Pair",
    "Part",
    "Result",
    "Settings",
    "Unmatched",
    "assess",
    "candidates",
    "default_weights",
    "parse_instance",
    "solve",
]
