"""The demo answers enough questionnaires for every figure of an evaluation, and one small group."""

from collections import defaultdict

import pytest

from binome.demo.load import load_demo
from binome.questionnaires.models import GoalScore, Response, ScaleScore


def paired(programme_slug: str, scale_key: str, first: str, second: str) -> int:
    scores = ScaleScore.objects.filter(
        response__participant__programme__slug=programme_slug,
        scale__key=scale_key,
        score__isnull=False,
    ).values_list("response__participant_id", "response__moment")
    moments = defaultdict(set)
    for person, moment in scores:
        moments[person].add(moment)
    return sum(1 for seen in moments.values() if {first, second} <= seen)


@pytest.mark.django_db
def test_the_demo_answers_the_seed_programmes_questionnaires():
    load_demo()
    assert paired("mentorat-interculturel", "pulse", "mid_term", "closure") >= 30
    assert paired("mentorat-interculturel", "integration", "intake", "closure") >= 10
    assert 0 < paired("mentorat-ville-a-ville", "needs", "intake", "closure") < 5
    assert Response.objects.filter(channel="coordinator", entry_mode="paper").exists()
    assert GoalScore.objects.filter(moment="closure").exists()
    count = Response.objects.count()
    load_demo()
    assert Response.objects.count() == count


@pytest.mark.django_db
def test_the_demo_fills_the_esf_rows_of_the_funder_report():
    from binome.evaluation.esf import entry_tables, result_table
    from binome.evaluation.figures import scope_for
    from binome.evaluation.models import EsfSituation
    from binome.programmes.models import Programme

    load_demo()
    count = EsfSituation.objects.count()
    programme = Programme.objects.get(slug="mentorat-interculturel")
    employment, isced = entry_tables(scope_for(programme))
    assert any(v for v in employment["counts"]) and any(v for v in isced["counts"])
    assert result_table(scope_for(programme), "exit")["total"]
    load_demo()
    assert EsfSituation.objects.count() == count
