from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("A proposal to answer")
    AGREEMENT = "agreement", _("An agreement to sign")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminders")
    CHECKIN = "checkin", _("Check-in requests")
    OVERDUE = "overdue", _("Reminders when no meeting was logged")
    CLOSURE = "closure", _("The closing questionnaire")
    FOLLOW_UP = "follow_up", _("The follow-up questionnaire")
    # Sent by the apps above notifications, through binome.notifications.dispatch.register.
    QUESTIONNAIRE = "questionnaire", _("Questionnaires to answer")
    ACTIVITY = "activity", _("Invitations to activities and their reminders")
    ANNOUNCEMENT = "announcement", _("Announcements from the programme team")
    TRAINING = "training", _("Training to follow")


class Notification(models.Model):
    """One e-mail, recorded before it is sent: its key makes sending idempotent."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What it is about and for whom, e.g. "meeting_reminder:meeting=12:participant=5".
    key = models.CharField(max_length=200, unique=True)
    participant = models.ForeignKey(
        "people.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # No address or content here: the log stays free of personal data beyond the links.
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Attempts the mail server refused. Fewer failures than attempts and no sent_at: being sent,
    # or interrupted while being sent (it may have left): never retried.
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["sent_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.key


class OptOut(models.Model):
    """A person who no longer wants one kind of e-mail: a participant, or a staff user."""

    participant = models.ForeignKey(
        "people.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False, user__isnull=True)
                | models.Q(participant__isnull=True, user__isnull=False),
                name="opt_out_one_person",
            ),
            models.UniqueConstraint(fields=["participant", "kind"], name="opt_out_unique_kind"),
            models.UniqueConstraint(fields=["user", "kind"], name="opt_out_unique_user_kind"),
        ]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self):
        return f"{self.participant_id or self.user_id} · {self.kind}"


# What staff receive: the agreements they are to sign as the duo's coordinator.
STAFF_KINDS = (Kind.AGREEMENT,)


class Lease(models.Model):
    """Who runs a background job now: one run at a time, whichever machine cron starts it on.

    A run takes the lease by an UPDATE conditioned on its expiry, which the database serialises;
    a crashed run's lease lapses after its time-to-live.
    """

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("job lease")
        verbose_name_plural = _("job leases")

    def __str__(self):
        return self.name


class JobRun(models.Model):
    """When a background job last finished a run: what /healthz reports as its age.

    One row per job, updated at the end of every complete run (a run that fails before its end
    leaves the previous time, so the age grows and the health check sees it).
    """

    name = models.CharField(max_length=50, unique=True)
    finished_at = models.DateTimeField()

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self):
        return self.name
