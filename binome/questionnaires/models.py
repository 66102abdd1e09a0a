"""Questionnaires as data, their answers, and goal attainment scaling on a duo's action plan.

What the evaluation reads (names kept stable):

- Questionnaire: an instrument. `organisation` null = shipped with Binôme (the library, loaded
  from library/*.json); `key` is its stable name ("integration", "duo_pulse"…); `validated` is
  False for instruments written for Binôme; `source`, `licence` say where it comes from;
  `validated_languages` lists the languages whose translation was validated (empty when none).
  Texts: `title`, `description` (+ `translations`, see binome.core.content).
- QuestionnaireVersion: the questionnaire's content at one time (`number` 1, 2…). `frozen_at` is
  set when the first answer arrives; a frozen version is never changed: a change makes version
  n+1. `questionnaire.current_version()` is the highest number.
- Item: one question of a version, `position`, `key` (stable across versions: compare an item's
  answers across versions by key), `kind` (Item.Kind: likert, single, multiple, number,
  short_text, long_text, goal), `min_value`/`max_value` (likert and number), `options` for
  single/multiple ([{"value": "yes", "score": 1, "label": {"fr": …, "en": …}}]), `anchors` for
  likert ({"1": {"fr": …}, "5": {…}}), `required`, `domain` (a grouping label, e.g. the Home Office
  Indicators of Integration domain).
- Scale: a group of items of a version scored together: `key`, `item_keys`, `reversed_keys`,
  `rule` (sum or mean), `min_answered` (fewer answered items: no score). Scored by the pure
  function binome.questionnaires.scoring.score_scale.
- Assignment: a questionnaire attached to a programme at a `moment` (Assignment.Moment:
  application, intake, every_n_weeks (with `every_weeks`), mid_term, closure, follow_up) for a
  `role` (mentee, mentor, team).
- Response: one person (people.Participant) × questionnaire × moment (+ `occurrence`, the n-th
  time for every_n_weeks, else 0), answered with one `version`; `duo` when it is about a duo;
  `language` it was answered in; `channel` self or coordinator (then `entry_mode`: phone, paper,
  in_person, and `entered_by`); `status` draft or submitted; `submitted_at`.
- Answer: the current value of one item in a response: `number` (likert, number, the score of a
  single choice), `choices` (single/multiple option values), `text` (short/long text, never
  leaves the organisation's staff). A correction after submission keeps the previous value in
  AnswerCorrection (the first answer is the oldest correction's `previous`).
- ScaleScore: a response's score on a scale (`score` null when too few items were answered),
  written when the response is submitted or corrected.
- GoalScale / GoalScore: goal attainment scaling of a duos.Objective: what −2…+2 would mean
  (`levels`), then scores (−2…+2) at a review or at closure (`moment`).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.content import SOURCE_LANGUAGE, Translatable
from binome.duos.models import Duo, Objective
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme


class Questionnaire(Translatable):
    """An instrument: an organisation's own, or one of the library (organisation null)."""

    TRANSLATED = ("title", "description")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="questionnaires",
        null=True,
        blank=True,
    )
    key = models.SlugField(_("short name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("source language"), max_length=8, default=SOURCE_LANGUAGE)
    source = models.TextField(_("source"), blank=True)
    licence = models.TextField(_("licence"), blank=True)
    validated = models.BooleanField(_("validated instrument"), default=False)
    validated_languages = models.JSONField(
        _("languages with a validated translation"), default=list, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="questionnaire_key_unique_in_organisation"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True),
                name="questionnaire_key_unique_in_library",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def source_language(self) -> str:
        return self.language

    @property
    def in_library(self) -> bool:
        return self.organisation_id is None

    def current_version(self) -> "QuestionnaireVersion | None":
        return self.versions.order_by("-number").first()

    def unchecked_languages(self) -> list[str]:
        """The languages of the library's own translations nobody has validated yet."""
        if not self.in_library:
            return []
        validated = set(self.validated_languages or [])
        return [code for code in LIBRARY_OWN_TRANSLATIONS if code not in validated]


# The library's Arabic and Ukrainian texts are Binôme's own translations, not the authors':
# shown "to be checked" until validated (as the default agreements are).
LIBRARY_OWN_TRANSLATIONS = ("ar", "uk")


class QuestionnaireVersion(models.Model):
    """The content of a questionnaire at one time; frozen once someone answered it."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    # The languages every text of this version is written in (computed when it is saved).
    languages = models.JSONField(_("complete languages"), default=list, blank=True)
    # A hash of the content, so that loading the same file again makes no new version.
    fingerprint = models.CharField(max_length=64, blank=True)
    frozen_at = models.DateTimeField(_("first answered on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Not stored: set by selectors.versions_of for the coordinator's page.
    missing: list[str]

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Item(Translatable):
    """One question of a version."""

    TRANSLATED = ("text", "help")

    class Kind(models.TextChoices):
        LIKERT = "likert", _("Scale with anchors")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        GOAL = "goal", _("Goal attainment (−2 to +2)")

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField()
    key = models.SlugField(max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("question"))
    help = models.TextField(_("help"), blank=True)
    domain = models.CharField(_("domain"), max_length=80, blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)
    options = models.JSONField(default=list, blank=True)
    anchors = models.JSONField(default=dict, blank=True)
    # Copied from the questionnaire so that an item reads its texts without another query.
    language = models.CharField(max_length=8, default=SOURCE_LANGUAGE)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_key_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.key

    def source_language(self) -> str:
        return self.language

    @property
    def is_numeric(self) -> bool:
        return self.kind in {self.Kind.LIKERT, self.Kind.NUMBER, self.Kind.GOAL}

    @property
    def is_text(self) -> bool:
        return self.kind in {self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT}

    def option_score(self, value: str) -> float | None:
        for option in self.options:
            if option.get("value") == value:
                score = option.get("score")
                return float(score) if isinstance(score, int | float) else None
        return None


class Scale(Translatable):
    """Items of a version scored together."""

    TRANSLATED = ("name",)

    class Rule(models.TextChoices):
        SUM = "sum", _("Sum")
        MEAN = "mean", _("Mean")

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="scales"
    )
    key = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    rule = models.CharField(_("scoring"), max_length=8, choices=Rule.choices, default=Rule.MEAN)
    item_keys = models.JSONField(default=list)
    reversed_keys = models.JSONField(default=list, blank=True)
    min_answered = models.PositiveIntegerField(_("minimum answered items"), default=1)
    # Reliability used for the reliable change index (Cronbach's alpha), when known.
    reliability = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=8, default=SOURCE_LANGUAGE)

    class Meta:
        ordering = ["version", "pk"]
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="scale_key_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.key

    def source_language(self) -> str:
        return self.language


class Role(models.TextChoices):
    MENTEE = "mentee", _("Mentees")
    MENTOR = "mentor", _("Mentors")
    TEAM = "team", _("Teams (city-to-city)")


class Assignment(models.Model):
    """A questionnaire a programme asks a role to answer at a moment."""

    class Moment(models.TextChoices):
        APPLICATION = "application", _("At application")
        INTAKE = "intake", _("At intake (baseline)")
        EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks")
        MID_TERM = "mid_term", _("At mid-term")
        CLOSURE = "closure", _("At closure")
        FOLLOW_UP = "follow_up", _("At follow-up")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="questionnaire_assignments"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assignments"
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices)
    every_weeks = models.PositiveSmallIntegerField(_("every (weeks)"), null=True, blank=True)
    role = models.CharField(_("who answers"), max_length=8, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("questionnaire of a programme")
        verbose_name_plural = _("questionnaires of a programme")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "questionnaire", "moment", "role"],
                name="assignment_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(moment="every_n_weeks") | models.Q(every_weeks__gte=1),
                name="assignment_every_weeks_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} · {self.get_moment_display()} · {self.get_role_display()}"


class Response(models.Model):
    """One person's answers to one questionnaire at one moment."""

    class Channel(models.TextChoices):
        SELF = "self", _("Answered by the person")
        COORDINATOR = "coordinator", _("Entered by a coordinator")

    class EntryMode(models.TextChoices):
        PHONE = "phone", _("By phone")
        PAPER = "paper", _("On paper")
        IN_PERSON = "in_person", _("In person")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    duo = models.ForeignKey(
        Duo,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Assignment.Moment.choices)
    occurrence = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(_("answered in"), max_length=8)
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.SELF
    )
    entry_mode = models.CharField(_("how"), max_length=10, choices=EntryMode.choices, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    version_lock = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["participant", "started_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "questionnaire", "moment", "occurrence"],
                name="response_once_per_moment",
            ),
            models.CheckConstraint(
                condition=models.Q(channel="self", entry_mode="")
                | models.Q(channel="coordinator") & ~models.Q(entry_mode=""),
                name="response_entry_mode_for_coordinator",
            ),
        ]
        indexes = [models.Index(fields=["questionnaire", "moment", "status"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} · {self.get_moment_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The current answer to one item of a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    number = models.FloatField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["response", "item__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.key}"

    @property
    def value(self) -> Any:
        if self.item.is_text:
            return self.text
        if self.item.kind in {Item.Kind.SINGLE, Item.Kind.MULTIPLE}:
            return self.choices
        return self.number

    @property
    def is_empty(self) -> bool:
        return self.number is None and not self.choices and not self.text


class AnswerCorrection(models.Model):
    """A submitted answer changed: the value before, who changed it and why."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="corrections")
    previous = models.JSONField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["answer", "at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.answer} @ {self.at:%Y-%m-%d}"


class ScaleScore(models.Model):
    """A submitted response's score on one scale; null when too few items were answered."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scale_scores")
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="scores")
    score = models.FloatField(null=True, blank=True)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scale score")
        verbose_name_plural = _("scale scores")
        constraints = [
            models.UniqueConstraint(fields=["response", "scale"], name="scale_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scale.key}={self.score}"


GOAL_LEVELS = (-2, -1, 0, 1, 2)


class GoalScale(models.Model):
    """What −2…+2 would mean for one objective of a duo's action plan."""

    objective = models.OneToOneField(Objective, on_delete=models.CASCADE, related_name="goal_scale")
    # {"-2": "…", "-1": "…", "0": "…", "1": "…", "2": "…"}; 0 is the expected outcome.
    levels = models.JSONField(_("levels"), default=dict)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("goal attainment scale")
        verbose_name_plural = _("goal attainment scales")

    def __str__(self) -> str:
        return f"GAS {self.objective_id}"

    def level(self, value: int) -> str:
        return str(self.levels.get(str(value), ""))


class GoalScore(models.Model):
    """An objective scored on its scale, at a review or at closure."""

    class Moment(models.TextChoices):
        REVIEW = "review", _("Review")
        CLOSURE = "closure", _("Closure")

    goal_scale = models.ForeignKey(GoalScale, on_delete=models.CASCADE, related_name="scores")
    score = models.SmallIntegerField(_("score"))
    moment = models.CharField(_("moment"), max_length=8, choices=Moment.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["goal_scale", "at", "pk"]
        verbose_name = _("goal score")
        verbose_name_plural = _("goal scores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=-2, score__lte=2), name="goal_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score:+d}"
