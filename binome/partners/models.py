"""Partner organisations of an organisation, their contacts, referrals and carried objectives.

A partner is a public employment service, a language school, a housing association, a
municipality's department… that the programme works with. Its contacts have no account in
Binôme: a coordinator refers a participant to a partner and records what came of it; a partner
contact hears of a participant only through the referral the coordinator makes outside Binôme.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.content import Translatable
from binome.encryption.fields import EncryptedCharField, EncryptedTextField


class Partner(Translatable):
    """An organisation the programme works with, per organisation (tenant)."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Public employment service")
        LANGUAGE = "language", _("Language school")
        HOUSING = "housing", _("Housing association")
        MUNICIPALITY = "municipality", _("Municipal department")
        SOCIAL = "social", _("Social services")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education and training")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    TRANSLATED = ("description",)

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("what they offer"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="partner_name_unique_per_organisation"
            )
        ]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def source_language(self) -> str:
        return self.organisation.source_language


class PartnerContact(models.Model):
    """A person to reach at a partner (no account: the coordinator contacts them)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("language for messages"), max_length=8, default="fr")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.partner.name})"


class Referral(models.Model):
    """A participant sent to a partner: when, why, and what came of it (coordinators only)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        IN_PROGRESS = "in_progress", _("Taken up")
        ACHIEVED = "achieved", _("Achieved")
        DECLINED = "declined", _("Declined by the partner")
        NO_SHOW = "no_show", _("Not followed up by the participant")
        CANCELLED = "cancelled", _("Cancelled")

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="referrals"
    )
    # A partner with referrals is made inactive, not deleted; its organisation's deletion
    # (which deletes the participants too) takes them all.
    partner = models.ForeignKey(Partner, on_delete=models.RESTRICT, related_name="referrals")
    contact = models.ForeignKey(
        PartnerContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("contact"),
    )
    referred_on = models.DateField(_("referred on"))
    # Why a person was referred says much about them: encrypted at rest.
    reason = EncryptedTextField(_("reason"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = EncryptedCharField(_("outcome note"), max_length=500, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome_on__isnull=True)
                | models.Q(outcome_on__gte=models.F("referred_on")),
                name="referral_outcome_after_referral",
            )
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.partner_id}"


class ObjectivePartner(models.Model):
    """A partner carrying (or helping with) one objective of a duo's action plan."""

    objective = models.OneToOneField(
        "duos.Objective", on_delete=models.CASCADE, related_name="partner_link"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.RESTRICT, related_name="objectives", verbose_name=_("partner")
    )
    contact = models.ForeignKey(
        PartnerContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact"),
    )
    role = models.CharField(_("what the partner does"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner of an objective")
        verbose_name_plural = _("partners of objectives")

    def __str__(self) -> str:
        return f"{self.objective_id} · {self.partner_id}"
