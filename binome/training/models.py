"""Training modules, the path a programme requires of a role, and what each person has done."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.content import Translatable


class Module(Translatable):
    """An online capsule: a text with headings and links, a video, attachments, a short quiz."""

    TRANSLATED = ("title", "summary", "body")

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="training_modules"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    body = models.TextField(_("content"), blank=True, max_length=50000)
    video_url = models.URLField(_("video link"), blank=True, max_length=500)
    duration_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    # Empty: no quiz. Else the share of right answers (in %) that passes.
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attachments = models.ManyToManyField(
        "resources.Resource", blank=True, related_name="modules", verbose_name=_("attachments")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return self.title

    def source_language(self) -> str:
        return self.organisation.source_language

    @property
    def has_quiz(self) -> bool:
        return self.pass_mark is not None


class Question(Translatable):
    """A question of a module's quiz; its choices one per line, the right ones marked with *."""

    TRANSLATED = ("text", "choices")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("question"), max_length=500)
    # In the source language: one choice per line, "*" before each right one. A translation
    # gives the same lines, in the same order, without the marks.
    choices = models.TextField(_("choices"), max_length=4000)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def source_language(self) -> str:
        return self.module.organisation.source_language


class TrainingPath(models.Model):
    """What a programme requires of its mentors (or mentees) before matching."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="training_paths"
    )
    role = models.CharField(_("role"), max_length=8)
    modules = models.ManyToManyField(
        Module, through="PathModule", related_name="paths", verbose_name=_("modules")
    )
    # Training sessions (group activities that count as training) to attend.
    sessions_required = models.PositiveSmallIntegerField(
        _("training sessions to attend"), default=0, validators=[MaxValueValidator(50)]
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "role"], name="one_path_per_role")
        ]
        verbose_name = _("training path")
        verbose_name_plural = _("training paths")

    def __str__(self) -> str:
        return f"{self.programme} · {self.role}"


class PathModule(models.Model):
    path = models.ForeignKey(TrainingPath, on_delete=models.CASCADE, related_name="steps")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["path", "module"], name="module_once_per_path")
        ]

    def __str__(self) -> str:
        return f"{self.path} #{self.position}"


class Completion(models.Model):
    """A person's progress in one module: the quiz's last score, and when it was completed."""

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    attempts = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(_("quiz score (%)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "module"], name="one_completion_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.module_id}"


class ExternalTraining(models.Model):
    """Training done elsewhere, recorded by a coordinator with a note: it counts as done."""

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="external_trainings"
    )
    note = models.TextField(_("note"), max_length=2000)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(999)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.hours} h"


class Skill(Translatable):
    """A soft skill a programme recognises (listening, intercultural communication, guidance)."""

    TRANSLATED = ("name",)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="skills"
    )
    name = models.CharField(_("skill"), max_length=200)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="skill_once_per_programme")
        ]

    def __str__(self) -> str:
        return self.name

    def source_language(self) -> str:
        return self.programme.organisation.source_language


class ValidatedSkill(models.Model):
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="validated_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="validations")
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "skill"], name="skill_validated_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.skill_id}"
