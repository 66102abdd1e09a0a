from typing import Any

from django.conf import settings
from django.core.validators import EmailValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.vocab import ENGAGEMENT_CHOICES
from binome.encryption.fields import EncryptedCharField, EncryptedTextField, KeyedHashField
from binome.people.fields import phone_key


class ParticipantQuerySet(models.QuerySet["Participant"]):
    """Keeps phone_hash in step with phone in bulk writes too (update, bulk_update), which do not
    go through the field's pre_save: an erased or changed number must not stay findable."""

    def update(self, **kwargs: Any) -> int:
        phone = kwargs.get("phone")
        if isinstance(phone, str) and "phone_hash" not in kwargs:
            field = Participant._meta.get_field("phone_hash")
            assert isinstance(field, KeyedHashField)
            kwargs["phone_hash"] = field.hash_of(phone)
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        fields = list(fields)
        if "phone" in fields and "phone_hash" not in fields:
            field = Participant._meta.get_field("phone_hash")
            assert isinstance(field, KeyedHashField)
            objs = list(objs)
            for obj in objs:
                obj.phone_hash = field.hash_of(obj.phone)
            fields.append("phone_hash")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class ParticipantManager(models.Manager["Participant"]):
    # A plain manager to the type checker, so that callers see plain querysets.
    def get_queryset(self) -> models.QuerySet["Participant"]:
        return ParticipantQuerySet(self.model, using=self._db)


class Participant(models.Model):
    """A mentor or a mentee of one programme: one person, or a team (city-to-city)."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        TEAM = "team", _("Team")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        INTERVIEWED = "interviewed", _("Interviewed")
        READY = "ready", _("Ready to match")
        MATCHED = "matched", _("Matched")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REJECTED = "rejected", _("Not retained")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        EITHER = "either", _("Either")

    class LegalStatus(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
        REFUGEE = "refugee", _("Refugee")
        SUBSIDIARY = "subsidiary", _("Subsidiary protection")
        TEMPORARY = "temporary", _("Temporary protection")
        RESIDENT = "resident", _("Residence permit")
        CITIZEN = "citizen", _("Citizen")
        UNDOCUMENTED = "undocumented", _("No papers")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="participants"
    )
    # The cohort the participant joined (set at creation to the programme's current edition).
    edition = models.ForeignKey(
        "programmes.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PERSON)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
    )

    # Identity and contact. For a team: the team's organisation (a city and its partners).
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    team_name = models.CharField(_("team (city or organisation)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    # Encrypted at rest (binome/encryption); found by its keyed hash, never by its column.
    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)
    phone_hash = KeyedHashField(source="phone", normalise=phone_key)
    language = models.CharField(_("language for messages"), max_length=8, default="fr")
    gender = models.CharField(_("gender"), max_length=1, blank=True)
    gender_preference = models.CharField(
        _("would rather be paired with"), max_length=3, default="any"
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    country_of_origin = models.CharField(_("country of origin"), max_length=2, blank=True)
    # Sensitive: shown to coordinators and admins only (binome.accounts.roles.may_see_sensitive),
    # encrypted at rest.
    legal_status = EncryptedCharField(
        _("legal / residence status"), max_length=16, choices=LegalStatus.choices, blank=True
    )

    # Intake profile.
    languages = models.JSONField(_("languages"), default=dict, blank=True)  # {"ar": "native"}
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    mode_preference = models.CharField(
        _("meeting mode"), max_length=10, choices=Mode.choices, default=Mode.EITHER
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("maximum distance (km)"), default=15, validators=[MaxValueValidator(2000)]
    )
    availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    sector = models.CharField(_("sector / occupation (ISCO-08)"), max_length=4, blank=True)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    needs = models.JSONField(_("needs and goals"), default=list, blank=True)
    offers = models.JSONField(_("support offered"), default=list, blank=True)
    motivations = models.TextField(_("motivations"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at once"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # A mentor's commitment (one-off, a few sessions, short or long term): a duo's rhythm and
    # length follow it; blank for the programme's own rhythm.
    engagement = models.CharField(
        _("engagement"), max_length=12, choices=ENGAGEMENT_CHOICES, blank=True
    )
    training_done = models.BooleanField(_("training done"), default=False)
    intake_notes = EncryptedTextField(_("intake interview notes (coordinators only)"), blank=True)
    interviewed_at = models.DateTimeField(_("interviewed on"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every save of the profile or the status: a form opened on an older one is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ParticipantManager()

    class Meta:
        ordering = ["last_name", "first_name", "team_name", "pk"]
        indexes = [models.Index(fields=["programme", "role", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="person") | ~models.Q(first_name="", last_name=""),
                name="person_has_a_name",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="team") | ~models.Q(team_name=""),
                name="team_has_a_name",
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name

    def save(self, **kwargs: Any) -> None:
        # The phone's hash is computed at every save (KeyedHashField.pre_save): a save limited
        # to some fields writes it beside the phone, or a search would find the old number.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_hash"}
        super().save(**kwargs)

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.TEAM:
            return self.team_name
        return f"{self.first_name} {self.last_name}".strip()


class TeamMember(models.Model):
    """A member of a city-to-city team: a municipality, civil society, a municipal association."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    member_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_representative = models.BooleanField(_("represents the team"), default=False)
    # An account given to this member (binome.people.invitations.team_member_invite): they see
    # the team's duo, its visits and its action plan; the representative alone answers for the
    # team (proposals, signature).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
    )

    class Meta:
        ordering = ["-is_representative", "name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """One step of a participant's pipeline, for the timeline."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=Participant.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Participant.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why a person was not retained, withdrew…: encrypted at rest.
    note = EncryptedCharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Consent(models.Model):
    """What a participant agreed to, when, how, and who recorded it; withdrawal kept."""

    class Purpose(models.TextChoices):
        DATA_PROCESSING = "data_processing", _("Processing of my data to run the programme")
        CONTACT = "contact", _("Being contacted by the programme team")
        SHARE_WITH_PARTNER = "share_with_partner", _("Sharing my profile with my future duo")

    class Method(models.TextChoices):
        ONLINE_FORM = "online_form", _("Online form")
        PAPER = "paper", _("Signed on paper")
        ORAL = "oral", _("Oral, recorded by a coordinator")
        IMPORT = "import", _("Collected before import")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    text = models.TextField(_("text agreed to"))
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    given_at = models.DateTimeField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.purpose}"


