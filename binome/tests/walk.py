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
    # Her situation for the funder report (binome.evaluation), as her page names it.
    "ISCED 3–4: upper secondary or post-secondary",
]
# Amina's own free-text answer: her organisation's staff and her own data export read it, nobody
# else (not her mentor, not a viewer).
OWN_ANSWER = "Free text answer by Amina"
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


def _edition(cast):
    from binome.programmes.models import Edition

    edition, _created = Edition.objects.get_or_create(
        programme=cast.programme,
        name="2025–2026",
        defaults={"starts_on": datetime.date(2025, 9, 1)},
    )
    return edition.pk


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
    # Group activities: one with Amina invited, an announcement to mentees, her calendar feed.
    activity: object = None
    invitation: object = None
    announcement: object = None
    feed: object = None
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
    _esf_situation(cast)
    return World(
        duos=[duo, closed],
        signature=signature,
        follow_up=follow_up,
        **rows,
        **_community(cast),
        **_partners(cast),
    )


def _esf_situation(cast) -> None:
    from binome.evaluation.services import esf_situation_record

    esf_situation_record(
        participant=cast.amina_participant,
        actor=cast.carla,
        moment="entry",
        employment="long_term",
        isced="isced_3_4",
        in_education=False,
        qualification=False,
        version=0,
    )


def _community(cast) -> dict:
    from binome.community import services
    from binome.community.models import Activity

    starts = timezone.now() + datetime.timedelta(days=3)
    activity = services.activity_create(
        actor=cast.carla,
        organisation=cast.org_a,
        data=services.ActivityData(
            kind=Activity.Kind.ICE_BREAKER,
            title="Ice-breaker picnic",
            description="Shared activity description",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            address="Parc Borely",
            accessibility="",
            video_link="",
            capacity=10,
            audience="both",
            statuses=[],
            counts_as_training=False,
            programmes=[cast.programme],
            translations={},
        ),
    )
    announcement = services.announcement_publish(
        actor=cast.carla,
        organisation=cast.org_a,
        programmes=[cast.programme],
        audience="mentees",
        title="Announcement to mentees",
        body="Announcement body",
        translations={},
    )
    return {
        "activity": activity,
        "invitation": activity.invitations.get(participant=cast.amina_participant),
        "announcement": announcement,
        "feed": services.feed_create(actor=cast.amina, participant=cast.amina_participant),
    }


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


def _vocabulary_item(cast) -> int:
    """A theme of the cast's programme (its lists made once, as the services make them)."""
    from binome.programmes.models import VocabularyItem
    from binome.programmes.services import vocabulary_defaults_create

    vocabulary_defaults_create(programme=cast.programme)
    item, _ = VocabularyItem.objects.get_or_create(
        programme=cast.programme, vocabulary="themes", code="cuisine", defaults={"label": "Cuisine"}
    )
    return item.pk


def kwargs_for(cast, world, params, name, duo) -> dict:
    """The URL arguments of `name` that reach the world's objects (a new parameter needs one)."""
    values = {
        "proposal_id": _proposal(cast).pk,
        "programme_id": cast.programme.pk,
        "edition_id": _edition(cast),
        "participant_id": cast.amina_participant.pk,
        "pk": cast.amina_participant.pk,
        "org_slug": cast.org_a.slug,
        "organisation_id": cast.org_a.pk,
        "programme_slug": cast.programme.slug,
        "role": "mentee",
        "moment": "entry",
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
        "activity_id": world.activity.pk,
        "invitation_id": world.invitation.pk,
        "announcement_id": world.announcement.pk,
        "feed_id": world.feed.pk,
        "partner_id": world.partner.pk,
        "contact_id": world.contact.pk,
        "referral_id": world.referral.pk,
        "guardian_id": world.guardian.pk,
        "member_id": world.member.pk,
        "item_id": _vocabulary_item(cast) if "item_id" in params else 0,
        "vocabulary": "themes",
        **_library_and_training(cast),
        "questionnaire_id": _questionnaire_response(cast).questionnaire_id,
        "assignment_id": _questionnaire_response(cast).assignment_id,
        "response_id": _questionnaire_response(cast).pk,
    }
    missing = [param for param in params if param not in values]
    assert not missing, f"give the site walk (binome/tests/walk.py) a value for {missing} ({name})"
    return {param: values[param] for param in params}


