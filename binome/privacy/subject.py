"""A copy of everything Binôme holds about one participant (GDPR articles 15 and 20).

Two scopes, one builder:
- `full`: what the organisation's coordinators and admins download from the participant's page
  to answer a request (article 15): everything, including what only staff see (legal status,
  intake notes, timeline notes, private meeting notes, supervision notes, alerts, outcome notes,
  both sides' check-ins and feedback, who read and changed her record).
- `self`: what the participant downloads herself from "My space". The product's rule is that
  what is written for the coordinators' work is never shown to mentors and mentees, and a copy
  made without a person in the loop cannot judge what in those notes concerns a third party
  (the other side of the duo, a relative) or would harm her to read unprepared. So her own copy
  holds all she gave and all she shares with her duo, and says, in her language, that the full
  copy, staff notes included, is hers on request from the coordinators, who produce it with the
  full scope above. The right of access is honoured by both together; the right to portability
  (article 20: what she provided, machine-readable) by her own copy alone.

The JSON has stable English keys and raw codes (`status: "active"`), for machines; the PDF
(binome.privacy.subject_pdf) shows the same content with labels in her language.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from binome.community.models import Invitation
from binome.core.models import AuditEvent
from binome.duos.models import Duo, Meeting, Signature
from binome.evaluation.models import EsfSituation
from binome.evaluation.services import ESF_FIELDS
from binome.matching.models import Proposal
from binome.notifications.models import Notification
from binome.partners.models import ObjectivePartner, Referral
from binome.people.models import Participant
from binome.privacy.services.erasure import participant_records
from binome.questionnaires.models import Response
from binome.training.models import Completion

FORMAT = "binome.subject-export/1"
FULL, SELF = "full", "self"

# Her profile's fields, in the order of the record; the second list is for staff only.
PROFILE_FIELDS = [
    "role",
    "kind",
    "status",
    "status_changed_at",
    "first_name",
    "last_name",
    "team_name",
    "email",
    "phone",
    "language",
    "gender",
    "gender_preference",
    "birth_year",
    "country_of_origin",
    "languages",
    "city",
    "latitude",
    "longitude",
    "mode_preference",
    "max_distance_km",
    "availability",
    "sector",
    "occupation",
    "skills",
    "interests",
    "needs",
    "offers",
    "motivations",
    "capacity",
    "engagement",
    "training_done",
    "created_at",
    "updated_at",
]
STAFF_PROFILE_FIELDS = ["legal_status", "intake_notes", "interviewed_at"]
# Her family contacts and referrals: what coordinators recorded, in the full copy only.
GUARDIAN_FIELDS = [
    "name",
    "relation",
    "is_legal_guardian",
    "language",
    "phone",
    "email",
    "consent",
    "consent_on",
    "consent_method",
    "practical_emails",
    "notes",
]
REFERRAL_FIELDS = ["referred_on", "reason", "outcome", "outcome_on", "outcome_note"]


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(instance: Any, names: list[str]) -> dict[str, Any]:
    return {name: _value(getattr(instance, name)) for name in names}


def subject_data(participant: Participant, *, scope: str) -> dict[str, Any]:
    """Return everything held about the participant, as plain JSON-ready data."""
    full = scope == FULL
    profile_names = PROFILE_FIELDS + (STAFF_PROFILE_FIELDS if full else [])
    programme = participant.programme
    data: dict[str, Any] = {
        "format": FORMAT,
        "scope": scope,
        "generated_at": _value(timezone.now()),
        "organisation": {
            "name": programme.organisation.name,
            "contact_email": programme.organisation.contact_email,
        },
        "programme": {"id": programme.pk, "name": programme.name, "kind": programme.kind},
        "participant": {"id": participant.pk, **_row(participant, profile_names)},
        "team_members": [
            {
                **_row(m, ["name", "function", "member_organisation", "email"]),
                "is_representative": m.is_representative,
                "has_account": m.user_id is not None,
            }
            for m in participant.members.all()
        ],
        "account": _account(participant),
        "consents": [
            _row(c, ["purpose", "text", "method", "given_at", "withdrawn_at"])
            for c in participant.consents.all()
        ],
        "status_history": [
            _row(change, ["from_status", "to_status", "at"] + (["note"] if full else []))
            for change in participant.status_changes.all()
        ],
        "proposals": _proposals(participant, full=full),
        "duos": [_duo(duo, participant, full=full) for duo in _duos(participant)],
        # The group activities she was invited to: her answers and whether she came.
        "activities": [
            {
                "activity": i.activity.title,
                "starts_at": _value(i.activity.starts_at),
                **_row(i, ["answer", "answered_at", "waiting_since", "attended"]),
            }
            for i in Invitation.objects.filter(participant=participant)
            .select_related("activity")
            .order_by("activity__starts_at")
        ],
        "training": _training(participant, full=full),
        "questionnaires": _questionnaires(participant),
        "emails": [
            _row(n, ["kind", "created_at", "sent_at"])
            for n in Notification.objects.filter(participant=participant).order_by("created_at")
        ],
    }
    if full:
        data["family"] = [_row(g, GUARDIAN_FIELDS) for g in participant.guardians.all()]
        data["referrals"] = [
            {"partner": r.partner.name, **_row(r, REFERRAL_FIELDS)}
            for r in Referral.objects.filter(participant=participant).select_related("partner")
        ]
        # Her situation for the funder report (ESF+ codes), recorded by the coordinators.
        data["esf_situations"] = [
            _row(s, ["moment", *ESF_FIELDS, "source", "recorded_at"])
            for s in EsfSituation.objects.filter(participant=participant).order_by("pk")
        ]
        data["audit_trail"] = _audit(participant)
    else:
        data["not_included"] = [
            "legal_status",
            "intake_notes",
            "status_history.note",
            "duos.meetings.private_notes",
            "duos.supervision_notes",
            "duos.alerts",
            "duos.outcome_notes",
            "duos.other_side_check_ins",
            "family",
            "referrals",
            "esf_situations",
            "audit_trail",
            "training.recorded.note",
        ]
    return data


def _training(participant: Participant, *, full: bool) -> dict[str, Any]:
    """Modules followed, training recorded by the team (its note for staff), skills recognised."""
    return {
        "modules": [
            {"module": c.module.title, **_row(c, ["attempts", "score", "completed_at"])}
            for c in Completion.objects.filter(participant=participant).select_related("module")
        ],
        "recorded": [
            {"hours": float(r.hours), **_row(r, ["recorded_at"] + (["note"] if full else []))}
            for r in participant.external_trainings.all()
        ],
        "skills": [v.skill.name for v in participant.validated_skills.select_related("skill")],
    }


def _questionnaires(participant: Participant) -> list[dict[str, Any]]:
    """Her answers to questionnaires, each with the earlier values a correction replaced."""
    responses = (
        Response.objects.filter(participant=participant)
        .select_related("questionnaire", "version")
        .prefetch_related("answers__item", "answers__corrections")
        .order_by("started_at", "pk")
    )
    return [
        {
            "questionnaire": response.questionnaire.title,
            "version": response.version.number,
            **_row(
                response,
                [
                    "moment",
                    "occurrence",
                    "language",
                    "channel",
                    "entry_mode",
                    "status",
                    "submitted_at",
                ],
            ),
            "answers": [
                {
                    "question": answer.item.text,
                    "value": _value(answer.value),
                    "corrections": [_value(c.previous) for c in answer.corrections.all()],
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


def _account(participant: Participant) -> dict[str, Any] | None:
    user = participant.user
    if user is None:
        return None
    return _row(user, ["email", "full_name", "language", "date_joined", "last_login"])


def _side(duo: Duo | Proposal, participant: Participant) -> str:
    return "mentor" if duo.mentor_id == participant.pk else "mentee"


def _proposals(participant: Participant, *, full: bool) -> list[dict[str, Any]]:
    proposals = Proposal.objects.filter(Q(mentor=participant) | Q(mentee=participant))
    rows = []
    for proposal in proposals.select_related("mentor", "mentee").order_by("created_at", "pk"):
        side = _side(proposal, participant)
        other = proposal.mentee if side == "mentor" else proposal.mentor
        rows.append(
            {
                "id": proposal.pk,
                "side": side,
                "with": other.display_name,
                "score": proposal.score,
                "status": proposal.status,
                "my_answer": proposal.answer_of(side),
                # The reason is its author's: the other side's is not hers to read.
                "decline_reason": proposal.decline_reason
                if full or proposal.answer_of(side) == Proposal.Answer.DECLINED
                else "",
                "created_at": _value(proposal.created_at),
            }
        )
    return rows


def _duos(participant: Participant) -> list[Duo]:
    duos = Duo.objects.filter(Q(mentor=participant) | Q(mentee=participant))
    return list(duos.select_related("mentor", "mentee", "coordinator").order_by("created_at"))


def _duo(duo: Duo, participant: Participant, *, full: bool) -> dict[str, Any]:
    side = _side(duo, participant)
    other = duo.mentee if side == "mentor" else duo.mentor
    meeting_fields = [
        "starts_at",
        "status",
        "duration_minutes",
        "mode",
        "place",
        "themes",
        "supports",
        "method_notes",
        "shared_notes",
    ] + (["private_notes"] if full else [])
    # Her own answers; staff's copy has both sides'.
    mine = Q() if full else Q(side=side)
    partners = {
        link.objective_id: link.partner.name
        for link in ObjectivePartner.objects.filter(objective__duo=duo).select_related("partner")
    }
    row: dict[str, Any] = {
        "id": duo.pk,
        "side": side,
        "with": other.display_name,
        "coordinator": duo.coordinator.full_name if duo.coordinator else "",
        **_row(
            duo,
            [
                "status",
                "started_on",
                "planned_end_on",
                "engagement",
                "activated_at",
                "closed_on",
                "close_reason",
            ],
        ),
        "outcomes": duo.outcomes,
        "agreement": _agreement(duo),
        "meetings": [
            _row(m, meeting_fields) for m in Meeting.objects.filter(duo=duo).order_by("starts_at")
        ],
        "objectives": [
            {
                **_row(o, ["title", "need", "why", "steps", "due_on", "status", "carried_by"]),
                "partner": partners.get(o.pk, ""),
            }
            for o in duo.objectives.all()
        ],
        "visits": [
            _row(
                v,
                [
                    "host",
                    "city",
                    "starts_on",
                    "ends_on",
                    "mentee_attendees",
                    "mentor_attendees",
                    "agenda",
                    "outcomes",
                ],
            )
            for v in duo.visits.all()
        ],
        "check_ins": [
            _row(c, ["side", "mood", "comment", "wants_call", "created_at"])
            for c in duo.checkins.filter(mine).order_by("created_at")
        ],
        "closing_feedback": [
            _row(f, ["side", "rating", "best", "improve", "at"])
            for f in duo.closing_feedback.filter(mine)
        ],
        "follow_up_answers": _follow_up(duo, mine),
    }
    if full:
        row["outcome_notes"] = duo.outcome_notes
        row["supervision_notes"] = [
            _row(n, ["kind", "with_side", "text", "at"]) for n in duo.supervision_notes.all()
        ]
        row["alerts"] = [
            _row(a, ["kind", "opened_at", "resolved_at", "resolution"]) for a in duo.alerts.all()
        ]
    return row


def _follow_up(duo: Duo, mine: Q) -> list[dict[str, Any]]:
    follow_up = getattr(duo, "follow_up", None)
    if follow_up is None:
        return []
    return [
        _row(a, ["side", "situation", "still_in_contact", "usefulness", "comment", "answered_at"])
        for a in follow_up.answers.filter(mine)
    ]


def _agreement(duo: Duo) -> dict[str, Any] | None:
    agreement = getattr(duo, "agreement", None)
    if agreement is None:
        return None
    signatures = Signature.objects.filter(agreement=agreement).order_by("signed_at")
    return {
        "frozen_at": _value(agreement.frozen_at),
        "text_hash": agreement.text_hash,
        "texts": agreement.texts,
        "signatures": [
            {
                **_row(s, ["party", "method", "typed_name", "language", "signed_at"]),
                "has_scan": bool(s.scan),
            }
            for s in signatures
        ],
    }


def _audit(participant: Participant) -> list[dict[str, Any]]:
    about = Q()
    for label, ids in participant_records(participant, _duos(participant)).items():
        if ids:
            about |= Q(target_type=label, target_id__in=ids)
    events = AuditEvent.objects.filter(about).select_related("actor").order_by("at", "pk")
    return [
        {
            "at": _value(event.at),
            "action": event.action,
            "by": str(event.actor) if event.actor else "",
            "record": f"{event.target_type}#{event.target_id}",
            "detail": event.detail,
        }
        for event in events
    ]
