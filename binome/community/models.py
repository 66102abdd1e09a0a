"""Group activities around the duos, their invitations and attendance, calendars, announcements."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.content import Translatable


class Audience(models.TextChoices):
    MENTEES = "mentees", _("Mentees")
    MENTORS = "mentors", _("Mentors")
    BOTH = "both", _("Mentors and mentees")
    TEAMS = "teams", _("Teams")


class Activity(Translatable):
    """A group event of one or several programmes of an organisation."""

    TRANSLATED = ("title", "description")

    class Kind(models.TextChoices):
        ICE_BREAKER = "ice_breaker", _("Ice-breaker / collective outing")
        THEMATIC = "thematic", _("Thematic meeting")
        PEER_SESSION = "peer_session", _("Peer session of buddies")
        PRACTICE_EXCHANGE = "practice_exchange", _("Mentors' practice exchange")
        TRAINING = "training", _("Training session")
        INFORMATION = "information", _("Information session for stakeholders")

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="activities"
    )
    programmes = models.ManyToManyField(
        "programmes.Programme", related_name="activities", verbose_name=_("programmes")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    # Empty: no limit.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    # Participant statuses invited; empty: those in the programme now (ready, matched, active).
    statuses = models.JSONField(_("participant statuses"), default=list, blank=True)
    counts_as_training = models.BooleanField(_("counts as training"), default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def source_language(self) -> str:
        return self.organisation.source_language

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at) / datetime.timedelta(hours=1)


class Invitation(models.Model):
    """One invited person: the answer, the waiting list, and attendance (who came)."""

    class Answer(models.TextChoices):
        PENDING = "", _("No answer yet")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="activity_invitations"
    )
    answer = models.CharField(
        _("answer"), max_length=5, choices=Answer.choices, default=Answer.PENDING, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Said yes when the activity was full: in line for a seat, first come first served.
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Given a seat from the waiting list: the person is told (the key names this moment).
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Recorded by a coordinator on the day; also for people who came without answering.
    attended = models.BooleanField(_("came"), default=False)
    attended_marked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="invitation_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["participant", "answer"])]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.participant_id}"

    @property
    def coming(self) -> bool:
        return self.answer == self.Answer.YES and self.waiting_since is None


class CalendarFeed(models.Model):
    """A private .ics address: a person's activities and meetings, or a programme's."""

    token = models.CharField(max_length=64, unique=True)
    participant = models.ForeignKey(
        "people.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False, programme__isnull=True)
                | models.Q(participant__isnull=True, programme__isnull=False),
                name="calendar_feed_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"


class Announcement(Translatable):
    """A message from the programme team to an audience, by e-mail and on their space."""

    TRANSLATED = ("title", "body")

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="announcements"
    )
    programmes = models.ManyToManyField(
        "programmes.Programme", related_name="announcements", verbose_name=_("programmes")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when published: the collector sends it from then on.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title

    def source_language(self) -> str:
        return self.organisation.source_language
