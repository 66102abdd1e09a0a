"""The whole site, walked: every named URL pattern, with arguments that reach a world of objects.

The privacy sweep reads every page as every role; the fuzz test posts to every form it finds on
them. Both take the URLs from here, so a view added later is walked by both with no change, as
long as its URL parameters have a value in `kwargs_for` (a new parameter fails both loudly).
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from binome.testing import make_duo

SKIPPED_NAMESPACES = {"admin"}
# Pages that reset a password need a token of their own; they show no tenant data.
SKIPPED_NAMES = {"accounts:password_reset_confirm", "set_language", "accounts:logout"}

# What only coordinators may read, planted in a duo of the cast: none of it may reach a mentor, a
# mentee, a viewer, another organisation or an anonymous visitor, on any page.
COORDINATOR_ONLY = [
    "Private intake note about Amina",
    "Asylum seeker",
    "Private meeting note",
    "Supervision note about the duo",
    "Outcome note for coordinators",
    "Alert resolution text",
    # Family contacts of a mentee and her referrals to partners (binome.partners).
    "Guardian canary Zaynab",
    "+33 6 11 22 33 44",
    "Referral reason canary",
]
# Each side's check-in comment is for the coordinator, not for the other side.
CHECKIN_COMMENTS = {"mentee": "Mentee check-in comment", "mentor": "Mentor check-in comment"}


def url_patterns(resolver=None, namespace="") -> Iterator[tuple[str, list[str]]]:
    """Yield (URL name with its namespaces, names of its parameters) for every named pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from url_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, list(entry.pattern.regex.groupindex)


def _proposal(cast):
    from binome.matching.models import Proposal

    proposal = Proposal.objects.filter(mentee=cast.amina_participant).first()
    return proposal or Proposal.objects.create(
        programme=cast.programme, mentee=cast.amina_participant, mentor=cast.marek_participant
    )


@dataclass
class World:
    """Two duos of Marek and Amina: an open one and an earlier, closed one, each fully filled."""

    duos: list  # [open duo, closed duo]
    meeting: object
    objective: object
    visit: object
    alert: object
    signature: object
    follow_up: object
    partner: object = None
    contact: object = None
    referral: object = None
    guardian: object = None
    member: object = None


def _fill(duo, cast) -> dict:
    from binome.duos.models import Alert, CheckIn, Meeting, Objective, SupervisionNote, Visit

    now = timezone.now()
    meeting = Meeting.objects.create(
        duo=duo,
        starts_at=now,
        shared_notes="Shared meeting note",
        private_notes="Private meeting note",
    )
    Meeting.objects.create(
        duo=duo,
        status=Meeting.Status.PLANNED,
        starts_at=now + datetime.timedelta(days=2),
        private_notes="Private meeting note",
    )
    for side, comment in CHECKIN_COMMENTS.items():
        CheckIn.objects.create(duo=duo, side=side, mood=2, comment=comment, created_at=now)
    SupervisionNote.objects.create(duo=duo, text="Supervision note about the duo", at=now)
    alert = Alert.objects.create(
        duo=duo,
        kind=Alert.Kind.LOW_MOOD,
        key="x",
        opened_at=now,
        resolved_at=now,
        resolution="Alert resolution text",
    )
    day = timezone.localdate()
    return {
        "meeting": meeting,
        "objective": Objective.objects.create(duo=duo, title="Shared objective"),
        "visit": Visit.objects.create(
            duo=duo, host="mentee", city="Marseille", starts_on=day, ends_on=day
        ),  # fmt: skip
        "alert": alert,
    }


def make_world(cast) -> World:
    """Fill the cast's programme with an open and a closed duo, a signed scan and a follow-up."""
    from django.core.files.base import ContentFile

    from binome.duos.models import Duo, FollowUp, Signature
    from binome.notifications.services import NOTIFICATIONS_JOB, job_run_record

    # The e-mail job has run: /healthz answers 200 (it answers 503 before, by design).
    job_run_record(name=NOTIFICATIONS_JOB)

    closed = make_duo(cast)
    _fill(closed, cast)
    Duo.objects.filter(pk=closed.pk).update(
        status=Duo.Status.CLOSED,
        closed_on=timezone.localdate(),
        close_reason=Duo.CloseReason.GOAL_REACHED,
        outcomes=["employment"],
        outcome_notes="Outcome note for coordinators",
    )
    follow_up = FollowUp.objects.create(duo=closed, due_on=timezone.localdate())
    duo = make_duo(cast)
    rows = _fill(duo, cast)
    signature = Signature(
        agreement=duo.agreement,
        party="mentee",
        method=Signature.Method.PAPER,
        typed_name="Amina Haddad",
        language="fr",
        text_hash="0" * 64,
        signed_at=timezone.now(),
        user=cast.carla,
    )
    signature.scan.save("scan.pdf", ContentFile(b"%PDF-1.4 Private scan"), save=False)
    signature.save()
    return World(
        duos=[duo, closed], signature=signature, follow_up=follow_up, **rows, **_partners(cast)
    )


