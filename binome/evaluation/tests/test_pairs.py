"""City-to-city across pairs: the teams of the programme's pairs that answered at two moments,
per side and scale, with the same statistics as for people and the same suppression."""

import json

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from binome.duos.models import Duo
from binome.evaluation import pairs, stats
from binome.evaluation.figures import scope_for
from binome.evaluation.synthetic import answered_programme
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.questionnaires.models import ScaleScore

pytestmark = pytest.mark.django_db


def _city_programme(cast, n_pairs, seed=5):
    """n_pairs of a mentor city team and a mentee city team, every team answering twice."""
    programme = Programme.objects.create(
        organisation=cast.org_a,
        name="Ville à ville",
        slug=f"ville-a-ville-{n_pairs}",
        kind=Programme.Kind.CITY_TO_CITY,
        mode=Programme.Mode.HYBRID,
    )
    answered_programme(
        programme, people=2 * n_pairs, items=4, moments=("intake", "closure"), seed=seed,
        dropout=0,
    )  # fmt: skip
    teams = list(Participant.objects.filter(programme=programme).order_by("pk"))
    Participant.objects.filter(pk__in=[t.pk for t in teams]).update(
        kind=Participant.Kind.TEAM, team_name=F("first_name")
    )
    mentors, mentees = teams[:n_pairs], teams[n_pairs:]
    Participant.objects.filter(pk__in=[t.pk for t in mentors]).update(role="mentor")
    for mentor, mentee in zip(mentors, mentees, strict=True):
        Duo.objects.create(programme=programme, mentor=mentor, mentee=mentee)
    return programme, mentors, mentees


def _scores(people, key, moment):
    rows = ScaleScore.objects.filter(
        response__participant__in=people, scale__key=key, response__moment=moment
    ).values_list("response__participant_id", "score")
    return dict(rows)


def test_each_side_and_scale_gets_the_paired_statistics_of_its_teams(cast):
    programme, mentors, mentees = _city_programme(cast, 8)
    rows = pairs.across_pairs(scope_for(programme))
    assert {(r["side"], r["scale"]) for r in rows} == {
        (side, key) for side in ("mentee", "mentor") for key in ("social_links", "work_and_rights")
    }
    row = next(r for r in rows if r["side"] == "mentee" and r["scale"] == "work_and_rights")
    before = _scores(mentees, "work_and_rights", "intake")
    after = _scores(mentees, "work_and_rights", "closure")
    paired = sorted(set(before) & set(after))
    assert row["n_paired"] == len(paired) == 8
    x, y = [before[p] for p in paired], [after[p] for p in paired]
    expected, test, dz = stats.paired_mean_change(x, y), stats.wilcoxon(x, y), stats.cohens_dz(x, y)
    assert expected is not None and test is not None and dz is not None and test.p is not None
    assert row["mean_change"] == round(expected.mean_change, 2)
    assert row["dz"] == round(dz, 2)
    assert row["wilcoxon_p"] == round(test.p, 4)
    assert (row["from"], row["to"]) == ("intake", "closure")


def test_fewer_than_k_teams_show_nothing_but_that(cast):
    programme, _mentors, _mentees = _city_programme(cast, 3)
    rows = pairs.across_pairs(scope_for(programme))
    assert rows and all(r["n_paired"] is None and r["mean_change"] is None for r in rows)


def test_a_programme_of_people_has_no_city_figures(cast):
    answered_programme(cast.programme, people=6, items=4, seed=2)
    assert pairs.across_pairs(scope_for(cast.programme)) == []


def test_the_page_and_the_report_show_the_figures_across_pairs(cast, client_as, capsys):
    programme, _mentors, _mentees = _city_programme(cast, 6)
    with translation.override("en"):
        url = reverse("evaluation:page", args=[programme.pk])
    text = client_as(cast.vera).get(url).content.decode()
    assert "City-to-city: across pairs" in text and "teams answered both times" in text
    call_command("evaluation_report", programme.slug, "--json")
    data = json.loads(capsys.readouterr().out)
    assert {r["side"] for r in data["teams_across"]} == {"mentee", "mentor"}
    assert all(r["n_paired"] == 6 for r in data["teams_across"])
