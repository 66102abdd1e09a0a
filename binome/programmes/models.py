from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.content import Translatable

# The retention periods' defaults come from the settings (the environment), read when an
# organisation is created: module functions, so that migrations name them rather than a value.


def default_retention_closed_days() -> int:
    return int(settings.RETENTION_CLOSED_DAYS)


def default_retention_rejected_days() -> int:
    return int(settings.RETENTION_REJECTED_DAYS)


def default_retention_scan_days() -> int:
    return int(settings.RETENTION_SCAN_DAYS)


def default_retention_audit_days() -> int:
    return int(settings.AUDIT_RETENTION_DAYS)


def default_agreement_retention_years() -> int:
    return int(settings.AGREEMENT_RETENTION_YEARS)


def default_content_languages() -> list[str]:
    return ["fr", "en"]


# A century: any longer is a typo; a day: a period of zero would erase or delete at once.
RETENTION_DAYS = [MinValueValidator(1), MaxValueValidator(36_500)]


class Organisation(models.Model):
    """A tenant: an association, a city, an institute. Its people never leave it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), unique=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The languages the organisation writes its content for participants in (programme texts,
    # agreements, activities, questionnaires), its source language first: see
    # binome.core.content. The interface itself speaks every language of settings.LANGUAGES.
    content_languages = models.JSONField(
        _("languages of the texts written for participants"),
        default=default_content_languages,
        blank=True,
    )
    # Admins and coordinators must log in with a second factor (an authenticator app's code).
    # Read by binome.accounts.roles through the memberships, since accounts sits below.
    require_two_factor = models.BooleanField(
        _("require two-factor authentication for admins and coordinators"), default=False
    )
    # The optimistic-locking version of the settings (see binome.core.errors.EditConflict).
    version = models.PositiveIntegerField(default=1)

    # Retention (binome.privacy.retention applies them daily), in days from the event named.
    retention_closed_days = models.PositiveIntegerField(
        _("closed or withdrawn participants are anonymised after (days)"),
        default=default_retention_closed_days,
        validators=RETENTION_DAYS,
    )
    retention_rejected_days = models.PositiveIntegerField(
        _("applications not retained are anonymised after (days)"),
        default=default_retention_rejected_days,
        validators=RETENTION_DAYS,
    )
    retention_scan_days = models.PositiveIntegerField(
        _("scans of paper signatures are deleted after the duo's end (days)"),
        default=default_retention_scan_days,
        validators=RETENTION_DAYS,
    )
    retention_audit_days = models.PositiveIntegerField(
        _("audit trail events are deleted after (days)"),
        default=default_retention_audit_days,
        validators=RETENTION_DAYS,
    )
    # The legal duty to keep a signed agreement: its signers are not erased before this.
    agreement_retention_years = models.PositiveSmallIntegerField(
        _("signed agreements are kept after the duo's end (years)"),
        default=default_agreement_retention_years,
        validators=[MaxValueValidator(30)],
    )
    # Small-number privacy of the evaluation: a figure about fewer people is not shown to
    # viewers nor in the funder exports (binome.evaluation.suppression).
    evaluation_min_group = models.PositiveSmallIntegerField(
        _("smallest group shown in aggregate figures"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
    )
    # The retention settings' version (binome.core.errors.EditConflict): a form opened before
    # another admin's save is refused.
    retention_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def source_language(self) -> str:
        """The language the organisation's own fields are written in."""
        return (self.content_languages or ["fr"])[0]


class Programme(Translatable):
    # Texts participants read, in the organisation's languages (binome.core.content).
    TRANSLATED = ("name", "description", "audience", "commitment")

    class Kind(models.TextChoices):
        INTERCULTURAL = "intercultural", _("Intercultural / social mentoring")
        PROFESSIONAL = "professional", _("Professional mentoring")
        CITY_TO_CITY = "city_to_city", _("City-to-city mentoring")
        REMOTE = "remote", _("Remote mentoring")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    audience = models.TextField(_("who it is for"), blank=True)
    commitment = models.TextField(_("commitment asked"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    meetings_per_month = models.DecimalField(
        _("meetings expected per month"),
        max_digits=4,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(0)],
    )
    # The intercultural method's notes at each meeting (there / here / comparison / verification
    # / conclusion): None follows the kind (on for intercultural programmes), else the choice.
    intercultural_method = models.BooleanField(
        _("intercultural method at meetings"), null=True, blank=True
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"), default=1, validators=[MinValueValidator(1)]
    )
    needs = models.JSONField(_("needs worked on"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    applications_open = models.BooleanField(_("applications open"), default=False)
    listed = models.BooleanField(_("shown in the public directory"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by every save of the settings, so that an edit form opened before is refused.
    version = models.PositiveIntegerField(default=1)

    # Not stored: set on the programmes the directory and a programme's public page show
    # (programmes.views).
    language_names: list[str]

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="programme_slug_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_months__gte=1), name="programme_duration_positive"
            ),
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def uses_intercultural_method(self) -> bool:
        """Whether meetings take the intercultural method's notes (the kind's default, or set)."""
        if self.intercultural_method is not None:
            return self.intercultural_method
        return self.kind == self.Kind.INTERCULTURAL

    def source_language(self) -> str:
        return self.organisation.source_language

    @property
    def has_teams(self) -> bool:
        return self.kind == self.Kind.CITY_TO_CITY


class Edition(models.Model):
    """A cohort of a programme (e.g. "2025–2026"): every participant and duo belongs to one, so
    that figures can be read and compared edition by edition."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    # The coordinator's written lessons of the edition, printed in its global evaluation.
    lessons = models.TextField(_("lessons learned"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="edition_name_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="edition_ends_after_start",
            ),
        ]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return self.name


class Vocabulary(models.TextChoices):
    """The lists a programme's coordinators shape for their own way of mentoring."""

    SUPPORTS = "supports", _("Support offered")
    NEEDS = "needs", _("Needs")
    THEMES = "themes", _("Themes")
    OUTCOMES = "outcomes", _("Outcomes at closure")
    CLOSE_REASONS = "close_reasons", _("Reasons for closing")
    MEETING_MODES = "meeting_modes", _("Ways of meeting")


class VocabularyItem(Translatable):
    """One item of a programme's list (a need, a theme, a reason for closing…).

    Records store the item's `code`, never its row: a label can be reworded or translated and an
    item retired without touching the duos, meetings and profiles that name it.
    """

    TRANSLATED = ("label",)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="vocabulary_items"
    )
    vocabulary = models.CharField(_("list"), max_length=16, choices=Vocabulary.choices)
    # Stable once created; up to 200 characters because the themes of older programmes were
    # stored as their text, which stays their code.
    code = models.CharField(_("code"), max_length=200)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Retired items are offered no more, but still name the records that chose them.
    retired_at = models.DateTimeField(_("retired on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "vocabulary", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "vocabulary", "code"], name="vocabulary_code_unique"
            ),
        ]
        verbose_name = _("vocabulary item")
        verbose_name_plural = _("vocabulary items")

    def __str__(self) -> str:
        return self.label

    def source_language(self) -> str:
        return self.programme.organisation.source_language

    @property
    def in_use(self) -> bool:
        return self.retired_at is None