def _partners(cast) -> dict:
    """A partner of each organisation with a contact and a referral; Amina's family contact."""
    from binome.partners.models import ObjectivePartner, Partner, PartnerContact, Referral
    from binome.people.models import Guardian, TeamMember
    from binome.testing import CANARY

    day = timezone.localdate()
    partner = Partner.objects.create(organisation=cast.org_a, name="France Travail Marseille")
    contact = PartnerContact.objects.create(partner=partner, name="Paul Partner")
    referral = Referral.objects.create(
        participant=cast.amina_participant,
        partner=partner,
        contact=contact,
        referred_on=day,
        reason="Referral reason canary",
    )
    from binome.duos.models import Objective

    objective = Objective.objects.filter(duo__mentee=cast.amina_participant).order_by("-pk").first()
    assert objective is not None
    ObjectivePartner.objects.create(objective=objective, partner=partner, role="Job workshop")
    guardian = Guardian.objects.create(
        participant=cast.amina_participant,
        name="Guardian canary Zaynab",
        relation=Guardian.Relation.PARENT,
        phone="+33 6 11 22 33 44",
    )
    member = TeamMember.objects.create(participant=cast.amina_participant, name="Member")
    other = Partner.objects.create(organisation=cast.org_b, name=f"Partner {CANARY}")
    PartnerContact.objects.create(partner=other, name=f"Contact {CANARY}")
    Referral.objects.create(
        participant=cast.canary_participant, partner=other, referred_on=day, reason=CANARY
    )
    return {
        "partner": partner,
        "contact": contact,
        "referral": referral,
        "guardian": guardian,
        "member": member,
    }


def kwargs_for(cast, world, params, name, duo) -> dict:
    """The URL arguments of `name` that reach the world's objects (a new parameter needs one)."""
    values = {
        "proposal_id": _proposal(cast).pk,
        "programme_id": cast.programme.pk,
        "participant_id": cast.amina_participant.pk,
        "pk": cast.amina_participant.pk,
        "org_slug": cast.org_a.slug,
        "organisation_id": cast.org_a.pk,
        "programme_slug": cast.programme.slug,
        "role": "mentee",
        "duo_id": duo.pk,
        "meeting_id": world.meeting.pk,
        "objective_id": world.objective.pk,
        "visit_id": world.visit.pk,
        "alert_id": world.alert.pk,
        "signature_id": world.signature.pk,
        "token": _token(world, name, cast),
        # Carla's: the sessions on her Security page and her two-step login an admin resets.
        "session_id": _session_record(cast),
        "user_id": cast.carla.pk,
        "partner_id": world.partner.pk,
        "contact_id": world.contact.pk,
        "referral_id": world.referral.pk,
        "guardian_id": world.guardian.pk,
        "member_id": world.member.pk,
    }
    missing = [param for param in params if param not in values]
    assert not missing, f"give the site walk (binome/tests/walk.py) a value for {missing} ({name})"
    return {param: values[param] for param in params}


def _session_record(cast) -> int:
    from django.test import Client

    from binome.accounts.models import SessionRecord

    record = SessionRecord.objects.filter(user=cast.carla).first()
    if record is None:
        Client().force_login(cast.carla)  # recorded at login
        record = SessionRecord.objects.get(user=cast.carla)
    return record.pk


def _token(world, name, cast) -> str:
    """Each kind of signed link gets a valid token of its own kind, so its page really renders."""
    if name == "duos:follow_up":
        from binome.duos.tokens import follow_up_token

        return follow_up_token(world.follow_up, "mentee")
    if name == "notifications:unsubscribe":
        from binome.notifications.services import unsubscribe_token

        return unsubscribe_token(cast.amina_participant.pk, "checkin")
    return "not-a-token"


def site_urls(cast, world) -> Iterator[tuple[str, str]]:
    """Yield (URL name, path) for every page of the site, in English, against the world."""
    for name, params in sorted({(n, tuple(p)) for n, p in url_patterns()}):
        if name in SKIPPED_NAMES or name.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        # A duo's pages are walked for the open duo and for the closed one.
        duos = world.duos if "duo_id" in params else world.duos[:1]
        for duo in duos:
            with translation.override("en"):
                yield name, reverse(name, kwargs=kwargs_for(cast, world, params, name, duo))


def body_text(response) -> str:
    """Return the response as text, files (PDF, .ics, scans) included, whatever their encoding."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")
