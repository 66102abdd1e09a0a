"""Writes of the questionnaires app: instruments and their versions, moments, answers, goals."""

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.errors import EditConflict, Refused
from binome.duos.models import Duo, Objective
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme
from binome.questionnaires.instruments import LANGUAGES, InstrumentData, parse_instrument
from binome.questionnaires.models import (
    GOAL_LEVELS,
    Answer,
    AnswerCorrection,
    Assignment,
    GoalScale,
    GoalScore,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Role,
    Scale,
    ScaleScore,
)
from binome.questionnaires.scoring import ItemRange, ScaleRule, score_scale


def _fingerprint(data: InstrumentData) -> str:
    content = {"items": [asdict(i) for i in data.items], "scales": [asdict(s) for s in data.scales]}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _complete_languages(data: InstrumentData) -> list[str]:
    """The languages in which every text of the instrument is written."""
    texts: list[dict[str, str]] = [data.title]
    for item in data.items:
        texts.append(item.text)
        texts += list(item.anchors.values())
        texts += [option["label"] for option in item.options]
    texts += [scale.name for scale in data.scales]
    return [code for code in LANGUAGES if all(code in text for text in texts if text)]


def _others(texts: dict[str, str], source: str) -> dict[str, str]:
    return {code: text for code, text in texts.items() if code != source}


@transaction.atomic
def instrument_save(
    *, data: InstrumentData, organisation: Organisation | None, by: User | None = None
) -> Questionnaire:
    """Create or update a questionnaire from a checked file; answered versions stay as they are.

    The same content again changes nothing; new content replaces a version nobody answered yet,
    or else makes the next version.
    """
    source = data.language
    questionnaire = (
        Questionnaire.objects.select_for_update()
        .filter(organisation=organisation, key=data.key)
        .first()
    )
    if questionnaire is None:
        questionnaire = Questionnaire(organisation=organisation, key=data.key)
    questionnaire.language = source
    questionnaire.title = data.title.get(source, "")[:200]
    questionnaire.description = data.description.get(source, "")
    questionnaire.translations = {
        "title": _others(data.title, source),
        "description": _others(data.description, source),
    }
    questionnaire.source = data.source
    questionnaire.licence = data.licence
    questionnaire.validated = data.validated
    questionnaire.validated_languages = data.validated_languages
    questionnaire.full_clean()
    questionnaire.save()
    fingerprint = _fingerprint(data)
    current = questionnaire.versions.order_by("-number").first()
    if current is not None and current.fingerprint == fingerprint:
        return questionnaire
    if current is None or current.is_frozen:
        number = current.number + 1 if current else 1
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=number, created_by=by
        )
    else:
        version = current
        version.items.all().delete()
        version.scales.all().delete()
    version.fingerprint = fingerprint
    version.languages = _complete_languages(data)
    version.save(update_fields=["fingerprint", "languages"])
    Item.objects.bulk_create(
        Item(
            version=version,
            position=position,
            key=item.key,
            kind=item.kind,
            text=item.text.get(source, ""),
            help=item.help.get(source, ""),
            translations={"text": _others(item.text, source), "help": _others(item.help, source)},
            domain=item.domain,
            required=item.required,
            min_value=item.min_value,
            max_value=item.max_value,
            anchors=item.anchors,
            options=item.options,
            language=source,
        )
        for position, item in enumerate(data.items, start=1)
    )
    Scale.objects.bulk_create(
        Scale(
            version=version,
            key=scale.key,
            name=scale.name.get(source, scale.key)[:200],
            translations={"name": _others(scale.name, source)},
            rule=scale.rule,
            item_keys=scale.item_keys,
            reversed_keys=scale.reversed_keys,
            min_answered=scale.min_answered,
            reliability=scale.reliability,
            language=source,
        )
        for scale in data.scales
    )
    if organisation is not None:
        audit(
            actor=by,
            organisation=organisation,
            action="questionnaire.import",
            target=questionnaire,
            version=version.number,
        )
    return questionnaire


