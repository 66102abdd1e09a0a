"""The mentoring agreement's writes: opened, its template saved, signed online or on paper, frozen.

The text work (placeholders, filling, hashing) is in binome.duos.agreement_text; nothing here
runs on a read.
"""

from __future__ import annotations

import datetime
import re
import secrets
import unicodedata
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.core.audit import audit
from binome.duos.access import duo_sides
from binome.duos.agreement_defaults import SHIPPED_TRANSLATIONS, default_text
from binome.duos.agreement_text import (
    PLACEHOLDERS,
    generate_texts,
    pick_language,
    template_languages,
    text_hash,
    texts_hash,
    unknown_placeholders,
)
from binome.duos.models import Agreement, AgreementTemplate, Duo, Signature
from binome.duos.services.common import DuoError, require_open
from binome.duos.services.plan import EditConflict, conflict_message, user_name
from binome.reference import cldr

if TYPE_CHECKING:
    from binome.programmes.models import Programme

Party = Signature.Party

SCAN_MAX_BYTES = 5 * 1024 * 1024
# A scan is judged by its first bytes, not by the name the browser sends.
SCAN_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
BODY_MAX_CHARS = 50_000


@transaction.atomic
def agreement_open(*, duo: Duo, actor: User | None) -> Agreement:
    """Open the duo's agreement for signatures; its texts are computed on read until one signs."""
    agreement, created = Agreement.objects.get_or_create(duo=duo)
    if created:
        audit(
            actor=actor,
            organisation=duo.programme.organisation,
            action="agreement.open",
            target=agreement,
        )
    return agreement


def template_stamp(template: AgreementTemplate | None) -> str:
    """What the edit form remembers of the saved template, to notice a save made meanwhile."""
    return template.updated_at.isoformat() if template is not None else ""


def _template_conflict(template: AgreementTemplate | None) -> EditConflict:
    by = user_name(template.updated_by) if template is not None else ""
    return EditConflict(
        conflict_message(what=_("agreement template"), by=by, changed=[]),
        current_version=None,
        changed=[],
        by=by,
    )


@transaction.atomic
def agreement_template_save(
    *, programme: Programme, language: str, body: str, actor: User, based_on: str | None = None
) -> AgreementTemplate:
    """Save a programme's agreement template in one language; unsigned agreements follow it
    (their texts are computed on read).

    `based_on` is the template_stamp the form was opened with: if someone saved the template
    since, EditConflict is raised and nothing is saved.
    """
    if language not in template_languages():
        raise DuoError(_("This language is not offered."))
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise DuoError(_("The agreement text cannot be empty."))
    if len(body) > BODY_MAX_CHARS:
        raise DuoError(
            _("The agreement text is too long (%(max)s characters at most).")
            % {"max": BODY_MAX_CHARS}
        )
    unknown = unknown_placeholders(body)
    if unknown:
        raise DuoError(
            _("Unknown placeholder: %(unknown)s. The placeholders are: %(known)s.")
            % {
                "unknown": ", ".join(f"${name}" for name in unknown),
                "known": ", ".join(f"${name}" for name in PLACEHOLDERS),
            }
        )
    saved = (
        # of=self: PostgreSQL refuses to lock the nullable side of the updated_by outer join.
        AgreementTemplate.objects.select_for_update(of=("self",))
        .filter(programme=programme, language=language)
        .select_related("updated_by")
        .first()
    )
    if based_on is not None and based_on != template_stamp(saved):
        raise _template_conflict(saved)
    template = saved or AgreementTemplate(programme=programme, language=language)
    template.body = body
    template.updated_by = actor
    template.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        # Two first saves of this language at once: the other one was first.
        raise _template_conflict(None) from error
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="agreement.template_save",
        target=template,
        language=language,
    )
    return template


@transaction.atomic
def agreement_template_confirm(
    *, programme: Programme, language: str, actor: User
) -> AgreementTemplate:
    """Confirm, for a programme, a translation Binôme ships: it becomes the programme's template."""
    if language not in SHIPPED_TRANSLATIONS:
        raise DuoError(_("This language has no translation to confirm."))
    body = default_text(programme.kind, language)
    if not body:
        raise DuoError(_("This language has no translation to confirm."))
    if AgreementTemplate.objects.filter(programme=programme, language=language).exists():
        raise DuoError(_("This programme already has its own text in this language."))
    template = AgreementTemplate(
        programme=programme, language=language, body=body.strip(), updated_by=actor
    )
    template.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        raise _template_conflict(None) from error
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="agreement.template_confirm",
        target=template,
        language=language,
    )
    return template


