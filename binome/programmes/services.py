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
from binome.core.forms import without_controls
from binome.programmes.models import Edition, Organisation, Programme, VocabularyItem
from binome.programmes.vocabularies import FIXED, REQUIRED, defaults, label_in_languages

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
    vocabulary_defaults_create(programme=programme)
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


# Its programme's lists: what a coordinator adds, rewords, reorders, retires and brings back.

CODE_TAKEN = _("This list already has an item with this name.")
LAST_IN_USE = _("This list needs at least one item in use: add another before retiring this one.")
FIXED_LIST = _("Binôme acts on the items of this list: they can be reworded, not added.")


@transaction.atomic
def vocabulary_defaults_create(*, programme: Programme) -> int:
    """Give a programme the default lists of its kind (those it lacks); return how many items."""
    languages = programme.organisation.content_languages or ["fr"]
    existing = set(
        VocabularyItem.objects.filter(programme=programme).values_list("vocabulary", "code")
    )
    created = []
    for vocabulary, items in defaults(
        programme.kind, needs=programme.needs or [], themes=programme.themes or []
    ).items():
        for position, (code, label) in enumerate(items):
            if (vocabulary, code) in existing:
                continue
            text, others = label_in_languages(label, languages)
            created.append(
                VocabularyItem(
                    programme=programme,
                    vocabulary=vocabulary,
                    code=code[:200],
                    label=text[:200],
                    translations={"label": others} if others else {},
                    position=position,
                )
            )
    VocabularyItem.objects.bulk_create(created)
    return len(created)


def _check_version(item: VocabularyItem, expected_version: int) -> VocabularyItem:
    locked = VocabularyItem.objects.select_for_update().get(pk=item.pk)
    if locked.version != expected_version:
        raise EditConflict(
            conflict_message(what=gettext("list item")),
            current_version=locked.version,
        )
    locked.programme = item.programme
    return locked


def _item_translations(
    programme: Programme, stored: dict[str, dict[str, str]], typed: dict[str, str]
) -> dict[str, dict[str, str]]:
    shown = [
        code for code in programme.organisation.content_languages[1:] if code in CONTENT_LANGUAGES
    ]
    texts = {code: text.strip()[:200] for code, text in typed.items() if code in shown}
    return merge_translations(
        stored, {"label": {c: t for c, t in texts.items() if t}}, fields=["label"], languages=shown
    )


def _free_code(programme: Programme, vocabulary: str, label: str) -> str:
    base = slugify(label)[:60] or "item"
    taken = set(
        VocabularyItem.objects.filter(
            programme=programme, vocabulary=vocabulary, code__startswith=base
        ).values_list("code", flat=True)
    )
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def vocabulary_item_add(
    *,
    programme: Programme,
    actor: User,
    vocabulary: str,
    label: str,
    translations: dict[str, str] | None = None,
) -> VocabularyItem:
    """Add an item at the end of one of a programme's lists, its code made from its label."""
    if vocabulary in FIXED:
        raise ValidationError({"label": FIXED_LIST})
    label = without_controls(label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the item a name.")})
    siblings = VocabularyItem.objects.filter(programme=programme, vocabulary=vocabulary)
    if any(
        other.casefold() == label.casefold() for other in siblings.values_list("label", flat=True)
    ):
        raise ValidationError({"label": CODE_TAKEN})
    last = siblings.order_by("-position").values_list("position", flat=True).first()
    item = VocabularyItem(
        programme=programme,
        vocabulary=vocabulary,
        code=_free_code(programme, vocabulary, label),
        label=label[:200],
        translations=_item_translations(programme, {}, translations or {}),
        position=(last or 0) + 1 if last is not None else 0,
    )
    item.full_clean()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise ValidationError({"label": CODE_TAKEN}) from error
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="vocabulary.add",
        target=item,
        vocabulary=vocabulary,
        code=item.code,
    )
    return item


@transaction.atomic
def vocabulary_item_update(
    *,
    item: VocabularyItem,
    actor: User,
    expected_version: int,
    label: str,
    translations: dict[str, str] | None = None,
) -> VocabularyItem:
    """Reword an item and its translations; its code, and so the records naming it, stay."""
    locked = _check_version(item, expected_version)
    label = without_controls(label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the item a name.")})
    locked.label = label[:200]
    locked.translations = _item_translations(
        locked.programme, locked.translations or {}, translations or {}
    )
    locked.full_clean()
    locked.version += 1
    locked.save(update_fields=["label", "translations", "version"])
    audit(
        actor=actor,
        organisation=locked.programme.organisation,
        action="vocabulary.update",
        target=locked,
        version=locked.version,
    )
    return locked


@transaction.atomic
def vocabulary_item_move(
    *, item: VocabularyItem, actor: User, expected_version: int, up: bool
) -> VocabularyItem:
    """Swap an item with the one before (up) or after it in its list."""
    locked = _check_version(item, expected_version)
    siblings = list(
        VocabularyItem.objects.select_for_update()
        .filter(programme_id=locked.programme_id, vocabulary=locked.vocabulary)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(siblings) if other.pk == locked.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(siblings):
        siblings.insert(target, siblings.pop(index))
        for position, other in enumerate(siblings):
            if other.position != position or other.pk == locked.pk:
                other.position = position
                if other.pk == locked.pk:
                    other.version = locked.version + 1
                other.save(update_fields=["position", "version"])
    locked.refresh_from_db()
    audit(
        actor=actor,
        organisation=item.programme.organisation,
        action="vocabulary.move",
        target=locked,
    )
    return locked


@transaction.atomic
def vocabulary_item_retire(
    *, item: VocabularyItem, actor: User, expected_version: int, retire: bool = True
) -> VocabularyItem:
    """Stop offering an item (or offer it again); the records that chose it keep its label."""
    locked = _check_version(item, expected_version)
    if retire and locked.retired_at is None and locked.vocabulary in REQUIRED:
        in_use = VocabularyItem.objects.filter(
            programme_id=locked.programme_id, vocabulary=locked.vocabulary, retired_at=None
        )
        if in_use.count() <= 1:
            raise ValidationError(LAST_IN_USE)
    locked.retired_at = (locked.retired_at or timezone.now()) if retire else None
    locked.version += 1
    locked.save(update_fields=["retired_at", "version"])
    audit(
        actor=actor,
        organisation=locked.programme.organisation,
        action="vocabulary.retire" if retire else "vocabulary.restore",
        target=locked,
    )
    return locked