@transaction.atomic
def assignment_add(
    *,
    programme: Programme,
    questionnaire: Questionnaire,
    moment: str,
    role: str,
    every_weeks: int | None = None,
    by: User,
) -> Assignment:
    """Ask a role of a programme to answer a questionnaire at a moment."""
    if questionnaire.organisation_id not in (None, programme.organisation_id):
        raise Refused(_("This questionnaire belongs to another organisation."))
    if role == Role.TEAM and not programme.has_teams:
        raise Refused(_("This programme has no teams."))
    if moment != Assignment.Moment.EVERY_N_WEEKS:
        every_weeks = None
    elif not every_weeks:
        raise Refused(_("Say every how many weeks."))
    existing = Assignment.objects.filter(
        programme=programme, questionnaire=questionnaire, moment=moment, role=role
    ).first()
    if existing is not None:
        if existing.active:
            raise Refused(_("This questionnaire is already asked at this moment."))
        existing.active = True
        existing.every_weeks = every_weeks
        existing.save(update_fields=["active", "every_weeks"])
        assignment = existing
    else:
        assignment = Assignment(
            programme=programme,
            questionnaire=questionnaire,
            moment=moment,
            role=role,
            every_weeks=every_weeks,
            created_by=by,
        )
        assignment.full_clean()
        assignment.save()
    audit(
        actor=by,
        organisation=programme.organisation,
        action="questionnaire.assign",
        target=assignment,
        moment=moment,
        role=role,
    )
    return assignment


@transaction.atomic
def assignment_stop(*, assignment: Assignment, by: User) -> None:
    """Stop asking; the answers given so far stay."""
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit(
        actor=by,
        organisation=assignment.programme.organisation,
        action="questionnaire.unassign",
        target=assignment,
    )


@transaction.atomic
def response_start(
    *,
    participant: Participant,
    questionnaire: Questionnaire,
    moment: str,
    language: str,
    occurrence: int = 0,
    assignment: Assignment | None = None,
    duo: Duo | None = None,
    entry_mode: str = "",
    by: User | None = None,
) -> Response:
    """Return the person's response at this moment, a draft with the current version if new."""
    existing = Response.objects.filter(
        participant=participant, questionnaire=questionnaire, moment=moment, occurrence=occurrence
    ).first()
    if existing is not None:
        return existing
    version = questionnaire.current_version()
    if version is None:
        raise Refused(_("This questionnaire has no questions yet."))
    if language not in LANGUAGES:
        raise Refused(_("Choose a language."))
    response = Response(
        participant=participant,
        questionnaire=questionnaire,
        version=version,
        assignment=assignment,
        duo=duo,
        moment=moment,
        occurrence=occurrence,
        language=language,
        channel=Response.Channel.COORDINATOR if entry_mode else Response.Channel.SELF,
        entry_mode=entry_mode,
        entered_by=by if entry_mode else None,
        started_at=timezone.now(),
    )
    response.full_clean(validate_constraints=False)
    try:
        # Two tabs opening the same link at once: the second finds the first's draft.
        with transaction.atomic():
            response.save()
    except IntegrityError:
        return Response.objects.get(
            participant=participant,
            questionnaire=questionnaire,
            moment=moment,
            occurrence=occurrence,
        )
    if entry_mode:
        audit(
            actor=by,
            organisation=participant.programme.organisation,
            action="questionnaire.enter",
            target=response,
            entry_mode=entry_mode,
        )
    return response


