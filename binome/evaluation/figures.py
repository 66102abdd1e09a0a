"""Every figure of a programme's evaluation, as plain data (JSON-ready): the page, the funder
report and `manage.py evaluation_report` read the same dict.

Counts of people go through small-number suppression (binome.evaluation.suppression) for every
reader: a suppressed cell is None. Figures about fewer than k people are not computed at all.
"""

from __future__ import annotations

import datetime
import json
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Min, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from binome.community.models import Activity, Invitation
from binome.duos.models import CheckIn, Duo, FollowUpAnswer, Meeting
from binome.evaluation import stats
from binome.evaluation.suppression import suppress
from binome.people.models import Participant, StatusChange
from binome.programmes.models import Edition, Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.questionnaires.models import (
    Answer,
    Assignment,
    GoalScore,
    Item,
    Response,
    Scale,
    ScaleScore,
)

FUNNEL_STEPS = ["applied", "interviewed", "ready", "matched", "active", "closed"]
ROLES = [Participant.Role.MENTEE, Participant.Role.MENTOR]
# The order of the moments, to pair each later moment with the first one answered.
MOMENT_ORDER = ["application", "intake", "every_n_weeks", "mid_term", "closure", "follow_up"]
# Conventional significance level: above it, a change is not called an effect.
ALPHA = 0.05


@dataclass(frozen=True)
class Scope:
    programme: Programme
    edition: Edition | None
    k: int

    def participants(self) -> QuerySet[Participant]:
        people = Participant.objects.filter(programme=self.programme)
        return people.filter(edition=self.edition) if self.edition else people

    def duos(self) -> QuerySet[Duo]:
        duos = Duo.objects.filter(programme=self.programme)
        return duos.filter(edition=self.edition) if self.edition else duos


def scope_for(programme: Programme, edition: Edition | None = None) -> Scope:
    return Scope(programme, edition, programme.organisation.evaluation_min_group)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _suppressed_row(counts: list[int], k: int) -> tuple[list[int | None], int | None]:
    table = suppress([counts], k)
    return table.cells[0], table.total


def funnel(scope: Scope) -> dict[str, Any]:
    """How far each mentee and mentor got, and the median days between consecutive steps."""
    people: dict[int, str] = {}
    created: dict[int, datetime.datetime] = {}
    for pk, role, created_at in (
        scope.participants().order_by().values_list("pk", "role", "created_at")
    ):
        people[pk], created[pk] = role, created_at
    # When each person first reached each step: one row per person and step, from the database.
    reached: dict[int, dict[str, datetime.datetime]] = defaultdict(dict)
    firsts = (
        StatusChange.objects.filter(
            participant_id__in=scope.participants().values("pk"), to_status__in=FUNNEL_STEPS
        )
        .values("participant_id", "to_status")
        .annotate(first=Min("at"))
        .order_by()
    )
    for row in firsts:
        reached[row["participant_id"]][row["to_status"]] = row["first"]
    # The furthest step reached: a partition of the people, so its totals add up.
    furthest: dict[str, list[int]] = {role: [0] * len(FUNNEL_STEPS) for role in ROLES}
    for pk, role in people.items():
        steps = reached.get(pk, {})
        last = max((FUNNEL_STEPS.index(s) for s in steps), default=0)
        if role in furthest:
            furthest[role][last] += 1
    table = suppress([furthest[role] for role in ROLES], scope.k)
    rows = []
    for role, cells in zip(ROLES, table.cells, strict=True):
        cumulative: list[int | None] = []
        for s in range(len(FUNNEL_STEPS)):
            tail = cells[s:]
            cumulative.append(None if any(v is None for v in tail) else sum(tail))  # type: ignore[arg-type]
        rows.append({"role": role, "furthest": cells, "reached": cumulative})
    days: list[float | None] = []
    for a, b in zip(FUNNEL_STEPS, FUNNEL_STEPS[1:], strict=False):
        gaps = []
        for pk, steps in reached.items():
            start = steps.get(a) or (created.get(pk) if a == "applied" else None)
            if start and b in steps:
                gaps.append((steps[b] - start).total_seconds() / 86400)
        days.append(_round(pystats.median(gaps), 1) if len(gaps) >= scope.k else None)
    return {"steps": FUNNEL_STEPS, "rows": rows, "total": table.total, "median_days": days}


