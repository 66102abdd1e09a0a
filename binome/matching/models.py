from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.vocab import ENTRY_CHANNEL_CHOICES

if TYPE_CHECKING:
    from binome.programmes.models import Programme


class MatchingSettings(models.Model):
    """A programme's matching rules: criterion weights and hard constraints."""

    class Method(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal: as many pairs as possible, then the best total score")
        STABLE = "stable", _("Stable: nobody would rather swap (mentees propose)")

    class Level(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"
        NATIVE = "native", _("native")

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_settings"
    )
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    min_language_level = models.CharField(
        _("minimum level in a shared language"),
        max_length=6,
        choices=Level.choices,
        default=Level.A2,
    )
    min_shared_slots = models.PositiveSmallIntegerField(_("minimum common time slots"), default=1)
    min_score = models.PositiveSmallIntegerField(_("minimum score"), default=0)
    require_training = models.BooleanField(_("mentors must have completed training"), default=False)
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, default=Method.OPTIMAL
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Incremented by every save, so that a form opened before is refused; the defaults shown
    # before the first save are version 1 too, the row's version when that save creates it.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_score__lte=100), name="matching_min_score_at_most_100"
            ),
        ]
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self):
        return str(self.programme)

    @staticmethod
    def kind_defaults(programme: "Programme") -> dict[str, int]:
        """What differs from the model's defaults for this kind of programme."""
        # City teams often apply without weekly availability (they meet in visits and calls):
        # common time slots are not required unless the coordinator asks for them.
        if programme.kind == "city_to_city":
            return {"min_shared_slots": 0}
        return {}

    def resolved_weights(self) -> dict[str, int]:
        """Return the kind's default weights overridden by the programme's own."""
        from matching_engine import default_weights

        weights = default_weights(self.programme.kind)
        weights.update({k: v for k, v in (self.weights or {}).items() if k in weights})
        return weights


class PairRule(models.Model):
    """A coordinator's decision about one pair: always keep it, or never propose it."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("Locked")
        FORBID = "forbid", _("Forbidden")
        # Left out of the next run only: the run that reads it deletes it.
        SKIP = "skip", _("Not in this run")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pair_rules"
    )
    mentee = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="rules_as_mentee"
    )
    mentor = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="rules_as_mentor"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="pair_rule_unique_pair"),
        ]
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")

    def __str__(self):
        return f"{self.kind} {self.mentee_id}-{self.mentor_id}"


class Proposal(models.Model):
    """A pair sent to both sides, who each accept or decline it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for answers")
        ACCEPTED = "accepted", _("Accepted by both")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Answer(models.TextChoices):
        NONE = "", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="proposals"
    )
    mentee = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="proposals_as_mentee"
    )
    mentor = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="proposals_as_mentor"
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    criteria = models.JSONField(_("score breakdown"), default=dict, blank=True)
    explanation_parts = models.JSONField(_("explanation"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    mentee_answer = models.CharField(
        _("mentee's answer"), max_length=8, choices=Answer.choices, default="", blank=True
    )
    mentor_answer = models.CharField(
        _("mentor's answer"), max_length=8, choices=Answer.choices, default="", blank=True
    )
    mentee_answered_at = models.DateTimeField(null=True, blank=True)
    mentor_answered_at = models.DateTimeField(null=True, blank=True)
    mentee_recorded_by_coordinator = models.BooleanField(default=False)
    mentor_recorded_by_coordinator = models.BooleanField(default=False)
    # How the coordinator got an answer she recorded for someone (phone, paper, in person).
    mentee_channel = models.CharField(
        _("mentee's answer received"), max_length=10, choices=ENTRY_CHANNEL_CHOICES, blank=True
    )
    mentor_channel = models.CharField(
        _("mentor's answer received"), max_length=10, choices=ENTRY_CHANNEL_CHOICES, blank=True
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    # Proposed by hand rather than from a run; the hard rules it breaks, and why it was sent
    # anyway (required when it breaks any).
    chosen_by_hand = models.BooleanField(_("chosen by hand"), default=False)
    broken_rules = models.JSONField(_("rules overridden"), default=list, blank=True)
    override_reason = models.CharField(_("reason for the exception"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            # A mentee waits for one proposal at a time.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status="pending"),
                name="proposal_one_pending_per_mentee",
            ),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"

    def answer_of(self, side: str) -> str:
        return getattr(self, f"{side}_answer")


class MatchingRun(models.Model):
    """One run of the engine over a programme's pool, done by a task worker, and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_runs"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The django.tasks result that runs it: a worker that takes the run over after another
    # died must be running this same task.
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # For the coordinator, in plain words (the traceback stays in the task's row and the log).
    error = models.TextField(blank=True)
    # What the engine was given (pool, rules, settings): "send" checks it did not move since.
    input_hash = models.CharField(max_length=64, blank=True)
    # What the engine proposed: the page's "send" carries it, to send what was shown.
    fingerprint = models.CharField(max_length=16, blank=True)
    pair_count = models.PositiveIntegerField(default=0)
    unmatched_count = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One run waits or runs per programme: a double click, or two coordinators on two
            # servers, start one run, not two.
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status__in=["queued", "running"]),
                name="matching_run_one_active_per_programme",
            ),
        ]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self):
        return f"{self.programme_id} #{self.pk} {self.status}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE


class RunRow(models.Model):
    """One line of a run's result: a proposed pair, or a person left without a partner."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="rows")
    # Pairs first, best score first; then the people without a partner.
    position = models.PositiveIntegerField()
    mentee = models.ForeignKey(
        "people.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey(
        "people.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Null for a person without a partner.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    # [{"name", "points", "max"}], the engine's explanation parts and warnings: rendered in the
    # reader's language when shown.
    criteria = models.JSONField(default=list, blank=True)
    explanation_parts = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="run_row_unique_position"),
        ]
        indexes = [models.Index(fields=["run", "score"], name="run_row_score")]
        verbose_name = _("matching run row")
        verbose_name_plural = _("matching run rows")

    def __str__(self):
        return f"{self.run_id}:{self.position}"

    @property
    def is_pair(self) -> bool:
        return self.mentee_id is not None and self.mentor_id is not None

    @property
    def key(self) -> str:
        return f"{self.mentee_id}-{self.mentor_id}"

    @property
    def person(self):
        return self.mentee if self.mentor_id is None else self.mentor
