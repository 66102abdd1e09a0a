"""The ESF+ rows of the funder report, from the situations coordinators record (EsfSituation):
at entry, the employment situation and the level of education of the mentees; at exit and six
months after, how many are in employment, in education or training, or gained a qualification.
Every count goes through small-number suppression."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from binome.evaluation.figures import Scope
from binome.evaluation.models import EsfSituation
from binome.evaluation.suppression import suppress

NOT_RECORDED = ""
# The employment partition at entry: unemployed split by duration, inactive by education.
EMPLOYMENT_CELLS = [
    "employed",
    "unemployed",
    "long_term",
    "inactive_education",
    "inactive_neet",
    NOT_RECORDED,
]
ISCED_CELLS = [*(c for c in EsfSituation.Isced.values if c != "unknown"), NOT_RECORDED]
RESULTS = ["employed", "in_education", "qualification"]


def _situations(scope: Scope, moment: str) -> dict[int, EsfSituation]:
    mentees = scope.participants().filter(role="mentee").values("pk")
    rows = EsfSituation.objects.filter(participant__in=mentees, moment=moment).only(
        "participant_id", "employment", "in_education", "isced", "qualification"
    )
    return {row.participant_id: row for row in rows}


def _employment_cell(situation: EsfSituation | None) -> str:
    if situation is None or situation.employment == EsfSituation.Employment.UNKNOWN:
        return NOT_RECORDED
    if situation.employment == EsfSituation.Employment.INACTIVE:
        return "inactive_education" if situation.in_education else "inactive_neet"
    return situation.employment


def _one_row(title: str, labels: list[str], counts: list[int], k: int) -> dict[str, Any]:
    table = suppress([counts], k)
    return {"title": title, "labels": labels, "counts": table.cells[0], "total": table.total}


def entry_tables(scope: Scope) -> list[dict[str, Any]]:
    """The mentees' employment situation and ISCED level at entry (no record: not recorded)."""
    mentees = list(scope.participants().filter(role="mentee").values_list("pk", flat=True))
    recorded = _situations(scope, EsfSituation.Moment.ENTRY)
    employment = Counter(_employment_cell(recorded.get(pk)) for pk in mentees)
    isced = Counter(
        recorded[pk].isced if pk in recorded and recorded[pk].isced in ISCED_CELLS else ""
        for pk in mentees
    )
    return [
        _one_row(
            _("At entry: employment situation (ESF+)"),
            [
                _("Employed, including self-employed"),
                _("Unemployed for 12 months or less"),
                _("Long-term unemployed (more than 12 months)"),
                _("Inactive, in education or training"),
                _("Inactive, not in education or training"),
                _("Unknown or not recorded"),
            ],
            [employment[c] for c in EMPLOYMENT_CELLS],
            scope.k,
        ),
        _one_row(
            _("At entry: highest level of education attained (ISCED)"),
            ["ISCED 0–1", "ISCED 2", "ISCED 3–4", "ISCED 5–8", _("Unknown or not recorded")],
            [isced[c] for c in ISCED_CELLS],
            scope.k,
        ),
    ]


def result_table(scope: Scope, moment: str) -> dict[str, Any]:
    """At exit or six months after: of the mentees with a record, how many in employment, in
    education or training, with a qualification gained (one person may count in several)."""
    recorded = list(_situations(scope, moment).values())
    yes = {
        "employed": sum(s.employment == EsfSituation.Employment.EMPLOYED for s in recorded),
        "in_education": sum(s.in_education for s in recorded),
        "qualification": sum(s.qualification for s in recorded),
    }
    # Each indicator as yes / no of the same people: hidden "no"s protect the "yes"es.
    table = suppress([[yes[r], len(recorded) - yes[r]] for r in RESULTS], scope.k)
    title = {
        EsfSituation.Moment.EXIT: _("At exit: ESF+ result indicators (mentees with a record)"),
        EsfSituation.Moment.SIX_MONTHS: _(
            "Six months after exit: ESF+ result indicators (mentees with a record)"
        ),
    }[EsfSituation.Moment(moment)]
    return {
        "title": title,
        "labels": [
            _("In employment, including self-employed"),
            _("In education or training"),
            _("Gained a qualification"),
        ],
        "counts": [row[0] for row in table.cells],
        "total": table.row_totals[0] if table.row_totals else None,
        "overlapping": True,
    }


def esf_tables(scope: Scope) -> list[dict[str, Any]]:
    """Every ESF+ table the situations recorded feed, entry first."""
    return [
        *entry_tables(scope),
        result_table(scope, EsfSituation.Moment.EXIT),
        result_table(scope, EsfSituation.Moment.SIX_MONTHS),
    ]


def recorded_share(scope: Scope) -> tuple[int, int]:
    """How many mentees have an entry situation recorded, of how many."""
    mentees = scope.participants().filter(role="mentee")
    recorded = EsfSituation.objects.filter(
        participant__in=mentees.values("pk"), moment=EsfSituation.Moment.ENTRY
    ).count()
    return recorded, mentees.count()
