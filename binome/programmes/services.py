"""Every write to programmes, and the public application, goes through here: atomic, audited."""

import datetime
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binome.accounts.models import User
from binome.core.audit import audit, changes_since
from binome.core.content import CONTENT_LANGUAGES, merge_translations
from binome.core.errors import EditConflict, conflict_message
from binome.programmes.models import Edition, Organisation, Programme

SLUG_TAKEN = _("Another programme of this organisation already uses this short name.")


class ProgrammeFields(TypedDict, total=False):
    """A programme's settings, as the programme form cleans them."""

    name: str
    slug: str
    kind: str
    description: str
    audience: str
    commitment: str
    languages: list[str]
    mode: str
    city: str
    duration_months: int
    meetings_per_month: Decimal
    default_mentor_capacity: int
    intercultural_method: bool | None
    needs: list[str]
    themes: list[str]
    applications_open: bool
    listed: bool
    # The texts typed in the organisation's other languages: {field: {language: text}}.
    translations: dict[str, dict[str, str]]


def _check_slug_free(programme: Programme) -> None:
    taken = Programme.objects.filter(
        organisation_id=programme.organisation_id, slug=programme.slug
    ).exclude(pk=programme.pk)
    if taken.exists():
        raise ValidationError({"slug": SLUG_TAKEN})


def _save(programme: Programme, update_fields: list[str] | None = None) -> None:
    try:
        # A savepoint, so that a concurrent duplicate slug leaves the transaction usable.
        with transaction.atomic():
            programme.save(update_fields=update_fields)
    except IntegrityError as error:
        raise ValidationError({"slug": SLUG_TAKEN}) from error


@transaction.atomic
def programme_create(
    *, organisation: Organisation, actor: User, **fields: Unpack[ProgrammeFields]
) -> Programme:
    """Create a programme of an organisation (the slug defaults to the name)."""
    if "translations" in fields:
        fields["translations"] = _merged_translations(organisation, {}, fields["translations"])
    programme = Programme(organisation=organisation, **fields)
    if not programme.slug:
        programme.slug = slugify(programme.name)[:50]
    _check_slug_free(programme)
    programme.full_clean()
    _save(programme)
    audit(actor=actor, organisation=organisation, action="programme.create", target=programme)
    start = timezone.localdate()
    edition_create(
        programme=programme, actor=actor, name=default_edition_name(start), starts_on=start
    )
    return programme


def _merged_translations(
    organisation: Organisation,
    stored: dict[str, dict[str, str]],
    typed: dict[str, dict[str, str]],
) -> dict[str, dict[str, str]]:
    """The texts typed in the organisation's languages; those of languages it dropped are kept."""
    shown = [code for code in organisation.content_languages[1:] if code in CONTENT_LANGUAGES]
    typed = {
        field: {code: text for code, text in texts.items() if code in shown}
        for field, texts in typed.items()
        if field in Programme.TRANSLATED
    }
    return merge_translations(stored, typed, fields=Programme.TRANSLATED, languages=shown)


def _field_labels(model: type[Model], names: list[str]) -> list[str]:
    """Return the labels of the named fields, in the model's order."""
    return [str(f.verbose_name) for f in model._meta.concrete_fields if f.name in names]


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    actor: User,
    expected_version: int,
    **fields: Unpack[ProgrammeFields],
) -> Programme:
    """Change a programme's settings, refusing if someone saved them since `expected_version`."""
    if "organisation" in fields or "organisation_id" in fields:
        raise ValueError("a programme does not move to another organisation")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.version != expected_version:
        by, names = changes_since(
            target=locked, action="programme.update", version=expected_version
        )
        changed = _field_labels(Programme, names)
        raise EditConflict(
            conflict_message(what=gettext("programme"), by=by, changed=changed),
            current_version=locked.version,
            changed=changed,
            by=by,
        )
    if "translations" in fields:
        fields["translations"] = _merged_translations(
            locked.organisation, locked.translations, fields["translations"]
        )
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    for name, value in fields.items():
        setattr(locked, name, value)
    if not locked.slug:
        locked.slug = slugify(locked.name)[:50]
        changed = sorted({*changed, "slug"})
    _check_slug_free(locked)
    locked.full_clean()
    locked.version += 1
    _save(locked, update_fields=[*changed, "version"])
    programme.refresh_from_db()
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="programme.update",
        target=programme,
        fields=changed,
        version=programme.version,
    )
    return programme


class OrganisationFields(TypedDict, total=False):
    """An organisation's settings, as its settings form cleans them."""

    require_two_factor: bool
    content_languages: list[str]


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    actor: User,
    expected_version: int,
    **fields: Unpack[OrganisationFields],
) -> Organisation:
    """Change an organisation's settings, refusing if someone saved them since the version."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.version != expected_version:
        by, names = changes_since(
            target=locked, action="organisation.update", version=expected_version
        )
        changed = _field_labels(Organisation, names)
        raise EditConflict(
            conflict_message(what=gettext("organisation"), by=by, changed=changed),
            current_version=locked.version,
            changed=changed,
            by=by,
        )
    if "content_languages" in fields:
        languages = fields["content_languages"]
        if not languages or any(code not in CONTENT_LANGUAGES for code in languages):
            raise ValidationError({"content_languages": _("Choose languages Binôme offers.")})
        fields["content_languages"] = list(dict.fromkeys(languages))
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.version += 1
    locked.save(update_fields=[*changed, "version"])
    organisation.refresh_from_db()
    audit(
        actor=actor,
        organisation=organisation,
        action="organisation.update",
        target=organisation,
        fields=changed,
        version=organisation.version,
    )
    return organisation


EDITION_NAME_TAKEN = _("This programme already has an edition of this name.")


def default_edition_name(start: datetime.date) -> str:
    """Name an edition by the school year it starts in ("2025–2026"), as associations do."""
    first = start.year if start.month >= 9 else start.year - 1
    return f"{first}–{first + 1}"


def _save_edition(edition: Edition, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            edition.save(update_fields=update_fields)
    except IntegrityError as error:
        raise ValidationError({"name": EDITION_NAME_TAKEN}) from error


def _check_edition(edition: Edition) -> None:
    taken = Edition.objects.filter(programme_id=edition.programme_id, name=edition.name)
    if taken.exclude(pk=edition.pk).exists():
        raise ValidationError({"name": EDITION_NAME_TAKEN})
    if edition.ends_on and edition.starts_on and edition.ends_on <= edition.starts_on:
        raise ValidationError({"ends_on": _("An edition ends after it starts.")})


@transaction.atomic
def edition_create(
    *,
    programme: Programme,
    actor: User | None,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    lessons: str = "",
) -> Edition:
    """Open a new edition (cohort) of a programme; newcomers join it once it has started."""
    edition = Edition(
        programme=programme, name=name, starts_on=starts_on, ends_on=ends_on, lessons=lessons
    )
    _check_edition(edition)
    edition.full_clean()
    _save_edition(edition)
    audit(actor=actor, organisation=programme.organisation, action="edition.create", target=edition)
    return edition


@transaction.atomic
def edition_update(
    *,
    edition: Edition,
    actor: User,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    lessons: str = "",
) -> Edition:
    """Rename an edition, change its dates or its written lessons."""
    edition.name, edition.starts_on, edition.ends_on = name, starts_on, ends_on
    edition.lessons = lessons
    _check_edition(edition)
    edition.full_clean()
    _save_edition(edition, update_fields=["name", "starts_on", "ends_on", "lessons"])
    audit(
        actor=actor,
        organisation=edition.programme.organisation,
        action="edition.update",
        target=edition,
    )
    return edition