def dosage(scope: Scope) -> dict[str, Any]:
    """Meetings and hours per duo, how many reached the planned length, early closures."""
    held = Q(meetings__status=Meeting.Status.HELD)
    duos = list(
        scope.duos()
        .annotate(
            held_count=Count("meetings", filter=held),
            minutes=Sum("meetings__duration_minutes", filter=held),
        )
        .values(
            "pk",
            "status",
            "started_on",
            "planned_end_on",
            "closed_on",
            "close_reason",
            "held_count",
            "minutes",
        )
    )
    n = len(duos)
    programme = scope.programme
    planned_meetings = float(programme.meetings_per_month) * programme.duration_months
    closed = [d for d in duos if d["status"] == Duo.Status.CLOSED]
    reached_duration = sum(
        1
        for d in closed
        if d["closed_on"] and d["planned_end_on"] and d["closed_on"] >= d["planned_end_on"]
    )
    reached_meetings = sum(1 for d in duos if d["held_count"] >= planned_meetings)
    early = [
        d
        for d in closed
        if d["closed_on"] and d["planned_end_on"] and d["closed_on"] < d["planned_end_on"]
    ]
    counts = Counter(d["close_reason"] or "other" for d in early)
    # The programme's own reasons, retired ones too, then any other code a duo holds.
    reasons = vocabulary_of(scope.programme).all_codes(Vocabulary.CLOSE_REASONS)
    reasons += sorted(set(counts) - set(reasons))
    reason_cells, early_total = _suppressed_row([counts[r] for r in reasons], scope.k)
    big_enough = n >= scope.k
    meetings = [d["held_count"] for d in duos]
    hours = [(d["minutes"] or 0) / 60 for d in duos]
    return {
        "duos": n if big_enough or n == 0 else None,
        "closed": len(closed) if len(closed) >= scope.k or not closed else None,
        "meetings_mean": _round(pystats.mean(meetings), 1) if big_enough else None,
        "meetings_median": _round(pystats.median(meetings), 1) if big_enough else None,
        "hours_mean": _round(pystats.mean(hours), 1) if big_enough else None,
        "hours_median": _round(pystats.median(hours), 1) if big_enough else None,
        "planned_meetings": _round(planned_meetings, 1),
        "share_reaching_meetings": _round(reached_meetings / n) if big_enough else None,
        "share_reaching_duration": (
            _round(reached_duration / len(closed)) if len(closed) >= scope.k else None
        ),
        "early_closures": {"reasons": reasons, "counts": reason_cells, "total": early_total},
    }


def meetings_per_month(scope: Scope) -> list[dict[str, Any]]:
    """Held meetings by month (events, not people: not suppressed)."""
    rows = (
        Meeting.objects.filter(duo__in=scope.duos(), status=Meeting.Status.HELD)
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [{"month": row["month"].strftime("%Y-%m"), "meetings": row["n"]} for row in rows]


def mood_over_time(scope: Scope) -> list[dict[str, Any]]:
    """The mean check-in mood by month and side, from k check-ins in a month on."""
    rows = (
        CheckIn.objects.filter(duo__in=scope.duos())
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "side")
        .annotate(n=Count("pk"), mood=Avg("mood"))
        .order_by("month")
    )
    months: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = months.setdefault(
            row["month"].strftime("%Y-%m"),
            {"month": row["month"].strftime("%Y-%m"), "mentee": None, "mentor": None},
        )
        if row["n"] >= scope.k:
            entry[row["side"]] = _round(row["mood"])
    return list(months.values())


