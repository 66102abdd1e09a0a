from django.db import models
from django.utils.translation import gettext_lazy as _


class Duo(models.Model):
    """A mentor and a mentee working together; its whole life (agreement, meetings) comes later."""

    class Status(models.TextChoices):
        STARTING = "starting", _("Starting")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    # The statuses that hold one of the mentor's seats.
    OPEN_STATUSES = (Status.STARTING, Status.ACTIVE)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="duos"
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
        ]
        verbose_name = _("duo")
        verbose_name_plural = _("duos")

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"
