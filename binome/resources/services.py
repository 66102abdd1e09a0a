"""Writing the library: resources, and their files checked by content and size."""

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.content import CONTENT_LANGUAGES, merge_translations
from binome.core.errors import EditConflict, Refused
from binome.programmes.models import Organisation
from binome.resources.filetypes import sniff
from binome.resources.models import Resource, ResourceFile

FIELDS = (
    "kind",
    "programme",
    "title",
    "description",
    "body",
    "url",
    "themes",
    "for_mentors",
    "for_mentees",
    "for_teams",
    "for_partners",
)


def _check(resource: Resource) -> None:
    programme = resource.programme if resource.programme_id else None
    if programme is not None and programme.organisation_id != resource.organisation_id:
        raise Refused(_("Choose a programme of the organisation."))
    if resource.kind == Resource.Kind.LINK and not resource.url:
        raise Refused(_("A link needs its address."))
    if resource.kind == Resource.Kind.GUIDE and not resource.body.strip():
        raise Refused(_("A short guide needs its text."))
    if not resource.audiences:
        raise Refused(_("Choose at least one audience."))
    resource.full_clean()


@transaction.atomic
def resource_create(
    *,
    organisation: Organisation,
    actor: User | None,
    data: dict[str, Any],
    translations: dict[str, dict[str, str]] | None = None,
) -> Resource:
    """Add a resource to the organisation's library."""
    resource = Resource(organisation=organisation, created_by=actor)
    for field in FIELDS:
        if field in data:
            setattr(resource, field, data[field])
    resource.translations = merge_translations(
        {},
        translations or {},
        fields=Resource.TRANSLATED,
        languages=organisation.content_languages,
    )
    _check(resource)
    resource.save()
    audit(actor=actor, organisation=organisation, action="resource.create", target=resource)
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    actor: User,
    version: int,
    data: dict[str, Any],
    translations: dict[str, dict[str, str]],
) -> Resource:
    """Change a resource; a form opened on an older version is refused."""
    locked = Resource.objects.select_for_update().select_related("organisation").get(pk=resource.pk)
    if locked.version != version:
        raise EditConflict(
            _("Someone saved this resource after you opened it."),
            current_version=locked.version,
        )
    changed = [field for field in FIELDS if field in data and getattr(locked, field) != data[field]]
    for field in FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    locked.translations = merge_translations(
        locked.translations,
        translations,
        fields=Resource.TRANSLATED,
        languages=locked.organisation.content_languages,
    )
    _check(locked)
    locked.version += 1
    locked.save()
    audit(
        actor=actor,
        organisation=locked.organisation,
        action="resource.update",
        target=locked,
        fields=changed,
        version=locked.version,
    )
    return locked


def _max_bytes() -> int:
    return int(getattr(settings, "RESOURCE_MAX_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def resource_file_attach(
    *, resource: Resource, actor: User | None, language: str, upload: UploadedFile[bytes]
) -> ResourceFile:
    """Store a document's file in one language (replacing that language's previous file)."""
    if language not in CONTENT_LANGUAGES:
        raise Refused(_("Choose the language of the file."))
    limit = _max_bytes()
    if upload.size is None or upload.size > limit:
        raise Refused(
            _("The file is too large: %(size)s MB at most.") % {"size": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise Refused(_("The file is empty."))
    extension = sniff(upload.file, upload.name or "") if upload.file else None
    if extension is None:
        raise Refused(
            _(
                "This file's type is not accepted: send a PDF, an office document "
                "(Word, Excel, PowerPoint, OpenDocument) or an image (JPEG, PNG, GIF, WebP)."
            )
        )
    previous = ResourceFile.objects.filter(resource=resource, language=language).first()
    if previous is not None:
        old = previous.file.name
        previous.delete()
        if old:
            transaction.on_commit(lambda: previous.file.storage.delete(old))
    stored = ResourceFile(
        resource=resource,
        language=language,
        extension=extension,
        original_name=(upload.name or f"file.{extension}")[-200:],
        size=upload.size,
    )
    stored.file.save(f"{language}.{extension}", upload, save=False)
    name = stored.file.name or ""
    # A refusal below must not leave the file behind on the disk.
    try:
        stored.full_clean()
        stored.save()
    except Exception:
        stored.file.storage.delete(name)
        raise
    audit(
        actor=actor,
        organisation=resource.organisation,
        action="resource.file_attach",
        target=resource,
        language=language,
    )
    return stored


@transaction.atomic
def resource_delete(*, resource: Resource, actor: User) -> None:
    """Remove a resource and its files."""
    names = [f.file.name for f in resource.files.all() if f.file.name]
    audit(
        actor=actor, organisation=resource.organisation, action="resource.delete", target=resource
    )
    resource.delete()

    def remove() -> None:
        for name in names:
            ResourceFile.file.field.storage.delete(name)

    transaction.on_commit(remove)