def outcomes(scope: Scope) -> dict[str, Any]:
    """The outcomes recorded at closure, and the mentees' situation at follow-up."""
    closed = list(scope.duos().filter(status=Duo.Status.CLOSED).values_list("outcomes", flat=True))
    counter: Counter[str] = Counter()
    for listed in closed:
        counter.update(set(listed or []))
    kinds = vocabulary_of(scope.programme).all_codes(Vocabulary.OUTCOMES)
    kinds += sorted(set(counter) - set(kinds))
    at_closure = [counter[k] if len(closed) >= scope.k else 0 for k in kinds]
    # Several outcomes per duo: each count is its own cell, shown from k people on.
    closure_cells = [v if v >= scope.k or v == 0 else None for v in at_closure]
    situations = [choice for choice, _label in FollowUpAnswer.Situation.choices]
    follow = Counter(
        FollowUpAnswer.objects.filter(follow_up__duo__in=scope.duos(), side="mentee")
        .exclude(situation="")
        .values_list("situation", flat=True)
    )
    follow_cells, follow_total = _suppressed_row([follow[s] for s in situations], scope.k)
    return {
        "closed_duos": len(closed) if len(closed) >= scope.k or not closed else None,
        "at_closure": {"outcomes": kinds, "counts": closure_cells},
        "at_follow_up": {"situations": situations, "counts": follow_cells, "total": follow_total},
    }


def goal_attainment(scope: Scope) -> dict[str, Any]:
    """Goal attainment scaling: the last score of each scaled objective (−2…+2)."""
    last: dict[int, int] = {}
    scores = GoalScore.objects.filter(goal_scale__objective__duo__in=scope.duos()).order_by(
        "at", "pk"
    )
    for scale_id, score in scores.values_list("goal_scale_id", "score"):
        last[scale_id] = score
    values = list(last.values())
    levels = [-2, -1, 0, 1, 2]
    cells, total = _suppressed_row([values.count(v) for v in levels], scope.k)
    enough = len(values) >= scope.k
    return {
        "levels": levels,
        "counts": cells,
        "objectives": total,
        "mean": _round(pystats.mean(values)) if enough else None,
        "share_met": _round(sum(v >= 0 for v in values) / len(values)) if enough else None,
    }


def _moments(present: Iterable[str]) -> list[str]:
    return sorted(set(present), key=lambda m: MOMENT_ORDER.index(m) if m in MOMENT_ORDER else 99)


# Cronbach's alpha from this many baseline answers at most: its standard error is then ~0.01.
ALPHA_SAMPLE = 2000


@dataclass(frozen=True)
class _Baseline:
    """The first moment's responses to a questionnaire: as a query, and their ids."""

    responses: QuerySet[Response]
    ids: list[int]


def _alpha_for(scale: Scale, baseline: _Baseline) -> float | None:
    """Cronbach's alpha of the scale's items among the baseline's complete answers (the first
    ALPHA_SAMPLE responses: a fixed sample, so the figure does not move between reads)."""
    keys = list(scale.item_keys)
    if len(keys) < 2 or not baseline.ids:
        return None
    sample = sorted(baseline.ids)[:ALPHA_SAMPLE]
    items = {
        pk: (key, low, high)
        for pk, key, low, high in Item.objects.filter(
            version_id=scale.version_id, key__in=keys
        ).values_list("pk", "key", "min_value", "max_value")
    }
    # The sample is the baseline's responses up to its last id: a range in a subquery, not
    # thousands of ids sent in the query.
    sampled = baseline.responses.filter(pk__gte=sample[0], pk__lte=sample[-1])
    answers = (
        Answer.objects.filter(response__in=sampled, item_id__in=list(items), number__isnull=False)
        .order_by()
        .values_list("response_id", "item_id", "number")
    )
    reversed_keys = set(scale.reversed_keys or [])
    rows: dict[int, dict[str, float]] = defaultdict(dict)
    for rid, item_id, number in answers:
        if number is None:
            continue
        key, low, high = items[item_id]
        if key in reversed_keys and low is not None and high is not None:
            number = low + high - number
        rows[rid][key] = number
    # A fixed order (the responses' ids): the same answers give the same alpha to the last digit.
    complete = [[rows[rid][k] for k in keys] for rid in sorted(rows) if len(rows[rid]) == len(keys)]
    return stats.cronbach_alpha(complete)


