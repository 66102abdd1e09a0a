"""City-to-city across pairs: for each side (mentee city, mentor city) and scale, the teams of the
programme's pairs that answered at two moments, and the same statistics as for people (paired
mean change with its bootstrap CI, Cohen's dz, Wilcoxon with r, reliable change), each team
counted once and every count suppressed under k like a count of people."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from binome.evaluation.figures import (
    Scope,
    _Baseline,
    _moments,
    _scale_pair,
    evaluation,
    scope_for,
)
from binome.programmes.models import Edition, Programme
from binome.questionnaires.models import Response, Scale, ScaleScore

SIDES = ["mentee", "mentor"]


def across_pairs(scope: Scope) -> list[dict[str, Any]]:
    """Per side and scale, each later moment against the first, teams that answered both."""
    if not scope.programme.has_teams:
        return []
    side_of: dict[int, str] = {}
    for mentor_id, mentee_id in scope.duos().values_list("mentor_id", "mentee_id"):
        side_of[mentor_id], side_of[mentee_id] = "mentor", "mentee"
    scores = ScaleScore.objects.filter(
        response__participant_id__in=list(side_of),
        response__status=Response.Status.SUBMITTED,
        response__occurrence=0,
        score__isnull=False,
    ).values_list(
        "response__participant_id",
        "response__questionnaire_id",
        "scale_id",
        "scale__key",
        "response__moment",
        "score",
        "response_id",
    )
    # A scale is one questionnaire's (two questionnaires may both have a scale keyed "trust").
    Key = tuple[str, int, str]
    by: dict[Key, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    responses: dict[Key, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    scale_ids: dict[tuple[int, str], int] = {}
    for pid, qid, scale_id, key, moment, score, response_id in scores:
        if score is None:
            continue
        by[(side_of[pid], qid, key)][moment][pid] = score
        responses[(side_of[pid], qid, key)][moment].append(response_id)
        scale_ids.setdefault((qid, key), scale_id)
    scales = {s.pk: s for s in Scale.objects.filter(pk__in=scale_ids.values())}
    rows = []
    for side in SIDES:
        for _side, qid, key in sorted(k for k in by if k[0] == side):
            group = (side, qid, key)
            moments = _moments(by[group])
            base = moments[0]
            scale = scales[scale_ids[(qid, key)]]
            for later in moments[1:]:
                pair = _scale_pair(
                    scope,
                    scale,
                    by[group][base],
                    by[group][later],
                    _baseline(responses[group][base]),
                )
                rows.append(
                    {
                        "side": side,
                        "scale": key,
                        "name": str(scale.localized("name")),
                        "from": base,
                        "to": later,
                    }
                    | pair
                )
    return rows


def evaluation_with_pairs(programme: Programme, edition: Edition | None = None) -> dict[str, Any]:
    """Every figure of the evaluation, with the city-to-city figures across pairs."""
    data = evaluation(programme, edition)
    data["teams_across"] = across_pairs(scope_for(programme, edition))
    return data


def meaning(s: dict[str, Any]) -> str:
    """One plain sentence on a scale's change across teams; never an effect unless significant."""
    if s["n_paired"] is None or s["mean_change"] is None:
        return _("Too few teams answered at both moments to show a figure.")
    if s["significant"]:
        return _(
            "%(n)s teams answered both times; their mean score changed by %(change)s "
            "(95 %% CI %(low)s to %(high)s), a change unlikely to be chance (p = %(p)s)."
        ) % {
            "n": s["n_paired"],
            "change": s["mean_change"],
            "low": s["ci_low"],
            "high": s["ci_high"],
            "p": s["wilcoxon_p"],
        }
    return _(
        "%(n)s teams answered both times; their mean score changed by %(change)s, but a change "
        "this size could be chance (p = %(p)s): no effect can be claimed."
    ) % {"n": s["n_paired"], "change": s["mean_change"], "p": s["wilcoxon_p"]}


def _baseline(response_ids: list[int]) -> _Baseline:
    """The first moment's responses of one side, as the reliability figure reads them."""
    return _Baseline(Response.objects.filter(pk__in=response_ids), response_ids)
