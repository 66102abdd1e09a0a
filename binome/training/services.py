"""Writing training: modules and quizzes, paths, completions, records and skills.

`Participant.training_done` (read by matching for `require_training`) is derived here from the
path whenever something that counts changes (training_sync).
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.content import merge_translations
from binome.core.errors import EditConflict, Refused
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme
from binome.resources.models import Resource
from binome.training import quiz
from binome.training.models import (
    Completion,
    ExternalTraining,
    Module,
    PathModule,
    Question,
    Skill,
    TrainingPath,
    ValidatedSkill,
)
from binome.training.selectors import progress

MODULE_FIELDS = ("title", "summary", "body", "video_url", "duration_minutes", "pass_mark")


def _attach(module: Module, attachments: Iterable[Resource] | None) -> None:
    if attachments is None:
        return
    chosen = list(attachments)
    if any(r.organisation_id != module.organisation_id for r in chosen):
        raise Refused(_("Attach resources of the organisation only."))
    module.attachments.set(chosen)


@transaction.atomic
def module_create(
    *,
    organisation: Organisation,
    actor: User | None,
    data: dict[str, Any],
    translations: dict[str, dict[str, str]] | None = None,
    attachments: Iterable[Resource] | None = None,
) -> Module:
    """Add a training module to the organisation's catalogue."""
    module = Module(organisation=organisation)
    for name in MODULE_FIELDS:
        if name in data:
            setattr(module, name, data[name])
    module.translations = merge_translations(
        {}, translations or {}, fields=Module.TRANSLATED, languages=organisation.content_languages
    )
    module.full_clean()
    module.save()
    _attach(module, attachments)
    audit(actor=actor, organisation=organisation, action="training.module_create", target=module)
    return module


@transaction.atomic
def module_update(
    *,
    module: Module,
    actor: User,
    version: int,
    data: dict[str, Any],
    translations: dict[str, dict[str, str]],
    attachments: Iterable[Resource] | None = None,
) -> Module:
    """Change a module; a form opened on an older version is refused."""
    locked = Module.objects.select_for_update().select_related("organisation").get(pk=module.pk)
    if locked.version != version:
        raise EditConflict(
            _("Someone saved this module after you opened it."), current_version=locked.version
        )
    changed = [n for n in MODULE_FIELDS if n in data and getattr(locked, n) != data[n]]
    for name in MODULE_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.translations = merge_translations(
        locked.translations,
        translations,
        fields=Module.TRANSLATED,
        languages=locked.organisation.content_languages,
    )
    locked.full_clean()
    locked.version += 1
    locked.save()
    _attach(locked, attachments)
    audit(
        actor=actor,
        organisation=locked.organisation,
        action="training.module_update",
        target=locked,
        fields=changed,
        version=locked.version,
    )
    return locked


@transaction.atomic
def question_save(
    *,
    module: Module,
    actor: User | None,
    text: str,
    choices: str,
    translations: dict[str, dict[str, str]] | None = None,
    question: Question | None = None,
) -> Question:
    """Add or change a quiz question; one without a right answer is refused."""
    parsed = quiz.parse(choices)
    if len(parsed) < 2:
        raise Refused(_("A question needs at least two choices, one per line."))
    if not any(choice.correct for choice in parsed):
        raise Refused(_("Mark at least one right answer with a * at the start of its line."))
    if all(choice.correct for choice in parsed):
        raise Refused(_("At least one choice must be wrong, or the question tests nothing."))
    if question is None:
        question = Question(module=module, position=module.questions.count() + 1)
    question.text, question.choices = text, choices
    question.translations = merge_translations(
        question.translations,
        translations or {},
        fields=Question.TRANSLATED,
        languages=module.organisation.content_languages,
    )
    question.full_clean()
    question.save()
    audit(
        actor=actor,
        organisation=module.organisation,
        action="training.question_save",
        target=module,
    )
    return question


@transaction.atomic
def question_delete(*, question: Question, actor: User) -> None:
    """Remove a question from its module's quiz."""
    module = question.module
    question.delete()
    audit(
        actor=actor,
        organisation=module.organisation,
        action="training.question_delete",
        target=module,
    )


