"""Does erasure leave anything behind? A participant whose every text holds a canary goes
through Binôme's journeys, is erased, and the whole database and media folder are searched.

Used by `manage.py privacy_check CANARY` and its test. The participant lives in an
organisation of her own, made for the check and deleted after it (with `keep`, left).
What "the whole database" is:
- PostgreSQL: `pg_dump` of the database (schema and rows). Old row versions that PostgreSQL
  keeps until VACUUM reclaims them are not in a dump; they are in the data directory's files
  until then (see binome.privacy.services.erasure).
- SQLite: every row as SQL (Python's `iterdump`), and the raw bytes of the database file and of
  its write-ahead log, where deleted text would survive without `secure_delete` and the
  checkpoint that erasure makes. An in-memory database (the tests') has no file to read.
The search is case-insensitive, and looks for the canary, her e-mail address and her phone.
"""

import datetime
import io
import os
import secrets
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from binome.accounts.models import Membership, User
from binome.core.audit import audit
from binome.duos.models import Duo, Signature
from binome.duos.services import agreement as agreement_services
from binome.duos.services import closure, meetings, plan, supervision
from binome.matching.models import Proposal
from binome.matching.services import proposal_answer
from binome.notifications.dispatch import notifications_run
from binome.partners import services as partner_services
from binome.people import services as people_services
from binome.people.applications.services import application_submit
from binome.people.importing.records import Table
from binome.people.importing.storage import store_table
from binome.people.models import Consent, Participant
from binome.privacy.services import audit_guard_lowered
from binome.privacy.services.erasure import participant_erase, storage_compact
from binome.programmes.models import Organisation, Programme

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}}


@dataclass
class CheckResult:
    """Where the canary was found before and after the erasure, place by place."""

    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    emails_sent: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not any(self.after.values())


def _count(haystack: bytes, needles: list[bytes]) -> int:
    lowered = haystack.lower()
    return sum(lowered.count(needle.lower()) for needle in needles)