def _cached_alpha(scale: Scale, baseline: _Baseline) -> float | None:
    # One baseline per scale: its alpha is computed once for every later moment.
    cache: dict[int, float | None] = scale.__dict__.setdefault("_alpha_cache", {})
    if scale.pk not in cache:
        cache[scale.pk] = _alpha_for(scale, baseline)
    return cache[scale.pk]


def _scale_pair(
    scope: Scope,
    scale: Scale,
    before: dict[int, float],
    after: dict[int, float],
    baseline: _Baseline,
) -> dict[str, Any]:
    paired = sorted(set(before) & set(after))
    n = len(paired)
    figure: dict[str, Any] = {
        "answered_before": len(before) if len(before) >= scope.k or not before else None,
        "answered_after": len(after) if len(after) >= scope.k or not after else None,
        "n_paired": n if n >= scope.k or n == 0 else None,
        "attrition": _round(1 - n / len(before)) if len(before) >= scope.k else None,
    }
    empty = dict.fromkeys(
        [
            "mean_before",
            "mean_after",
            "mean_change",
            "ci_low",
            "ci_high",
            "dz",
            "wilcoxon_w",
            "wilcoxon_p",
            "r",
            "reliability",
            "rci_improved",
            "rci_unchanged",
            "rci_worse",
            "significant",
        ]
    )
    if n < max(scope.k, 2):
        return figure | empty
    x = [before[p] for p in paired]
    y = [after[p] for p in paired]
    change = stats.paired_mean_change(x, y)
    test = stats.wilcoxon(x, y)
    reliability = scale.reliability or _cached_alpha(scale, baseline)
    rci = stats.reliable_change(x, y, reliability=reliability) if reliability else None
    rci_cells: list[int | None] = [None, None, None]
    if rci:
        rci_cells, _total = _suppressed_row([rci.improved, rci.unchanged, rci.worse], scope.k)
    assert change is not None
    p = test.p if test else None
    return figure | {
        "mean_before": _round(change.mean_before),
        "mean_after": _round(change.mean_after),
        "mean_change": _round(change.mean_change),
        "ci_low": _round(change.ci_low),
        "ci_high": _round(change.ci_high),
        "dz": _round(stats.cohens_dz(x, y)),
        "wilcoxon_w": _round(test.statistic, 1) if test else None,
        "wilcoxon_p": _round(p, 4),
        "r": _round(test.rank_biserial) if test else None,
        "reliability": _round(reliability),
        "rci_improved": rci_cells[0],
        "rci_unchanged": rci_cells[1],
        "rci_worse": rci_cells[2],
        "significant": p is not None and p < ALPHA,
    }


def _yes_no_items(version_items: Iterable[Item]) -> list[Item]:
    found = []
    for item in version_items:
        values = {str(o.get("value")) for o in item.options or []}
        if item.kind == Item.Kind.SINGLE and values == {"yes", "no"}:
            found.append(item)
    return found


