"""What the funder report needs about a person that no other record holds: her situation on the
labour market and her level of education (EU ESF+ common indicators), at entry, at exit and six
months after. Coordinator-only data, keyed to the participant."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EsfSituation(models.Model):
    class Moment(models.TextChoices):
        ENTRY = "entry", _("At entry")
        EXIT = "exit", _("At exit")
        SIX_MONTHS = "six_months", _("Six months after exit")

    class Employment(models.TextChoices):
        # ESF+ categories: "unemployed, including long-term unemployed" is the sum of the two
        # unemployed codes; "inactive not in education or training" is inactive without
        # `in_education`.
        EMPLOYED = "employed", _("Employed, including self-employed")
        UNEMPLOYED = "unemployed", _("Unemployed for 12 months or less")
        LONG_TERM = "long_term", _("Long-term unemployed (more than 12 months)")
        INACTIVE = "inactive", _("Inactive (neither working nor looking for work)")
        UNKNOWN = "unknown", _("Unknown")

    class Isced(models.TextChoices):
        # ISCED 2011 levels, grouped as the ESF+ indicators count them.
        PRIMARY = "isced_0_1", _("ISCED 0–1: primary education or less")
        LOWER_SECONDARY = "isced_2", _("ISCED 2: lower secondary education")
        UPPER_SECONDARY = "isced_3_4", _("ISCED 3–4: upper secondary or post-secondary")
        TERTIARY = "isced_5_8", _("ISCED 5–8: tertiary education")
        UNKNOWN = "unknown", _("Unknown")

    class Source(models.TextChoices):
        COORDINATOR = "coordinator", _("Recorded by a coordinator")
        PARTICIPANT = "participant", _("Given by the participant")

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="esf_situations"
    )
    moment = models.CharField(_("moment"), max_length=12, choices=Moment.choices)
    employment = models.CharField(
        _("employment situation"), max_length=12, choices=Employment.choices
    )
    in_education = models.BooleanField(_("in education or training"), default=False)
    isced = models.CharField(
        _("highest level of education attained"), max_length=10, choices=Isced.choices
    )
    qualification = models.BooleanField(_("gained a qualification since entry"), default=False)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.COORDINATOR
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "moment"], name="esf_situation_one_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.participant_id} {self.moment}"