def _library_and_training(cast) -> dict:
    """A resource with a file, a module with a question in Marek's path; a canary in org B."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from binome.resources.models import Resource
    from binome.resources.services import resource_create, resource_file_attach
    from binome.testing import CANARY
    from binome.training.models import Module
    from binome.training.services import (
        external_training_record,
        module_create,
        path_set,
        question_save,
    )

    resource = Resource.objects.filter(organisation=cast.org_a).first()
    if resource is None:
        for org in (cast.org_b, cast.org_a):
            title = "Shared guide" if org == cast.org_a else f"Guide {CANARY}"
            data = {"kind": "document", "title": title, "for_mentors": True, "for_mentees": True}
            resource = resource_create(organisation=org, actor=None, data=data)
            resource_file_attach(
                resource=resource,
                actor=None,
                language="fr",
                upload=SimpleUploadedFile("g.pdf", f"%PDF-1.4 {title}".encode()),
            )
            module = module_create(
                organisation=org,
                actor=None,
                data={"title": f"Module {title}", "pass_mark": 50},
                attachments=[resource],
            )
            question_save(module=module, actor=None, text="Listen?", choices="*Yes\nNo")
        path_set(
            programme=cast.programme,
            role="mentor",
            modules=[module],
            sessions_required=0,
            actor=None,
        )
        external_training_record(
            participant=cast.marek_participant, actor=cast.carla, note="Training note", hours=2
        )
    module = Module.objects.get(organisation=cast.org_a)
    assert resource is not None
    return {
        "resource_id": resource.pk,
        "file_id": resource.files.get().pk,
        "module_id": module.pk,
        "question_id": module.questions.get().pk,
    }


def _session_record(cast) -> int:
    from django.test import Client

    from binome.accounts.models import SessionRecord

    record = SessionRecord.objects.filter(user=cast.carla).first()
    if record is None:
        Client().force_login(cast.carla)  # recorded at login
        record = SessionRecord.objects.get(user=cast.carla)
    return record.pk


def _questionnaire_response(cast):
    """Amina's submitted baseline, with a free-text answer only the organisation's staff read."""
    from binome.questionnaires import services
    from binome.questionnaires.models import Questionnaire, Response

    existing = Response.objects.filter(participant=cast.amina_participant).first()
    if existing is not None:
        return existing
    services.library_load()
    questionnaire = Questionnaire.objects.get(organisation__isnull=True, key="integration")
    assignment = services.assignment_add(
        programme=cast.programme,
        questionnaire=questionnaire,
        moment="intake",
        role="mentee",
        by=cast.carla,
    )
    response = services.response_start(
        participant=cast.amina_participant,
        questionnaire=questionnaire,
        assignment=assignment,
        moment="intake",
        language="fr",
    )
    for item in response.version.items.all():
        value = OWN_ANSWER if item.is_text else "yes" if item.options else "3"
        services.response_answer(response=response, item=item, raw=[value])
    return services.response_submit(response=response)


def _token(world, name, cast) -> str:
    """Each kind of signed link gets a valid token of its own kind, so its page really renders."""
    if name == "questionnaires:answer":
        from binome.questionnaires.due import Due
        from binome.questionnaires.due import answer_token as questionnaire_token

        response = _questionnaire_response(cast)
        due = Due(response.assignment, response.participant, 0, None, timezone.localdate())
        return questionnaire_token(due)
    if name == "duos:follow_up":
        from binome.duos.tokens import follow_up_token

        return follow_up_token(world.follow_up, "mentee")
    if name == "notifications:unsubscribe":
        from binome.notifications.services import unsubscribe_token

        return unsubscribe_token(cast.amina_participant.pk, "checkin")
    if name == "community:answer_link":
        from binome.community.tokens import answer_token as activity_token

        return activity_token(world.invitation, "yes")
    if name == "community:feed":
        return world.feed.token
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