def scales(scope: Scope) -> list[dict[str, Any]]:
    """Per questionnaire and scale: each later moment against the first, completers only."""
    responses = Response.objects.filter(
        participant__in=scope.participants(), status=Response.Status.SUBMITTED, occurrence=0
    )
    assigned = (
        Assignment.objects.filter(programme=scope.programme)
        .select_related("questionnaire")
        .order_by("questionnaire_id")
    )
    questionnaires = {a.questionnaire_id: a.questionnaire for a in assigned}
    if not questionnaires:
        return []
    answered = responses.filter(questionnaire_id__in=list(questionnaires))
    # One query per family of figures for every questionnaire at once: who answered when (and
    # in which language), the scale scores, the yes/no answers. Responses are one per person,
    # questionnaire and moment (occurrence 0), so none overwrites another below.
    about: dict[int, tuple[int, str, int]] = {}
    by_moment: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    languages: dict[int, Counter[str]] = defaultdict(Counter)
    for rid, qid, pid, moment, language in answered.order_by().values_list(
        "pk", "questionnaire_id", "participant_id", "moment", "language"
    ):
        about[rid] = (qid, moment, pid)
        by_moment[qid][moment][pid] = rid
        languages[qid][language] += 1
    found_scores = list(
        ScaleScore.objects.filter(response__in=answered, score__isnull=False)
        .order_by()
        .values_list("response_id", "scale_id", "score")
    )
    scale_by_id = Scale.objects.in_bulk({sid for _rid, sid, _score in found_scores})
    scored: dict[int, dict[str, dict[str, dict[int, float]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    # A scale is known by its key across the questionnaire's versions; the row of its first
    # version gives its name, items and reliability.
    first_scale: dict[int, dict[str, int]] = defaultdict(dict)
    for rid, sid, score in found_scores:
        if score is None:
            continue
        qid, moment, pid = about[rid]
        key = scale_by_id[sid].key
        scored[qid][key][moment][pid] = score
        if first_scale[qid].get(key, sid) >= sid:
            first_scale[qid][key] = sid
    items_of: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(version__questionnaire_id__in=list(by_moment)).select_related(
        "version"
    ):
        items_of[item.version.questionnaire_id].append(item)
    yes_no = {item.pk: item for items in items_of.values() for item in _yes_no_items(items)}
    # The choices come as the JSON text the database holds: decoded here without the
    # field's per-row machinery.
    said_yes: dict[int, dict[str, dict[str, dict[int, bool]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    found = (
        Answer.objects.filter(response__in=answered, item_id__in=list(yes_no))
        .order_by()
        .values_list("response_id", "item_id", Cast("choices", TextField()))
    )
    # Few distinct texts (["yes"], ["no"]): each is decoded once.
    decoded: dict[str, bool | None] = {}
    for rid, item_id, text in found if yes_no else ():
        if text not in decoded:
            choices = json.loads(text) if text else None
            decoded[text] = "yes" in choices if choices else None
        if (yes := decoded[text]) is not None:
            qid, moment, pid = about[rid]
            said_yes[qid][yes_no[item_id].key][moment][pid] = yes
    result = []
    for qid, questionnaire in questionnaires.items():
        if qid not in by_moment:
            continue
        moments = _moments(by_moment[qid])
        validated = set(questionnaire.validated_languages or [])
        unvalidated = sorted(lang for lang in languages[qid] if lang not in validated)
        entry: dict[str, Any] = {
            "questionnaire": questionnaire.key,
            "title": str(questionnaire.localized("title")),
            "validated": questionnaire.validated,
            "moments": moments,
            "languages_without_validated_translation": unvalidated,
            "scales": [],
            "yes_no_items": [],
        }
        base = moments[0]
        baseline = _Baseline(
            answered.filter(questionnaire_id=qid, moment=base),
            list(by_moment[qid][base].values()),
        )
        for key, sid in sorted(first_scale[qid].items()):
            scale, by = scale_by_id[sid], scored[qid][key]
            for later in moments[1:]:
                pair = _scale_pair(scope, scale, by.get(base, {}), by.get(later, {}), baseline)
                entry["scales"].append(
                    {"scale": key, "name": str(scale.localized("name")), "from": base, "to": later}
                    | pair
                )
        for item_key in sorted({i.key for i in _yes_no_items(items_of[qid])}):
            values = said_yes[qid][item_key]
            for later in moments[1:]:
                paired = sorted(set(values[base]) & set(values[later]))
                result_row: dict[str, Any] = {"item": item_key, "from": base, "to": later}
                if len(paired) >= scope.k:
                    test = stats.mcnemar_exact(
                        [values[base][p] for p in paired], [values[later][p] for p in paired]
                    )
                    assert test is not None
                    gained, lost, p = test
                    cells, _t = _suppressed_row([gained, lost], scope.k)
                    result_row |= {
                        "n_paired": len(paired),
                        "gained": cells[0],
                        "lost": cells[1],
                        "mcnemar_p": _round(p, 4),
                    }
                else:
                    result_row |= {
                        "n_paired": None,
                        "gained": None,
                        "lost": None,
                        "mcnemar_p": None,
                    }
                entry["yes_no_items"].append(result_row)
        result.append(entry)
    return result


def teams(scope: Scope) -> list[dict[str, Any]]:
    """City-to-city: each pair's teams and their per-scale changes (named teams, not people)."""
    if not scope.programme.has_teams:
        return []
    pairs = []
    for duo in scope.duos().select_related("mentor", "mentee"):
        people = {duo.mentor_id: "mentor", duo.mentee_id: "mentee"}
        scores = ScaleScore.objects.filter(
            response__participant_id__in=people,
            score__isnull=False,
            response__status=Response.Status.SUBMITTED,
        ).values_list("response__participant_id", "scale__key", "response__moment", "score")
        by: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        for pid, key, moment, score in scores:
            if score is not None:
                by[(people[pid], key)][moment] = score
        changes = []
        for (side, key), moments in sorted(by.items()):
            ordered = _moments(moments)
            if len(ordered) >= 2:
                changes.append(
                    {
                        "side": side,
                        "scale": key,
                        "from": ordered[0],
                        "to": ordered[-1],
                        "change": _round(moments[ordered[-1]] - moments[ordered[0]]),
                    }
                )
        pairs.append(
            {
                "mentor_team": duo.mentor.team_name,
                "mentee_team": duo.mentee.team_name,
                "changes": changes,
            }
        )
    return pairs


# How many group activities a person came to, in these bands (the last one open).
ATTENDANCE_BANDS = [(0, 0), (1, 1), (2, 2), (3, 4), (5, None)]


def activities(scope: Scope) -> dict[str, Any]:
    """Who came to the programme's group activities: people by activities attended, per role."""
    # One count per person and activity, whatever the number of the activity's programmes.
    attended = set(
        Invitation.objects.filter(
            attended=True,
            participant__in=scope.participants(),
            activity__programmes=scope.programme,
            activity__cancelled_at__isnull=True,
        )
        .values_list("participant_id", "activity_id")
        .distinct()
        .order_by()
    )
    came = Counter(participant_id for participant_id, _activity_id in attended)
    band_counts: dict[str, list[int]] = {role: [0] * len(ATTENDANCE_BANDS) for role in ROLES}
    for pk, role in (
        scope.participants().filter(role__in=ROLES).order_by().values_list("pk", "role")
    ):
        for band, (low, high) in enumerate(ATTENDANCE_BANDS):
            if low <= came[pk] and (high is None or came[pk] <= high):
                band_counts[role][band] += 1
    rows = []
    for role in ROLES:
        cells, total = _suppressed_row(band_counts[role], scope.k)
        rows.append({"role": role, "counts": cells, "total": total})
    held = (
        Activity.objects.filter(programmes=scope.programme, cancelled_at__isnull=True)
        .filter(starts_at__lte=timezone.now())
        .distinct()
        .count()
    )
    return {
        "bands": [f"{low}" if low == high else f"{low}+" if high is None else f"{low}–{high}"
                  for low, high in ATTENDANCE_BANDS],
        "rows": rows,
        "held": held,
    }  # fmt: skip


def evaluation(programme: Programme, edition: Edition | None = None) -> dict[str, Any]:
    """Return every figure of the programme's evaluation (of one edition, or of all)."""
    scope = scope_for(programme, edition)
    return {
        "programme": programme.slug,
        "edition": edition.name if edition else None,
        "k": scope.k,
        "funnel": funnel(scope),
        "dosage": dosage(scope),
        "meetings_per_month": meetings_per_month(scope),
        "mood": mood_over_time(scope),
        "outcomes": outcomes(scope),
        "goal_attainment": goal_attainment(scope),
        "activities": activities(scope),
        "questionnaires": scales(scope),
        "teams": teams(scope),
    }


def compare_editions(programme: Programme) -> list[dict[str, Any]]:
    """Headline figures of each edition side by side."""
    rows = []
    for edition in Edition.objects.filter(programme=programme).order_by("starts_on"):
        scope = scope_for(programme, edition)
        f = funnel(scope)
        d = dosage(scope)
        g = goal_attainment(scope)
        rows.append(
            {
                "edition": edition.name,
                "edition_id": edition.pk,
                "participants": f["total"],
                "duos": d["duos"],
                "meetings_mean": d["meetings_mean"],
                "share_reaching_duration": d["share_reaching_duration"],
                "goal_mean": g["mean"],
            }
        )
    return rows


__all__ = ["Scope", "compare_editions", "evaluation", "scope_for"]