def parse_value(item: Item, raw: list[str]) -> tuple[float | None, list[str], str]:
    """Turn what a form sent into (number, choices, text); refuse what does not fit the item."""
    values = [value.strip() for value in raw if value and value.strip()]
    if not values:
        return None, [], ""
    if item.is_text:
        limit = 300 if item.kind == Item.Kind.SHORT_TEXT else 5000
        text = values[0]
        if len(text) > limit:
            raise Refused(_("Please keep it under %(n)s characters.") % {"n": limit})
        return None, [], text
    if item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
        allowed = [option["value"] for option in item.options]
        if any(value not in allowed for value in values):
            raise Refused(_("Choose among the answers shown."))
        if item.kind == Item.Kind.SINGLE:
            if len(values) > 1:
                raise Refused(_("Choose one answer."))
            return item.option_score(values[0]), values[:1], ""
        return None, [v for v in allowed if v in values], ""
    try:
        number = float(values[0].replace(",", "."))
    except ValueError:
        raise Refused(_("Enter a number.")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Refused(_("Enter a number."))
    low, high = item.min_value, item.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise Refused(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    if item.kind != Item.Kind.NUMBER and number != int(number):
        raise Refused(_("Choose one of the points shown."))
    return number, [], ""


class AnswerConflict(EditConflict):
    """Someone else answered the item since its screen was opened; nothing was saved."""

    def __init__(self, message: str, *, current_version: int | None, token: str):
        super().__init__(message, current_version=current_version)
        self.token = token


def answer_token(answer: Answer | None) -> str:
    """What a screen remembers of the item's answer when it opens: none yet, or when it was."""
    return answer.answered_at.isoformat() if answer is not None else "none"


def answer_display(answer: Answer | None) -> str:
    """An answer in a few words, for a conflict message (texts shortened)."""
    if answer is None:
        return _("no answer")
    if answer.text:
        return answer.text if len(answer.text) <= 60 else f"{answer.text[:59]}…"
    if answer.choices:
        return ", ".join(answer.choices)
    return "" if answer.number is None else f"{answer.number:g}"


def _snapshot(answer: Answer) -> dict[str, Any]:
    return {
        "number": answer.number,
        "choices": answer.choices,
        "text": answer.text,
        "at": answer.answered_at.isoformat(),
    }


@transaction.atomic
def response_answer(
    *,
    response: Response,
    item: Item,
    raw: list[str],
    by: User | None = None,
    reason: str = "",
    seen: str | None = None,
) -> Answer | None:
    """Record an answer to one item; on a submitted response, a correction keeping the old value.

    `seen` is the item's answer token (`answer_token`) when its screen was opened: if someone
    else answered since (two members of a team, a coordinator on the phone with the person),
    the save is refused with AnswerConflict rather than silently replacing their answer.
    """
    if item.version_id != response.version_id:
        raise Refused(_("This question is not part of this questionnaire."))
    number, choices, text = parse_value(item, raw)
    response = Response.objects.select_for_update().get(pk=response.pk)
    answer = Answer.objects.filter(response=response, item=item).first()
    now = timezone.now()
    if answer is not None and (answer.number, answer.choices, answer.text) == (
        number,
        choices,
        text,
    ):
        return answer
    if seen is not None and seen != answer_token(answer):
        raise AnswerConflict(
            _(
                "Someone else answered this question while you were on it: their answer "
                "(%(theirs)s) is saved, yours is not. Yours is shown below: press Next to "
                "replace theirs with it, or change it."
            )
            % {"theirs": answer_display(answer)},
            current_version=response.version_lock,
            token=answer_token(answer),
        )
    if answer is None:
        if number is None and not choices and not text:
            return None
        answer = Answer(response=response, item=item, answered_at=now)
    elif response.is_submitted:
        AnswerCorrection.objects.create(
            answer=answer, previous=_snapshot(answer), by=by, reason=reason[:300], at=now
        )
        audit(
            actor=by,
            organisation=response.participant.programme.organisation,
            action="questionnaire.correct",
            target=response,
            item=item.key,
        )
    answer.number, answer.choices, answer.text, answer.answered_at = number, choices, text, now
    answer.save()
    response.version_lock += 1
    response.save(update_fields=["version_lock"])
    if response.is_submitted:
        scores_refresh(response=response)
    return answer


def missing_required(response: Response) -> list[Item]:
    answered = set(Answer.objects.filter(response=response).values_list("item_id", flat=True))
    return [
        item for item in response.version.items.all() if item.required and item.pk not in answered
    ]


@transaction.atomic
def response_submit(
    *, response: Response, by: User | None = None, version_lock: int | None = None
) -> Response:
    """Send the answers: the version is frozen from now on and the scales are scored."""
    response = Response.objects.select_for_update().select_related("version").get(pk=response.pk)
    if response.is_submitted:
        return response
    if version_lock is not None and version_lock != response.version_lock:
        raise EditConflict(
            _("These answers were changed in another window; check them and send again."),
            current_version=response.version_lock,
        )
    missing = missing_required(response)
    if missing:
        raise Refused(_("Please answer question %(n)s first.") % {"n": missing[0].position})
    now = timezone.now()
    response.status = Response.Status.SUBMITTED
    response.submitted_at = now
    response.save(update_fields=["status", "submitted_at"])
    QuestionnaireVersion.objects.filter(pk=response.version_id, frozen_at__isnull=True).update(
        frozen_at=now
    )
    scores_refresh(response=response)
    return response


def scale_rule(scale: Scale) -> ScaleRule:
    return ScaleRule(
        item_keys=tuple(scale.item_keys),
        rule=scale.rule,
        reversed_keys=frozenset(scale.reversed_keys),
        min_answered=scale.min_answered,
    )


def scores_refresh(*, response: Response) -> list[ScaleScore]:
    """Write the response's score on every scale of its version."""
    items = {item.key: item for item in response.version.items.all()}
    ranges = {
        key: ItemRange(item.min_value, item.max_value)
        for key, item in items.items()
        if item.min_value is not None and item.max_value is not None
    }
    for item in items.values():
        scores = [o["score"] for o in item.options if isinstance(o.get("score"), int | float)]
        if scores:
            ranges[item.key] = ItemRange(min(scores), max(scores))
    values = {
        answer.item.key: answer.number
        for answer in Answer.objects.filter(response=response).select_related("item")
    }
    written = []
    for scale in response.version.scales.all():
        result = score_scale(scale_rule(scale), values, ranges)
        row, _created = ScaleScore.objects.update_or_create(
            response=response,
            scale=scale,
            defaults={"score": result.score, "answered": result.answered},
        )
        written.append(row)
    return written


def _levels(levels: dict[str, str]) -> dict[str, str]:
    cleaned = {str(k): (levels.get(str(k)) or "").strip()[:300] for k in GOAL_LEVELS}
    if not cleaned["0"]:
        raise Refused(_("Say what the expected result (0) would be."))
    return {k: v for k, v in cleaned.items() if v}


@transaction.atomic
def goal_scale_write(
    *, objective: Objective, levels: dict[str, str], by: User | None, version: int | None = None
) -> GoalScale:
    """Write what −2…+2 would mean for an objective (scores already given stay)."""
    cleaned = _levels(levels)
    scale = GoalScale.objects.select_for_update().filter(objective=objective).first()
    if scale is None:
        scale = GoalScale(
            objective=objective, levels=cleaned, written_by=by, written_at=timezone.now()
        )
    else:
        if version is not None and version != scale.version:
            raise EditConflict(
                _("Someone changed these levels in the meantime."), current_version=scale.version
            )
        scale.levels = cleaned
        scale.version += 1
        scale.written_by = by
        scale.written_at = timezone.now()
    scale.full_clean()
    scale.save()
    audit(
        actor=by,
        organisation=objective.duo.programme.organisation,
        action="goal.levels",
        target=scale,
    )
    return scale


@transaction.atomic
def goal_score_add(
    *, goal_scale: GoalScale, score: int, moment: str, by: User | None, note: str = ""
) -> GoalScore:
    """Score an objective on its scale at a review or at closure; earlier scores stay."""
    if score not in GOAL_LEVELS:
        raise Refused(_("Choose a score from −2 to +2."))
    if moment not in GoalScore.Moment.values:
        raise Refused(_("Choose when this score is given."))
    row = GoalScore(
        goal_scale=goal_scale,
        score=score,
        moment=moment,
        note=note.strip()[:300],
        by=by,
        at=timezone.now(),
    )
    row.full_clean()
    row.save()
    audit(
        actor=by,
        organisation=goal_scale.objective.duo.programme.organisation,
        action="goal.score",
        target=row,
        moment=moment,
    )
    return row


LIBRARY = Path(__file__).resolve().parent / "library"


def library_files() -> list[Path]:
    return sorted(LIBRARY.glob("*.json"))


def library_load(*, force: bool = False) -> list[Questionnaire]:
    """Load the instruments shipped with Binôme; a file loaded before changes nothing."""
    files = library_files()
    if not force and Questionnaire.objects.filter(organisation__isnull=True).count() >= len(files):
        return []
    return [
        instrument_save(data=parse_instrument(path.read_text(encoding="utf-8")), organisation=None)
        for path in files
    ]


@transaction.atomic
def response_record(
    *,
    participant: Participant,
    questionnaire: Questionnaire,
    moment: str,
    values: dict[str, list[str]],
    language: str,
    submitted_at: Any,
    assignment: Assignment | None = None,
    duo: Duo | None = None,
    occurrence: int = 0,
    entry_mode: str = "",
    by: User | None = None,
) -> Response:
    """Record a whole submitted response at once (history brought in, demo data), checked."""
    version = questionnaire.current_version()
    if version is None:
        raise Refused(_("This questionnaire has no questions yet."))
    items = {item.key: item for item in version.items.all()}
    response = Response(
        participant=participant,
        questionnaire=questionnaire,
        version=version,
        assignment=assignment,
        duo=duo,
        moment=moment,
        occurrence=occurrence,
        language=language,
        channel=Response.Channel.COORDINATOR if entry_mode else Response.Channel.SELF,
        entry_mode=entry_mode,
        entered_by=by if entry_mode else None,
        status=Response.Status.SUBMITTED,
        started_at=submitted_at,
        submitted_at=submitted_at,
    )
    response.full_clean()
    response.save()
    answers = []
    for key, raw in values.items():
        item = items.get(key)
        if item is None:
            raise Refused(_("No question “%(key)s” in this questionnaire.") % {"key": key})
        number, choices, text = parse_value(item, raw)
        if number is None and not choices and not text:
            continue
        answers.append(
            Answer(
                response=response,
                item=item,
                number=number,
                choices=choices,
                text=text,
                answered_at=submitted_at,
            )
        )
    Answer.objects.bulk_create(answers)
    QuestionnaireVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
        frozen_at=submitted_at
    )
    scores_refresh(response=response)
    return response
