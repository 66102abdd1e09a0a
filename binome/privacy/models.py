from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """A participant whose personal data was erased: when, why, by whom (nothing about her)."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("At the person's request")
        RETENTION = "retention", _("Retention period over")

    participant = models.OneToOneField(
        "people.Participant", on_delete=models.CASCADE, related_name="erasure"
    )
    at = models.DateTimeField(_("erased on"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"erasure of participant #{self.participant_id}"
