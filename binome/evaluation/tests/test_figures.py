"""The questionnaire figures against an independent computation from the stored answers: who is
paired, the means, McNemar's counts and Cronbach's alpha (reversed items and the fixed sample of
the first responses included)."""

from collections import defaultdict

import numpy as np
import pytest

from binome.evaluation import figures
from binome.evaluation.synthetic import answered_programme
from binome.questionnaires.models import Answer, Response, Scale, ScaleScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(cast):
    made = answered_programme(cast.programme, people=60, items=6, seed=5, dropout=0.2)
    # A reversed item and no published reliability: the page computes alpha itself.
    Scale.objects.filter(key="work_and_rights").update(reversed_keys=["q2"], reliability=None)
    return made


def _scores(key):
    by: dict[str, dict[int, float | None]] = defaultdict(dict)
    for score in ScaleScore.objects.filter(scale__key=key, score__isnull=False).select_related(
        "response"
    ):
        by[score.response.moment][score.response.participant_id] = score.score
    return by


def _alpha(response_ids, keys, reversed_keys):
    rows = []
    for rid in sorted(response_ids):
        values = {
            a.item.key: a.number
            for a in Answer.objects.filter(response_id=rid, item__key__in=keys)
            if a.number is not None
        }
        if len(values) == len(keys):
            rows.append([6 - values[k] if k in reversed_keys else values[k] for k in keys])
    data = np.array(rows, dtype=float)
    k = data.shape[1]
    return k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))


def _figures(cast):
    (entry,) = figures.scales(figures.scope_for(cast.programme))
    return entry


def test_pairs_and_means_match_the_stored_scores(cast, answered):
    entry = _figures(cast)
    assert entry["moments"] == ["intake", "closure", "follow_up"]
    for row in entry["scales"]:
        by = _scores(row["scale"])
        paired = sorted(set(by["intake"]) & set(by[row["to"]]))
        assert row["n_paired"] == len(paired)
        assert row["answered_before"] == len(by["intake"])
        before = np.mean([by["intake"][p] for p in paired])
        after = np.mean([by[row["to"]][p] for p in paired])
        assert row["mean_before"] == round(before, 2)
        assert row["mean_after"] == round(after, 2)


def test_mcnemar_counts_match_the_stored_answers(cast, answered):
    said: dict[str, dict[int, bool]] = defaultdict(dict)
    for answer in Answer.objects.filter(item__key="has_work").select_related("response"):
        said[answer.response.moment][answer.response.participant_id] = "yes" in answer.choices
    for row in _figures(cast)["yes_no_items"]:
        paired = set(said["intake"]) & set(said[row["to"]])
        gained = sum(1 for p in paired if not said["intake"][p] and said[row["to"]][p])
        lost = sum(1 for p in paired if said["intake"][p] and not said[row["to"]][p])
        assert row["n_paired"] == len(paired)
        assert (row["gained"], row["lost"]) == (gained, lost)


@pytest.mark.parametrize("sample", [None, 10])
def test_alpha_is_computed_on_the_first_baseline_responses_with_reversed_items(
    cast, answered, monkeypatch, sample
):
    if sample:
        monkeypatch.setattr(figures, "ALPHA_SAMPLE", sample)
    baseline = sorted(
        Response.objects.filter(participant__programme=cast.programme, moment="intake").values_list(
            "pk", flat=True
        )
    )[: sample or None]
    keys = ["q1", "q2", "q3"]
    expected = _alpha(baseline, keys, {"q2"})
    row = next(r for r in _figures(cast)["scales"] if r["scale"] == "work_and_rights")
    assert row["reliability"] == round(expected, 2)


def test_the_alpha_checks_above_tell_their_cases_apart(cast, answered):
    baseline = sorted(
        Response.objects.filter(participant__programme=cast.programme, moment="intake").values_list(
            "pk", flat=True
        )
    )
    keys = ["q1", "q2", "q3"]
    assert round(_alpha(baseline, keys, {"q2"}), 2) != round(_alpha(baseline[:10], keys, {"q2"}), 2)
    assert round(_alpha(baseline, keys, {"q2"}), 2) != round(_alpha(baseline, keys, set()), 2)