@transaction.atomic
def path_set(
    *,
    programme: Programme,
    role: str,
    modules: list[Module],
    sessions_required: int,
    actor: User | None,
) -> TrainingPath:
    """Set the modules (in order) and sessions a role of the programme must complete."""
    if role not in Participant.Role.values:
        raise Refused(_("Choose mentors or mentees."))
    if any(m.organisation_id != programme.organisation_id for m in modules):
        raise Refused(_("Choose modules of the organisation only."))
    path, _created = TrainingPath.objects.select_for_update().get_or_create(
        programme=programme, role=role
    )
    path.sessions_required = sessions_required
    path.version += 1
    path.full_clean()
    path.save()
    PathModule.objects.filter(path=path).delete()
    PathModule.objects.bulk_create(
        PathModule(path=path, module=module, position=i) for i, module in enumerate(modules, 1)
    )
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="training.path_set",
        target=path,
        modules=[m.pk for m in modules],
        sessions=sessions_required,
    )
    for participant in Participant.objects.filter(programme=programme, role=role):
        training_sync(participant=participant, actor=actor)
    return path


def training_sync(*, participant: Participant, actor: User | None = None) -> bool:
    """Write `training_done` from the path (and recorded training); return the value.

    Without a path for the person's programme and role, nothing is derived: the coordinator's
    own record (the profile's box, or training recorded with a note) stands.
    """
    current = progress(participant)
    if current.path is None and not current.external:
        return participant.training_done
    done = current.done
    if done != participant.training_done:
        Participant.objects.filter(pk=participant.pk).update(training_done=done)
        participant.training_done = done
        audit(
            actor=actor,
            organisation=participant.programme.organisation,
            action="training.done_derived",
            target=participant,
            done=done,
        )
    return done


@transaction.atomic
def module_complete(
    *, participant: Participant, module: Module, answers: dict[int, set[int]] | None = None
) -> Completion:
    """Record a module followed, with its quiz's score; completed when the pass mark is reached."""
    completion, _created = Completion.objects.select_for_update().get_or_create(
        participant=participant, module=module
    )
    questions = list(module.questions.all())
    completion.attempts += 1
    passed = True
    if module.has_quiz and questions:
        completion.score = quiz.score(questions, answers or {})
        passed = completion.score >= (module.pass_mark or 0)
    if passed and completion.completed_at is None:
        completion.completed_at = timezone.now()
    completion.save()
    audit(
        actor=participant.user,
        organisation=module.organisation,
        action="training.module_attempt",
        target=module,
        score=completion.score,
        passed=passed,
    )
    training_sync(participant=participant, actor=participant.user)
    return completion


@transaction.atomic
def external_training_record(
    *, participant: Participant, actor: User, note: str, hours: Decimal | int
) -> ExternalTraining:
    """Record training done elsewhere, with a note: the person counts as trained."""
    if not note.strip():
        raise Refused(_("Say where and when the training was done."))
    record = ExternalTraining(participant=participant, note=note, hours=hours, recorded_by=actor)
    record.full_clean()
    record.save()
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="training.external_record",
        target=participant,
    )
    training_sync(participant=participant, actor=actor)
    return record


@transaction.atomic
def skill_add(
    *,
    programme: Programme,
    actor: User | None,
    name: str,
    translations: dict[str, dict[str, str]] | None = None,
) -> Skill:
    """Add a soft skill the programme recognises."""
    if Skill.objects.filter(programme=programme, name__iexact=name.strip()).exists():
        raise Refused(_("The programme already lists this skill."))
    skill = Skill(programme=programme, name=name.strip())
    skill.translations = merge_translations(
        {},
        translations or {},
        fields=Skill.TRANSLATED,
        languages=programme.organisation.content_languages,
    )
    skill.full_clean()
    skill.save()
    audit(
        actor=actor, organisation=programme.organisation, action="training.skill_add", target=skill
    )
    return skill


@transaction.atomic
def skills_validate(*, participant: Participant, actor: User, skills: list[Skill]) -> None:
    """Set the skills the coordinator recognises in this volunteer (listed on the attestation)."""
    if any(skill.programme_id != participant.programme_id for skill in skills):
        raise Refused(_("Choose skills of the person's programme."))
    wanted = {skill.pk for skill in skills}
    ValidatedSkill.objects.filter(participant=participant).exclude(skill_id__in=wanted).delete()
    have = set(
        ValidatedSkill.objects.filter(participant=participant).values_list("skill_id", flat=True)
    )
    ValidatedSkill.objects.bulk_create(
        ValidatedSkill(participant=participant, skill_id=pk, validated_by=actor)
        for pk in wanted - have
    )
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="training.skills_validate",
        target=participant,
        skills=sorted(wanted),
    )
