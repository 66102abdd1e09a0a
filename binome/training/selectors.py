"""A person's training path and progress, and what staff see of it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from binome.duos.models import Meeting
from binome.people.models import Participant
from binome.training.models import Completion, Module, TrainingPath
from binome.training.sessions import attended_training_sessions


@dataclass
class Step:
    module: Module
    completion: Completion | None

    @property
    def done(self) -> bool:
        return bool(self.completion and self.completion.completed_at)


@dataclass
class Progress:
    path: TrainingPath | None
    steps: list[Step] = field(default_factory=list)
    sessions: list[tuple[str, float]] = field(default_factory=list)
    external: bool = False

    @property
    def modules_done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def sessions_required(self) -> int:
        return self.path.sessions_required if self.path else 0

    @property
    def sessions_done(self) -> int:
        return min(len(self.sessions), self.sessions_required)

    @property
    def path_done(self) -> bool:
        if self.path is None:
            return False
        return self.modules_done == len(self.steps) and len(self.sessions) >= self.sessions_required

    @property
    def done(self) -> bool:
        return self.path_done or self.external

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def percent(self) -> int:
        total = len(self.steps) + self.sessions_required
        if not total:
            return 100 if self.done else 0
        return round(100 * (self.modules_done + self.sessions_done) / total)


def path_for(participant: Participant) -> TrainingPath | None:
    return (
        TrainingPath.objects.filter(programme_id=participant.programme_id, role=participant.role)
        .select_related("programme__organisation")
        .first()
    )


def progress(participant: Participant) -> Progress:
    """Return the participant's path with each module's completion, sessions and records."""
    path = path_for(participant)
    external = participant.external_trainings.exists()
    if path is None:
        return Progress(path=None, external=external)
    modules = [
        step.module
        for step in path.steps.select_related("module__organisation").order_by("position", "pk")
    ]
    completions = {
        c.module_id: c
        for c in Completion.objects.filter(participant=participant, module__in=modules)
    }
    return Progress(
        path=path,
        steps=[Step(module, completions.get(module.pk)) for module in modules],
        sessions=attended_training_sessions(participant),
        external=external,
    )


def organisation_modules(organisation_id: int) -> QuerySet[Module]:
    return (
        Module.objects.filter(organisation_id=organisation_id)
        .select_related("organisation")
        .prefetch_related("questions")
    )


@dataclass(frozen=True)
class Hours:
    mentoring: float
    modules: float
    sessions: float
    external: float

    @property
    def training(self) -> float:
        return self.modules + self.sessions + self.external


def hours(participant: Participant) -> Hours:
    """Hours of mentoring (meetings held) and of training (modules, sessions, recorded)."""
    side = "duo__mentor" if participant.role == Participant.Role.MENTOR else "duo__mentee"
    minutes = (
        Meeting.objects.filter(**{side: participant}, status=Meeting.Status.HELD).aggregate(
            total=Sum("duration_minutes")
        )["total"]
        or 0
    )
    module_minutes = (
        Completion.objects.filter(participant=participant, completed_at__isnull=False).aggregate(
            total=Sum("module__duration_minutes")
        )["total"]
        or 0
    )
    external = participant.external_trainings.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return Hours(
        mentoring=round(minutes / 60, 1),
        modules=round(module_minutes / 60, 1),
        sessions=round(sum(h for _title, h in attended_training_sessions(participant)), 1),
        external=float(external),
    )