def normalise_name(value: str) -> str:
    """Compare names without case, accents, hyphens, extra spaces or word order."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = re.split(r"[\s\-\u2010\u2011'\u2019.,]+", bare)
    return " ".join(sorted(word for word in words if word))


def may_sign(user: object, duo: Duo, party: str) -> bool:
    """Tell whether this user may confirm the agreement online for this party."""
    if not getattr(user, "is_authenticated", False):
        return False
    if party == Party.COORDINATOR:
        return is_staff_of(user, duo.programme.organisation_id)
    return party in duo_sides(user, duo)


def signer_names(user: User, duo: Duo, party: str) -> list[str]:
    """Return the names this signer may type: their record's and their account's."""
    names = [user.full_name]
    if party == Party.COORDINATOR:
        return names
    participant = getattr(duo, party)
    if participant.kind == participant.Kind.TEAM:
        email = (user.email or "").casefold()
        names += [
            member.name
            for member in participant.members.all()
            if member.is_representative and (member.email or "").casefold() == email
        ]
    else:
        names.append(participant.display_name)
    return [name for name in names if name]


def signer_language(duo: Duo, party: str, user: User | None = None) -> str | None:
    """Return the language a party reads in: the participant's, or the coordinator's account's."""
    language: str | None
    if party == Party.COORDINATOR:
        person = user or duo.coordinator
        language = getattr(person, "language", None)
        return language
    language = getattr(duo, party).language
    return language


def _lock_open_agreement(duo: Duo, party: str) -> Agreement:
    require_open(duo)
    # The duo's row is locked (require_open): two first signatures cannot both create it.
    agreement, _created = Agreement.objects.select_for_update().get_or_create(duo=duo)
    if agreement.frozen_at:
        raise DuoError(_("The agreement is already signed by everyone."))
    if party not in Party.values:
        raise DuoError(_("Unknown party."))
    if agreement.signatures.filter(party=party).exists():
        raise DuoError(
            _("This party has already signed the agreement: %(party)s.")
            % {"party": Party(party).label}
        )
    return agreement


def _store_texts_at_first_signature(agreement: Agreement, duo: Duo) -> None:
    """Keep the texts the first signer signs: from then on they never change.

    They are what the template says now; if that differs from the text the signer was shown, the
    refusal that follows (seen_hash) rolls this back and the page shows the new text to sign.
    """
    if agreement.texts:
        return
    agreement.texts = generate_texts(duo)
    agreement.save(update_fields=["texts"])


def _signed(signature: Signature, duo: Duo, actor: User) -> None:
    """Audit a signature just stored, then freeze the agreement if it was the last one."""
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="agreement.sign",
        target=signature.agreement,
        party=signature.party,
        method=signature.method,
    )
    _freeze_if_complete(signature.agreement, duo, actor)


def _freeze_if_complete(agreement: Agreement, duo: Duo, actor: User) -> None:
    """Freeze the texts and start the duo once mentor, mentee and coordinator have all signed."""
    from binome.people.models import Participant
    from binome.people.services import participant_set_status

    signed = set(agreement.signatures.values_list("party", flat=True))
    if signed != set(Party.values):
        return
    now = timezone.now()
    agreement.frozen_at = now
    agreement.text_hash = texts_hash(agreement.texts)
    agreement.save(update_fields=["frozen_at", "text_hash"])
    duo.status = Duo.Status.ACTIVE
    duo.activated_at = now
    duo.save(update_fields=["status", "activated_at"])
    # Read afresh: a mentor with several mentees may be active already from an earlier duo.
    matched = Participant.objects.filter(
        pk__in=[duo.mentor_id, duo.mentee_id], status=Participant.Status.MATCHED
    )
    for participant in matched:
        participant_set_status(
            participant=participant,
            to_status=Participant.Status.ACTIVE,
            actor=actor,
            note=_("Mentoring agreement signed by all"),
        )
    audit(
        actor=actor,
        organisation=duo.programme.organisation,
        action="agreement.freeze",
        target=agreement,
        text_hash=agreement.text_hash,
    )