def _database_places(notes: list[str]) -> dict[str, Callable[[], bytes]]:
    """The whole database, as the places to search, each read when searched."""
    config = connection.settings_dict
    if connection.vendor == "postgresql":

        def dump() -> bytes:
            environment = {**os.environ, "PGPASSWORD": str(config.get("PASSWORD") or "")}
            command = ["pg_dump", "--no-owner", "--dbname", str(config["NAME"])]
            for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
                if config.get(key):
                    command += [option, str(config[key])]
            return subprocess.run(command, env=environment, capture_output=True, check=True).stdout

        return {"pg_dump": dump}
    name = str(config["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    places: dict[str, Callable[[], bytes]] = {}
    if in_memory:
        raw = connection.connection
        assert raw is not None  # the check has used the database by then

        def iterdump() -> bytes:
            return "\n".join(raw.iterdump()).encode()

        places["sqlite iterdump"] = iterdump
        notes.append("SQLite in memory: no database file to read; rows dumped with iterdump")
        return places

    def iterdump_file() -> bytes:
        with sqlite3.connect(name) as reader:
            return "\n".join(reader.iterdump()).encode()

    places["sqlite iterdump"] = iterdump_file
    for suffix in ("", "-wal", "-journal"):
        path = Path(name + suffix)
        places[f"sqlite file {path.name}"] = partial(_file_bytes, path)
    return places


def _file_bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def _media() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    found = io.BytesIO()
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            found.write(str(path).encode() + b"\n")
            if path.is_file():
                found.write(path.read_bytes())
    return found.getvalue()


def _search(needles: list[bytes], notes: list[str]) -> dict[str, int]:
    places = {**_database_places(notes), "media": _media}
    return {place: _count(read(), needles) for place, read in places.items()}


def run_check(canary: str, *, keep: bool = False) -> CheckResult:
    """Make the canary participant, use her everywhere, erase her, search for her."""
    result = CheckResult()
    with override_settings(MAILERS=LOCMEM):
        mail.outbox = []
        world = _journeys(canary)
        result.emails_sent = len(mail.outbox)
        her: Participant = world["her"]
        needles = [canary.encode(), her.email.encode(), her.phone.encode()]
        # Her text in the database file itself, not only in the write-ahead log: erasure must
        # then clean the file's pages (SQLite's secure_delete), not just the log.
        storage_compact()
        result.before = _search(needles, result.notes)
        participant_erase(participant=her, actor=world["coordinator"])
        result.after = _search(needles, [])
    if not keep:
        _clean_up(world)
    return result


def _journeys(canary: str) -> dict[str, Any]:
    """Everything a participant goes through, each field typed full of the canary."""
    token = secrets.token_hex(4)
    c = canary
    organisation = Organisation.objects.create(
        name=f"Privacy check {token}", slug=f"privacy-check-{token}", agreement_retention_years=0
    )
    programme = Programme.objects.create(
        organisation=organisation,
        name="Privacy check",
        slug="privacy-check",
        kind=Programme.Kind.INTERCULTURAL,
        mode=Programme.Mode.IN_PERSON,
        languages=["fr", "ar"],
        needs=["language", "employment"],
        applications_open=True,
    )
    coordinator = User.objects.create_user(
        email=f"coordinator-{token}@check.invalid", full_name="Check Coordinator"
    )
    Membership.objects.create(
        user=coordinator, organisation=organisation, role=Membership.Role.COORDINATOR
    )
    mentor_user = User.objects.create_user(
        email=f"mentor-{token}@check.invalid", full_name="Check Mentor"
    )
    other_user = User.objects.create_user(
        email=f"other-{token}@check.invalid", full_name="Other Mentor"
    )
    availability = ["mon_am", "sat_pm"]

    def mentor(first_name: str, user: User) -> Participant:
        return people_services.participant_create(
            programme=programme,
            actor=coordinator,
            role=Participant.Role.MENTOR,
            first_name=first_name,
            last_name="Mentor",
            email=user.email,
            languages={"fr": "native", "ar": "B2"},
            availability=availability,
            status=Participant.Status.READY,
            user=user,
        )

    marc, other = mentor("Marc", mentor_user), mentor("Other", other_user)
    # The public application, every typed field full of the canary.
    phone = "+336" + "".join(str(secrets.randbelow(10)) for _ in range(8))
    her = application_submit(
        programme=programme,
        role=Participant.Role.MENTEE,
        consents=[(Consent.Purpose.DATA_PROCESSING, f"I agree, {c}")],
        language="ar",
        first_name=c,
        last_name=f"{c}-Family",
        email=f"{c.lower()}@example.org",
        phone=phone,
        gender="f",
        birth_year=1990,
        country_of_origin="SY",
        languages={"ar": "native", "fr": "B1"},
        city=f"{c} City",
        availability=availability,
        occupation=f"{c} occupation",
        skills=f"{c} skills",
        interests=[f"{c} football"],
        needs=["language", "employment"],
        motivations=f"{c} motivations",
    )
    # The intake interview, by the coordinator.
    her.refresh_from_db()
    people_services.participant_intake_record(
        participant=her,
        actor=coordinator,
        version=her.version,
        consents=[Consent.Purpose.CONTACT],
        consent_method=Consent.Method.ORAL,
        ready=True,
        legal_status=Participant.LegalStatus.ASYLUM_SEEKER,
        intake_notes=f"{c} intake notes: fled with {c}'s brother",
    )
    # Her login, a session open, a failed login recorded.
    her_user = User.objects.create_user(
        email=her.email, full_name=f"{c} {c}-Family", password=secrets.token_urlsafe(16)
    )
    her.refresh_from_db()
    people_services.participant_update(participant=her, actor=coordinator, user=her_user)
    Client().force_login(her_user)
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.create(username=her.email, ip_address="192.0.2.1", failures_since_start=1)
    AccessFailureLog.objects.create(username=her.email, ip_address="192.0.2.1")
    # Someone else's record that names her.
    marc.refresh_from_db()
    people_services.participant_update(
        participant=marc, actor=coordinator, intake_notes=f"Knows {c} {c}-Family from church"
    )
    # Matching: one proposal she declines, with her reason; one both accept (the duo).
    declined = Proposal.objects.create(
        programme=programme, mentee=her, mentor=other, created_by=coordinator, score=50
    )
    notifications_run()
    proposal_answer(
        proposal=declined, side="mentee", answer="declined", actor=her_user, reason=f"{c} reason"
    )
    accepted = Proposal.objects.create(
        programme=programme, mentee=her, mentor=marc, created_by=coordinator, score=80
    )
    notifications_run()
    proposal_answer(proposal=accepted, side="mentee", answer="accepted", actor=her_user)
    proposal_answer(proposal=accepted, side="mentor", answer="accepted", actor=mentor_user)
    duo = Duo.objects.get(proposal=accepted)
    # Started yesterday: the meetings below, half an hour ago, may be yesterday's after midnight.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Duo.objects.filter(pk=duo.pk).update(coordinator=coordinator, started_on=yesterday)
    duo.refresh_from_db()
    notifications_run()
    # The agreement: she signs online, the mentor on paper (a scan naming her), the coordinator.
    agreement = duo.agreement
    language = sorted(agreement.texts or {"fr": ""})[0]
    agreement_services.agreement_sign(
        duo=duo,
        party="mentee",
        actor=her_user,
        typed_name=her.display_name,
        language=language,
    )
    agreement_services.agreement_record_paper(
        duo=duo,
        party="mentor",
        actor=coordinator,
        signer_name="Marc Mentor",
        signed_on=timezone.localdate(),
        scan=SimpleUploadedFile("scan.pdf", f"%PDF-1.4 signed with {c}".encode()),
    )
    agreement_services.agreement_sign(
        duo=duo,
        party="coordinator",
        actor=coordinator,
        typed_name=coordinator.full_name,
        language=language,
    )
    # The action plan, meetings (notes naming her), check-ins, a supervision call.
    plan.objective_create(duo=duo, actor=mentor_user, title=f"{c}'s CV", why=f"{c} wants work")
    held = timezone.now() - datetime.timedelta(minutes=30)
    meetings.meeting_log(
        duo=duo,
        actor=mentor_user,
        starts_at=held,
        place=f"{c} café",
        shared_notes=f"Met {c} at the library",
        method_notes={"there": f"{c} told of home"},
    )
    meetings.meeting_log(
        duo=duo,
        actor=coordinator,
        staff=True,
        starts_at=held - datetime.timedelta(minutes=5),
        private_notes=f"{c} seems tired",
    )
    supervision.checkin_record(
        duo=duo, side="mentee", actor=her_user, mood=2, comment=f"{c} comment", wants_call=True
    )
    supervision.checkin_record(
        duo=duo, side="mentor", actor=mentor_user, mood=4, comment=f"{c} is doing well"
    )
    supervision.supervision_note_add(
        duo=duo, actor=coordinator, kind="call", with_side="mentee", text=f"Called {c}"
    )
    notifications_run()
    # Her family contact, her referral to a partner, a partner carrying her objective.
    people_services.guardian_create(
        participant=her,
        actor=coordinator,
        name=f"{c} Mother",
        relation="parent",
        email=f"mother-{c.lower()}@example.org",
        phone=phone,
        consent=True,
        practical_emails=True,
        notes=f"{c}'s mother calls in the evening",
    )
    partner = partner_services.partner_create(
        organisation=organisation, actor=coordinator, name="Check partner"
    )
    partner_services.referral_create(
        participant=her,
        partner=partner,
        actor=coordinator,
        referred_on=timezone.localdate(),
        reason=f"{c} needs a CV",
    )
    partner_services.objective_partner_set(
        objective=duo.objectives.get(), actor=coordinator, partner=partner, role=f"CV for {c}"
    )
    # Closure, her feedback.
    duo.refresh_from_db()
    closure.duo_close(
        duo=duo,
        actor=coordinator,
        reason=Duo.CloseReason.GOAL_REACHED,
        closed_on=timezone.localdate(),
        outcomes=["employment"],
        outcome_notes=f"{c} found work",
        mentor_next="pool",
        mentee_next="leave",
    )
    duo.refresh_from_db()
    closure.closing_feedback_give(
        duo=duo, side="mentee", actor=her_user, rating=5, best=f"{c} best", improve=f"{c} more"
    )
    notifications_run()
    # A spreadsheet kept between an import's steps, with her row; the admin's log; an audit
    # event that once recorded a value (older code did).
    store_table(Table(headers=["first name", "e-mail"], rows=[(2, [c, her.email])]), "list.csv")
    her.refresh_from_db()
    LogEntry.objects.log_actions(
        user_id=coordinator.pk,
        queryset=[her],
        action_flag=CHANGE,
        change_message=f"Changed {c}",
    )
    audit(
        actor=coordinator,
        organisation=organisation,
        action="participant.update",
        target=her,
        name=her.display_name,
    )
    return {
        "organisation": organisation,
        "programme": programme,
        "coordinator": coordinator,
        "users": [coordinator, mentor_user, other_user],
        "her": her,
        "scan": Signature.objects.filter(agreement__duo=duo).exclude(scan="").count(),
    }


@transaction.atomic
def _clean_up(world: dict[str, Any]) -> None:
    """Delete the check's organisation, its people and accounts (audit events included)."""
    with audit_guard_lowered():
        organisation: Organisation = world["organisation"]
        Duo.objects.filter(programme__organisation=organisation).delete()
        LogEntry.objects.filter(user__in=world["users"]).delete()
        organisation.delete()
        for user in world["users"]:
            user.delete()
