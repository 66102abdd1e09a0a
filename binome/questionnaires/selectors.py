"""Reads of the questionnaires app, scoped by the access check the view already made."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from binome.duos.models import Duo, Objective
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme
from binome.questionnaires.due import Link
from binome.questionnaires.models import (
    Answer,
    Assignment,
    GoalScore,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)


def assignments_of(programme: Programme) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(programme=programme, active=True)
        .select_related("questionnaire")
        .order_by("role", "moment", "pk")
    )


@dataclass(frozen=True)
class Instrument:
    questionnaire: Questionnaire
    version: QuestionnaireVersion | None
    missing: list[str]


def instruments_with_languages(
    questionnaires: QuerySet[Questionnaire], organisation: Organisation
) -> list[Instrument]:
    """Each questionnaire with its current version and the organisation's languages it lacks."""
    rows = []
    versions = Prefetch("versions", queryset=QuestionnaireVersion.objects.order_by("-number"))
    for questionnaire in questionnaires.prefetch_related(versions):
        current = next(iter(questionnaire.versions.all()), None)
        have = set(current.languages) if current else set()
        missing = [code for code in organisation.content_languages if code not in have]
        rows.append(Instrument(questionnaire, current, missing))
    return rows


def versions_of(questionnaire: Questionnaire, languages: list[str]) -> list[QuestionnaireVersion]:
    """The versions, newest first, each with `missing`: the languages given that it lacks."""
    versions = list(questionnaire.versions.prefetch_related("items", "scales").order_by("-number"))
    for version in versions:
        version.missing = [code for code in languages if code not in version.languages]
    return versions


def responses_of(participant: Participant) -> QuerySet[Response]:
    return (
        Response.objects.filter(participant=participant)
        .select_related("questionnaire", "version", "entered_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("item").prefetch_related("corrections"),
            ),
            "scale_scores__scale",
        )
        .order_by("-started_at")
    )


def response_at(link: Link) -> Response | None:
    return (
        Response.objects.select_related("version", "questionnaire")
        .filter(
            participant=link.participant,
            questionnaire=link.assignment.questionnaire,
            moment=link.assignment.moment,
            occurrence=link.occurrence,
        )
        .first()
    )


def objectives_with_goals(duo: Duo) -> list[Objective]:
    return list(
        duo.objectives.select_related("goal_scale").prefetch_related(
            Prefetch("goal_scale__scores", queryset=GoalScore.objects.order_by("at", "pk"))
        )
    )
