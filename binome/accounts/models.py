from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in, by e-mail. Roles come from memberships or a participant record."""

    # Django's documented way to drop an inherited field; the stubs declare these as fields.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(_("preferred language"), max_length=8, default="fr")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    # By e-mail, not by username: not a subtype of auth's UserManager, whose methods take one.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    """A user's role in one organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        COORDINATOR = "coordinator", _("Coordinator")
        VIEWER = "viewer", _("Viewer (aggregated figures)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.role}"


class SessionRecord(models.Model):
    """Who a logged-in session belongs to, for the list a user sees on their Security page.

    Django's database sessions keep their data signed and opaque: this says whose session a row
    is, since when, and roughly from what, without the session key ever leaving the server (the
    page and its forms use this record's own id). Deleting the session deletes this record.
    Only what a person needs to recognise their own device: a coarse description of the
    browser and system, and the network address cut to its network part.
    """

    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="record"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_records")
    created_at = models.DateTimeField(_("logged in"))
    last_seen_at = models.DateTimeField(_("last seen"))
    device = models.CharField(_("device"), max_length=80, blank=True)
    network = models.CharField(_("network"), max_length=48, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} · {self.device}"
