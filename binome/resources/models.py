"""A library of documents, links and short guides per organisation, for an audience."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binome.core.content import Translatable


class Audience(models.TextChoices):
    MENTORS = "mentors", _("Mentors")
    MENTEES = "mentees", _("Mentees")
    TEAMS = "teams", _("Teams")
    PARTNERS = "partners", _("Partners")


class Resource(Translatable):
    """A document, a link or a short guide; its files are kept per language (ResourceFile)."""

    TRANSLATED = ("title", "description", "body")

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")
        GUIDE = "guide", _("Short guide")

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="resources"
    )
    # Empty: every programme of the organisation.
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resources",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("summary"), blank=True, max_length=2000)
    body = models.TextField(_("guide"), blank=True, max_length=20000)
    url = models.URLField(_("link"), blank=True, max_length=500)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # The audience, as columns a library page filters on in the database.
    for_mentors = models.BooleanField(_("for mentors"), default=True)
    for_mentees = models.BooleanField(_("for mentees"), default=False)
    for_teams = models.BooleanField(_("for teams"), default=False)
    for_partners = models.BooleanField(_("for partners"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def source_language(self) -> str:
        return self.organisation.source_language

    @property
    def audiences(self) -> list[str]:
        return [code for code in Audience.values if getattr(self, f"for_{code}")]

    def languages(self) -> list[str]:
        """The languages the resource is readable in: its texts' and its files'."""
        found = [self.source_language()] if self.kind != self.Kind.DOCUMENT else []
        for texts in (self.translations or {}).values():
            found += [code for code in texts if code not in found]
        found += [f.language for f in self.files.all() if f.language not in found]
        return found


def resource_upload_to(instance: "ResourceFile", filename: str) -> str:
    # The stored name says nothing of the original one, which may name a person.
    return f"resources/{instance.resource_id}/{instance.language}.{instance.extension}"


class ResourceFile(models.Model):
    """One language's file of a document, stored privately, served only by resources:file."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=resource_upload_to)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "language"], name="one_file_per_language")
        ]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name