class Guardian(models.Model):
    """A family member or legal guardian of a mentee (a minor, or an adult who wishes it).

    Coordinators only: neither the duo's other side nor the mentee's own space shows them. With
    `practical_emails` and an e-mail address, they get the duo's practical e-mails (meeting
    reminders) in their own language.
    """

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent")
        LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
        SIBLING = "sibling", _("Brother or sister")
        RELATIVE = "relative", _("Other family member")
        FOSTER = "foster", _("Foster family")
        REFERENT = "referent", _("Social worker / referent")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    is_legal_guardian = models.BooleanField(_("legal guardian"), default=False)
    language = models.CharField(_("language for messages"), max_length=8, default="fr")
    # Contacts of a third person: encrypted at rest like the participant's phone.
    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)
    email = EncryptedCharField(
        _("e-mail"), max_length=254, blank=True, validators=[EmailValidator()]
    )
    consent = models.BooleanField(_("agrees to be contacted by the programme"), default=False)
    consent_on = models.DateField(_("agreed on"), null=True, blank=True)
    consent_method = models.CharField(
        _("how"), max_length=12, choices=Consent.Method.choices, blank=True
    )
    practical_emails = models.BooleanField(
        _("gets the duo's practical e-mails (meeting reminders)"), default=False
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-is_legal_guardian", "name", "pk"]
        constraints = [
            # Practical e-mails go only to someone who agreed to be contacted.
            models.CheckConstraint(
                condition=models.Q(practical_emails=False) | models.Q(consent=True),
                name="guardian_emails_need_consent",
            )
        ]
        verbose_name = _("family member or guardian")
        verbose_name_plural = _("family and guardians")

    def __str__(self) -> str:
        return self.name
