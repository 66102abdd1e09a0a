"""Answered questionnaires made up with a fixed seed, written in bulk (no services, no audit):
for the evaluation's tests, the demo and bench/evaluation.py. Never used on real data."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from binome.people.models import Participant
from binome.programmes.models import Edition, Programme
from binome.questionnaires.models import (
    Answer,
    Assignment,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Scale,
    ScaleScore,
)

FIRST = ["Amal", "Yusuf", "Olena", "Mariam", "Bilal", "Sofia", "Ahmad", "Iryna", "Fatou", "Omar"]


@transaction.atomic
def answered_programme(
    programme: Programme,
    *,
    people: int,
    items: int = 20,
    moments: tuple[str, ...] = ("intake", "closure", "follow_up"),
    edition: Edition | None = None,
    seed: int = 11,
    effect: float = 0.4,
    dropout: float = 0.15,
    batch: int = 5000,
    reuse: Questionnaire | None = None,
) -> dict[str, Any]:
    """Create `people` mentees who answer a questionnaire of `items` Likert items (two scales)
    and one yes/no item at each moment; scores rise by about `effect` per moment."""
    rng = random.Random(seed)
    now = timezone.now()
    if reuse is not None:
        version = reuse.versions.get(number=1)
        created_items = list(version.items.order_by("position"))
        scales = list(version.scales.order_by("key").reverse())
        return _answer(
            programme,
            reuse,
            version,
            created_items,
            scales,
            people=people,
            items=items,
            moments=moments,
            edition=edition,
            rng=rng,
            now=now,
            effect=effect,
            dropout=dropout,
            batch=batch,
        )
    questionnaire = Questionnaire.objects.create(
        organisation=programme.organisation,
        key=f"synthetic-{programme.pk}-{seed}",
        title="Synthetic integration self-assessment",
        validated=False,
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, languages=["fr"], frozen_at=now
    )
    likert = [
        Item(
            version=version,
            position=i,
            key=f"q{i}",
            kind=Item.Kind.LIKERT,
            text=f"Item {i}",
            min_value=1,
            max_value=5,
        )
        for i in range(1, items + 1)
    ]
    yes_no = Item(
        version=version,
        position=items + 1,
        key="has_work",
        kind=Item.Kind.SINGLE,
        text="Do you have work?",
        options=[
            {"value": "yes", "score": 1, "label": {"fr": "Oui"}},
            {"value": "no", "score": 0, "label": {"fr": "Non"}},
        ],
    )
    created_items = Item.objects.bulk_create([*likert, yes_no])
    half = items // 2
    scales = [
        Scale.objects.create(
            version=version,
            key="work_and_rights",
            name="Work and rights",
            item_keys=[f"q{i}" for i in range(1, half + 1)],
            min_answered=max(1, half // 2),
        ),
        Scale.objects.create(
            version=version,
            key="social_links",
            name="Social links",
            item_keys=[f"q{i}" for i in range(half + 1, items + 1)],
            min_answered=max(1, half // 2),
        ),
    ]
    return _answer(
        programme,
        questionnaire,
        version,
        created_items,
        scales,
        people=people,
        items=items,
        moments=moments,
        edition=edition,
        rng=rng,
        now=now,
        effect=effect,
        dropout=dropout,
        batch=batch,
    )


def _answer(
    programme: Programme,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    created_items: list[Item],
    scales: list[Scale],
    *,
    people: int,
    items: int,
    moments: tuple[str, ...],
    edition: Edition | None,
    rng: random.Random,
    now: datetime.datetime,
    effect: float,
    dropout: float,
    batch: int,
) -> dict[str, Any]:
    half = items // 2
    for moment in moments:
        Assignment.objects.get_or_create(
            programme=programme, questionnaire=questionnaire, moment=moment, role="mentee"
        )
    mentees = Participant.objects.bulk_create(
        [
            Participant(
                programme=programme,
                edition=edition,
                role="mentee",
                status="active",
                first_name=rng.choice(FIRST),
                last_name=f"Synthetic {n}",
                language=rng.choice(["fr", "ar", "uk", "en"]),
                gender=rng.choice("fmx"),
                birth_year=rng.randint(1960, 2005),
                country_of_origin=rng.choice(["SY", "AF", "UA", "ER", "FR"]),
            )
            for n in range(people)
        ],
        batch_size=batch,
    )
    n_answers = 0
    for first in range(0, len(mentees), 500):
        planned: list[tuple[Response, list[int], bool]] = []
        for person in mentees[first : first + 500]:
            trait = rng.gauss(2.8, 0.6)
            works = rng.random() < 0.3
            for step, moment in enumerate(moments):
                if step and rng.random() < dropout:
                    break
                values = [
                    min(5, max(1, round(trait + effect * step + rng.gauss(0, 0.7))))
                    for _ in range(items)
                ]
                works = works or rng.random() < 0.2 * step
                response = Response(
                    participant=person,
                    questionnaire=questionnaire,
                    version=version,
                    moment=moment,
                    language=person.language,
                    status=Response.Status.SUBMITTED,
                    started_at=now,
                    submitted_at=now,
                )
                planned.append((response, values, works))
        Response.objects.bulk_create([r for r, _v, _w in planned], batch_size=batch)
        answers: list[Answer] = []
        scores: list[ScaleScore] = []
        for response, values, works in planned:
            answers.extend(
                Answer(response=response, item=item, number=value, answered_at=now)
                for item, value in zip(created_items[:items], values, strict=True)
            )
            answers.append(
                Answer(
                    response=response,
                    item=created_items[items],
                    choices=["yes" if works else "no"],
                    number=1 if works else 0,
                    answered_at=now,
                )
            )
            scores.append(
                ScaleScore(
                    response=response,
                    scale=scales[0],
                    score=sum(values[:half]) / half,
                    answered=half,
                )
            )
            scores.append(
                ScaleScore(
                    response=response,
                    scale=scales[1],
                    score=sum(values[half:]) / (items - half),
                    answered=items - half,
                )
            )
        Answer.objects.bulk_create(answers, batch_size=batch)
        ScaleScore.objects.bulk_create(scores, batch_size=batch)
        n_answers += len(answers)
    return {
        "questionnaire": questionnaire,
        "mentees": len(mentees),
        "answers": n_answers,
        "started": datetime.date.today(),
    }