@transaction.atomic
def agreement_sign(
    *, duo: Duo, party: str, actor: User, typed_name: str, language: str, seen_hash: str = ""
) -> Signature:
    """Record a party's online confirmation, by their typed full name, of the text in a language."""
    if not may_sign(actor, duo, party):
        raise DuoError(_("You cannot sign this agreement for this party."))
    agreement = _lock_open_agreement(duo, party)
    _store_texts_at_first_signature(agreement, duo)
    if language not in agreement.texts:
        raise DuoError(_("The agreement does not exist in this language."))
    signed_hash = text_hash(agreement.texts[language])
    # Compared here only, at the moment of signing (the sign form always sends it).
    if seen_hash and seen_hash != signed_hash:
        raise DuoError(_("The text of the agreement has just changed: read it again, then sign."))
    typed = " ".join((typed_name or "").split())
    if not typed:
        raise DuoError(_("Type your full name to sign."))
    if normalise_name(typed) not in {normalise_name(n) for n in signer_names(actor, duo, party)}:
        raise DuoError(
            _("The name you typed does not match the name we have for you. Type your full name.")
        )
    signature = Signature(
        agreement=agreement,
        party=party,
        method=Signature.Method.ONLINE,
        typed_name=typed[:200],
        language=language,
        text_hash=signed_hash,
        signed_at=timezone.now(),
        user=actor,
    )
    signature.full_clean()
    signature.save()
    _signed(signature, duo, actor)
    return signature


def _scan_extension(scan: UploadedFile[bytes] | None) -> str:
    if scan is None:
        raise DuoError(_("Attach the scan of the signed paper."))
    # An upload, from a request or built by hand, knows its size.
    assert scan.size is not None
    if scan.size > SCAN_MAX_BYTES:
        raise DuoError(_("The scan is too large: 5 MB at most."))
    scan.seek(0)
    head = scan.read(8)
    scan.seek(0)
    for magic, extension in SCAN_SIGNATURES.items():
        if head.startswith(magic):
            return extension
    raise DuoError(_("The scan must be a PDF, JPEG or PNG file."))


def agreement_record_paper(
    *,
    duo: Duo,
    party: str,
    actor: User,
    signer_name: str,
    signed_on: datetime.date,
    scan: UploadedFile[bytes],
    language: str | None = None,
) -> Signature:
    """Record a signature made on paper, with its scan, for any party (organisation staff only)."""
    stored: list[Signature] = []
    try:
        with transaction.atomic():
            return _record_paper(
                duo=duo,
                party=party,
                actor=actor,
                signer_name=signer_name,
                signed_on=signed_on,
                scan=scan,
                language=language,
                stored=stored,
            )
    except BaseException:
        # Rolled back (or the commit failed): the scan written to disk belongs to nothing.
        for signature in stored:
            # Stored once its scan was saved under its name.
            assert signature.scan.name is not None
            signature.scan.storage.delete(signature.scan.name)
        raise


def _record_paper(
    *,
    duo: Duo,
    party: str,
    actor: User,
    signer_name: str,
    signed_on: datetime.date,
    scan: UploadedFile[bytes],
    language: str | None,
    stored: list[Signature],
) -> Signature:
    if not is_staff_of(actor, duo.programme.organisation_id):
        raise DuoError(_("Only the organisation's coordinators can record a paper signature."))
    agreement = _lock_open_agreement(duo, party)
    name = " ".join((signer_name or "").split())
    if not name:
        raise DuoError(_("Type the name of the person who signed."))
    today = timezone.localdate()
    created_on = timezone.localdate(duo.created_at)
    if signed_on is None or signed_on > today:
        raise DuoError(_("The date of the signature cannot be in the future."))
    if signed_on < created_on:
        raise DuoError(
            _("The date of the signature cannot be before the duo was formed (%(day)s).")
            % {"day": cldr.format_date(created_on, "medium")}
        )
    extension = _scan_extension(scan)
    _store_texts_at_first_signature(agreement, duo)
    language = language or pick_language(agreement.texts, signer_language(duo, party))
    if language not in agreement.texts:
        raise DuoError(_("The agreement does not exist in this language."))
    signed_at = (
        timezone.now()
        if signed_on == today
        else timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12)))
    )
    signature = Signature(
        agreement=agreement,
        party=party,
        method=Signature.Method.PAPER,
        typed_name=name[:200],
        language=language,
        text_hash=text_hash(agreement.texts[language]),
        signed_at=signed_at,
        user=actor,
    )
    # A random name: the browser's file name may hold a person's name.
    file_name = f"duo-{duo.pk}-{party}-{secrets.token_hex(8)}.{extension}"
    # Validated before anything is written to disk, with the name the file will have.
    signature.scan.name = signature.scan.field.generate_filename(signature, file_name)
    signature.full_clean()
    signature.scan.save(file_name, scan, save=False)
    stored.append(signature)
    signature.save()
    _signed(signature, duo, actor)
    return signature
