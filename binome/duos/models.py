import datetime
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.vocab import ENGAGEMENT_CHOICES, ENTRY_CHANNEL_CHOICES
from binome.encryption.fields import EncryptedTextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from binome.accounts.models import User
    from binome.core.content import Localized

# The two sides of a duo; a team speaks through its representative.
SIDES = ("mentor", "mentee")


class Side(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


# The intercultural method of seed 001, in its order; the labels are the questions asked.
METHOD_STEPS = {
    "there": _("There: how was it where you come from?"),
    "here": _("Here: how is it here, in your view?"),
    "comparison": _("Comparison"),
    "verification": _("Verification"),
    "conclusion": _("Conclusion"),
}

# 1 in the mentor city).
EXPECTED_VISITS = {Side.MENTEE: 2, Side.MENTOR: 1}


def new_video_room() -> str:
    return secrets.token_urlsafe(12)


class Duo(models.Model):
    """A mentor and a mentee (or two city teams) working together, from agreement to follow-up."""

    class Status(models.TextChoices):
        STARTING = "starting", _("Starting")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        COMPLETED = "completed", _("Completed: planned end reached")
        GOAL_REACHED = "goal_reached", _("Goal reached")
        WORK_OR_TRAINING = "work_training", _("Mentee found work or training")
        MOVED = "moved", _("Moved away")
        NO_TIME = "no_time", _("Lack of time")
        MISMATCH = "mismatch", _("Mismatch")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        TRAINING = "training", _("Training")
        HOUSING = "housing", _("Housing")
        LANGUAGE = "language", _("Language progress")
        NETWORK = "network", _("Wider network")
        OTHER = "other", _("Other")

    # The statuses that hold one of the mentor's seats.
    OPEN_STATUSES = (Status.STARTING, Status.ACTIVE)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="duos"
    )
    # The cohort the duo belongs to: its mentee's edition, else the programme's current one.
    edition = models.ForeignKey(
        "programmes.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duos",
    )
    mentor = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, related_name="duos_as_mentor"
    )
    mentee = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, related_name="duos_as_mentee"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STARTING, db_index=True
    )
    proposal = models.OneToOneField(
        "matching.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duo",
    )
    # The coordinator the duo calls; the programme's organisation contact when empty.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_duos",
        verbose_name=_("coordinator"),
    )
    started_on = models.DateField(_("start"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    # The duo's own rhythm (its mentor's engagement, or a coordinator's correction); the
    # programme's when empty.
    meetings_per_month = models.DecimalField(
        _("meetings expected per month"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    engagement = models.CharField(
        _("engagement"), max_length=12, choices=ENGAGEMENT_CHOICES, blank=True
    )
    # A break (illness, travel): no silence alert while it lasts, and silence counts from its end.
    paused_from = models.DateField(_("paused from"), null=True, blank=True)
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    pause_reason = models.CharField(_("reason for the pause"), max_length=200, blank=True)
    activated_at = models.DateTimeField(_("agreement signed by all"), null=True, blank=True)
    # The per-duo room of the video service (VIDEO_BASE_URL + video_room).
    video_room = models.CharField(max_length=32, default=new_video_room, unique=True)

    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # A code of the programme's list of reasons (programmes.VocabularyItem), which its
    # coordinators extend: CloseReason names the ones Binôme ships.
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    outcomes = models.JSONField(_("outcomes"), default=list, blank=True)
    # Coordinators only.
    outcome_notes = EncryptedTextField(_("outcome notes (coordinators only)"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            # A mentee is in one open duo at a time.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status__in=["starting", "active"]),
                name="duo_one_open_per_mentee",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(planned_end_on__gt=models.F("started_on")),
                name="duo_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(paused_from__isnull=True)
                | models.Q(paused_until__isnull=True)
                | models.Q(paused_until__gte=models.F("paused_from")),
                name="duo_pause_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]
        verbose_name = _("duo")
        verbose_name_plural = _("duos")

    def __str__(self) -> str:
        return f"{self.mentor} – {self.mentee}"

    @property
    def video_link(self) -> str:
        base = settings.VIDEO_BASE_URL.rstrip("/")
        return f"{base}/binome-{self.video_room}" if base else ""

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def rhythm(self) -> "Decimal":
        """Meetings expected per month: the duo's own, else its programme's."""
        if self.meetings_per_month is not None:
            return self.meetings_per_month
        return self.programme.meetings_per_month

    def paused_on(self, day: datetime.date) -> bool:
        return bool(self.paused_from and self.paused_until) and (
            self.paused_from <= day <= self.paused_until  # type: ignore[operator]
        )

    @property
    def acting_coordinator(self) -> "User | None":
        """The duo's coordinator while still active staff of its organisation, else None.

        Someone who left the organisation (or became a viewer) keeps the duo's `coordinator`
        for the record, but gets none of its e-mails and is no longer shown as its contact.
        """
        from binome.accounts.roles import STAFF_ROLES

        user = self.coordinator
        if user is None or not user.is_active:
            return None
        organisation_id = self.programme.organisation_id
        for membership in user.memberships.all():
            if membership.organisation_id == organisation_id and membership.role in STAFF_ROLES:
                return user
        return None


class AgreementTemplate(models.Model):
    """A programme's agreement text in one language; placeholders are filled per duo."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="agreement_templates"
    )
    language = models.CharField(_("language"), max_length=8)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "language"], name="agreement_template_one_per_language"
            )
        ]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.language}"


class Agreement(models.Model):
    """The mentoring agreement of one duo: its text per language, frozen once all have signed."""

    duo = models.OneToOneField(Duo, on_delete=models.CASCADE, related_name="agreement")
    # {"fr": "…", "en": "…"}: the text generated for each signer's language.
    texts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(_("signed by all on"), null=True, blank=True)
    # SHA-256 of the frozen texts (canonical JSON), to prove they were not altered.
    text_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"agreement of duo {self.duo_id}"


class Signature(models.Model):
    class Party(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        COORDINATOR = "coordinator", _("Coordinator")

    class Method(models.TextChoices):
        ONLINE = "online", _("Confirmed online")
        PAPER = "paper", _("Signed on paper")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    typed_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    # Hash of the text in `language` at the time of signing.
    text_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scan = models.FileField(_("scan of the paper signature"), upload_to="agreements/", blank=True)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_one_per_party")
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.party} · {self.signed_at:%Y-%m-%d}"


class Objective(models.Model):
    """One objective of a duo's action plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        RECALIBRATED = "recalibrated", _("Recalibrated")
        DROPPED = "dropped", _("Dropped")

    class Carrier(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")
        BOTH = "both", _("Both")
        COORDINATOR = "coordinator", _("Coordinator")

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    need = models.CharField(_("need"), max_length=32, blank=True)
    why = models.TextField(_("why it matters"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PLANNED
    )
    carried_by = models.CharField(
        _("carried by"), max_length=12, choices=Carrier.choices, default=Carrier.BOTH
    )
    # Optimistic concurrency: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set on the objectives a page lists, for its template (duos.selectors, the plan
    # view).
    # The need named in the programme's words (a Localized label, or a shipped one).
    need_label: "StrOrPromise | Localized"
    step_lines: list[str]

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class ObjectiveRevision(models.Model):
    """A snapshot of an objective after each save: the action plan's history."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["objective", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "version"], name="objective_revision_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective_id} v{self.version}"


class Meeting(models.Model):
    """A meeting of the duo, held (logged) or planned."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="meetings")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD, db_index=True
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    supports = models.JSONField(_("support given"), default=list, blank=True)
    # Intercultural method: {"there": …, "here": …, "comparison": …, "verification": …,
    # "conclusion": …}.
    method_notes = models.JSONField(_("intercultural method notes"), default=dict, blank=True)
    shared_notes = models.TextField(_("notes shared with the duo"), blank=True)
    # Coordinators only: never on a mentor's or mentee's page, e-mail or export.
    private_notes = EncryptedTextField(_("private coordinator notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set on the meetings the coordinator's duo page lists (duos.selectors).
    support_labels: list["Localized | str"]
    theme_labels: list["Localized | str"]
    method_rows: list[tuple["StrOrPromise", str]]

    class Meta:
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["duo", "status", "starts_at"])]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} · {self.mode}"


class Visit(models.Model):
    """A visit between the two cities of a city-to-city duo."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="visits")
    host = models.CharField(_("host"), max_length=8, choices=Side.choices)
    city = models.CharField(_("host city"), max_length=120)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    mentee_attendees = models.TextField(_("who came from the mentee team"), blank=True)
    mentor_attendees = models.TextField(_("who came from the mentor team"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency for corrections; each save's fields are in the audit trail.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="visit_end_after_start"
            )
        ]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.city} · {self.starts_on}"


class CheckIn(models.Model):
    """A 30-second answer from one side: how is it going."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="checkins")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    mood = models.PositiveSmallIntegerField(
        _("how is it going"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Said in a low moment, for the coordinator: encrypted at rest like the coordinators' notes.
    comment = EncryptedTextField(_("comment"), blank=True)
    wants_call = models.BooleanField(_("I would like the coordinator to call me"), default=False)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkins"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when a coordinator entered it for the side (by phone, on paper, in person); then
    # `created_at` is the day it was given and `by` the coordinator.
    channel = models.CharField(
        _("entered by the coordinator"), max_length=10, choices=ENTRY_CHANNEL_CHOICES, blank=True
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["duo", "side", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mood__gte=1, mood__lte=5), name="checkin_mood_1_to_5"
            )
        ]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.side} · {self.mood}"


class Alert(models.Model):
    """Something on a duo a coordinator should look at; resolved by a coordinator."""

    class Kind(models.TextChoices):
        NO_MEETING = "no_meeting", _("No meeting for too long")
        LOW_MOOD = "low_mood", _("Low mood in a check-in")
        CALL_REQUESTED = "call_requested", _("A call was requested")
        ENDING_SOON = "ending_soon", _("Ends within 3 weeks")
        UNSIGNED = "unsigned", _("Agreement unsigned after 2 weeks")

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the alert is about (a check-in id, the date of the last meeting…): a resolved alert
    # comes back only when its cause changes.
    key = models.CharField(max_length=64, default="", blank=True)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = EncryptedTextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["-opened_at", "pk"]
        indexes = [models.Index(fields=["duo", "resolved_at"])]
        constraints = [
            models.UniqueConstraint(fields=["duo", "kind", "key"], name="alert_unique_cause")
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.kind} · duo {self.duo_id}"


class SupervisionNote(models.Model):
    """A coordinator's follow-up call or note on a duo (coordinators only)."""

    class Kind(models.TextChoices):
        CALL = "call", _("Follow-up call")
        NOTE = "note", _("Note")

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="supervision_notes")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.CALL)
    with_side = models.CharField(_("with"), max_length=8, choices=Side.choices, blank=True)
    text = EncryptedTextField(_("notes"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "pk"]
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")

    def __str__(self) -> str:
        return f"{self.kind} · {self.at:%Y-%m-%d}"


class ClosingFeedback(models.Model):
    """One side's feedback when the duo closes."""

    duo = models.ForeignKey(Duo, on_delete=models.CASCADE, related_name="closing_feedback")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    rating = models.PositiveSmallIntegerField(
        _("how was the mentoring"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    best = models.TextField(_("what helped most"), blank=True)
    improve = models.TextField(_("what could be better"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As on a check-in: set when a coordinator entered it for the side.
    channel = models.CharField(
        _("entered by the coordinator"), max_length=10, choices=ENTRY_CHANNEL_CHOICES, blank=True
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["duo", "side"], name="closing_feedback_one_per_side")
        ]
        verbose_name = _("closing feedback")
        verbose_name_plural = _("closing feedback")

    def __str__(self) -> str:
        return f"{self.side} · {self.rating}"


class FollowUp(models.Model):
    """The questionnaire sent to both former sides some months after closure."""

    duo = models.OneToOneField(Duo, on_delete=models.CASCADE, related_name="follow_up")
    due_on = models.DateField(_("send on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"follow-up of duo {self.duo_id} on {self.due_on}"


class FollowUpAnswer(models.Model):
    class Situation(models.TextChoices):
        EMPLOYED = "employed", _("Working")
        TRAINING = "training", _("In training or studies")
        SEEKING = "seeking", _("Looking for work or training")
        OTHER = "other", _("Other")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="answers")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    situation = models.CharField(
        _("situation today"), max_length=10, choices=Situation.choices, blank=True
    )
    still_in_contact = models.BooleanField(_("still in touch with each other"), default=False)
    usefulness = models.PositiveSmallIntegerField(
        _("how useful was the mentoring"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "side"], name="follow_up_one_per_side")
        ]
        verbose_name = _("follow-up answer")
        verbose_name_plural = _("follow-up answers")

    def __str__(self) -> str:
        return f"{self.side} · {self.answered_at:%Y-%m-%d}"
