"""The agreement's text: placeholders, filling, languages, blocks and hashes. Nothing written.

Until the first signature an agreement's text is computed when it is read, from the programme's
template and the duo as it is now (names, dates, coordinator), so what a signer reads is what
they sign; the first signature stores the texts, which then never change (frozen with a hash
once all three have signed).
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binome.duos.agreement_defaults import SHIPPED_TRANSLATIONS, default_text
from binome.duos.models import Agreement, AgreementTemplate, Duo, Signature
from binome.duos.periods import duration_months
from binome.reference import cldr

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from binome.programmes.models import Programme

# What an admin may write in a template, and what each name becomes in a duo's agreement.
PLACEHOLDERS: dict[str, StrOrPromise] = {
    "mentor": gettext_lazy("the mentor's name (for city-to-city: the mentor team)"),
    "mentee": gettext_lazy("the mentee's name (for city-to-city: the mentee team)"),
    "programme": gettext_lazy("the programme's name"),
    "organisation": gettext_lazy("the organisation's name"),
    "start": gettext_lazy("the start date"),
    "end": gettext_lazy("the planned end date"),
    "meetings_per_month": gettext_lazy("meetings expected per month"),
    "duration_months": gettext_lazy("duration in months"),
    "coordinator": gettext_lazy("the coordinator's name"),
    "coordinator_contact": gettext_lazy("the coordinator's e-mail (or the organisation's)"),
}
# A signer reads the agreement in their language, else in these, in this order.
FALLBACK_LANGUAGES = ("fr", "en")


def template_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# Hashes: the proof that a text was not changed after it was signed.


def text_hash(text: str) -> str:
    """Return the SHA-256 of one text, as signed in one language."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def texts_hash(texts: dict[str, str]) -> str:
    """Return the SHA-256 of the canonical JSON of all the texts (sorted keys, no spaces)."""
    canonical = json.dumps(texts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_intact(agreement: Agreement) -> bool:
    """Tell whether a frozen agreement's stored texts still hash to the hash taken at freezing."""
    return bool(agreement.text_hash) and texts_hash(agreement.texts) == agreement.text_hash


# Templates and their placeholders.


def unknown_placeholders(body: str) -> list[str]:
    """List the $names of a template that are not placeholders, in order of appearance."""
    unknown = []
    for found in string.Template.pattern.finditer(body):
        name = found.group("named") or found.group("braced")
        if name and name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def template_bodies(programme: Programme) -> dict[str, tuple[str, bool]]:
    """Map each language with a text to (body, saved): the saved template, else the default."""
    bodies: dict[str, tuple[str, bool]] = {}
    for language in template_languages():
        default = default_text(programme.kind, language)
        if default:
            bodies[language] = (default, False)
    for template in AgreementTemplate.objects.filter(programme=programme):
        bodies[template.language] = (template.body, True)
    return bodies


def unchecked_languages(programme: Programme) -> list[str]:
    """The languages whose text is still a translation Binôme ships, not yet checked by an admin.

    An admin checks a language by confirming the shipped text or by saving her own: either way
    the programme then has its own template in that language.
    """
    return sorted(
        language
        for language, (_body, saved) in template_bodies(programme).items()
        if not saved and language in SHIPPED_TRANSLATIONS
    )


def format_count(value: Decimal | float) -> str:
    # 2 → "2", 1.5 → "1,5" in French: the number reads as a person would write it.
    return floatformat(value, -2)


def placeholder_values(duo: Duo, language: str) -> dict[str, str]:
    """Return what each placeholder becomes in this duo's agreement, formatted for `language`."""
    programme = duo.programme
    organisation = programme.organisation
    coordinator = duo.coordinator
    with translation.override(language):
        return {
            "mentor": duo.mentor.display_name,
            "mentee": duo.mentee.display_name,
            "programme": programme.localized("name", language).text,
            "organisation": organisation.name,
            "start": cldr.format_date(duo.started_on) if duo.started_on else "—",
            "end": cldr.format_date(duo.planned_end_on) if duo.planned_end_on else "—",
            # The duo's own rhythm and length (its engagement level, or a correction).
            "meetings_per_month": format_count(duo.rhythm),
            "duration_months": str(duration_months(duo)),
            "coordinator": coordinator.full_name if coordinator else _("the project coordinator"),
            "coordinator_contact": (coordinator.email if coordinator else "")
            or organisation.contact_email
            or "—",
        }


def fill(body: str, values: dict[str, str]) -> str:
    """Fill a template's placeholders; never a template engine, so an admin's text runs nothing."""
    return string.Template(body).safe_substitute(values)


def pick_language(available: Collection[str], *wanted: str | None) -> str:
    """Return the first of wanted, then French, then English, then any, that has a text."""
    for language in (*wanted, *FALLBACK_LANGUAGES):
        if language and language in available:
            return language
    return next(iter(sorted(available)), FALLBACK_LANGUAGES[0])


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


def text_blocks(text: str) -> list[Block]:
    """Split an agreement into headings ("## "), lists ("- ") and paragraphs, for page and PDF."""
    blocks: list[Block] = []
    lines: list[str] = []

    def end_paragraph() -> None:
        if lines:
            blocks.append(Block("paragraph", " ".join(lines)))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            end_paragraph()
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith("- "):
            end_paragraph()
            if not blocks or blocks[-1].kind != "list":
                blocks.append(Block("list"))
            blocks[-1].items.append(line[2:].strip())
        elif line:
            lines.append(line)
        else:
            end_paragraph()
            if blocks and blocks[-1].kind == "list":
                blocks.append(Block("paragraph"))  # a blank line closes the list
    end_paragraph()
    return [block for block in blocks if block.text or block.items or block.kind == "heading"]


def generate_texts(duo: Duo) -> dict[str, str]:
    """Return the duo's agreement, filled now, in every language its programme has a text for."""
    return {
        language: fill(body, placeholder_values(duo, language))
        for language, (body, _saved) in sorted(template_bodies(duo.programme).items())
    }


def texts_of(agreement: Agreement | None, duo: Duo) -> dict[str, str]:
    """Return the texts as signed (stored at the first signature), else as they would be now."""
    if agreement is not None and agreement.texts:
        return agreement.texts
    return generate_texts(duo)


def agreement_as_shown(duo: Duo) -> Agreement:
    """Return the duo's agreement with the texts a reader sees now; nothing is written.

    A duo formed before agreements existed gets an unsaved one (no signatures yet).
    """
    agreement = Agreement.objects.prefetch_related("signatures").filter(duo=duo).first()
    shown = agreement or Agreement(duo=duo)
    shown.texts = texts_of(agreement, duo)
    return shown


def signatures_of(agreement: Agreement) -> list[Signature]:
    return list(agreement.signatures.all()) if agreement.pk else []
