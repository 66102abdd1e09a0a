"""Demo duos at every stage of their life, built through the duo services.

The services refuse what a user could not do (a meeting in the future logged as held, a signature
dated before the duo existed), so the history is written "as of today" with past dates where the
services take them, and the few automatic timestamps (signature times, check-ins, the duo's
creation) are moved back afterwards, as the people loader does for status changes. Duos are keyed
on their mentee: a second load finds them and adds nothing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from binome.accounts.models import User
from binome.demo.data import (
    DEMO_DUOS,
    DEMO_METHOD_NOTES,
    DEMO_OBJECTIVES,
    DEMO_PRIVATE_NOTES,
    DEMO_SHARED_NOTES,
    DEMO_TEAM_NOTES,
    DEMO_TEAM_PRIVATE_NOTES,
    DEMO_VISITS,
    DuoPlan,
)
from binome.duos.agreement_text import pick_language, texts_of
from binome.duos.models import (
    Agreement,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    Meeting,
    Signature,
)
from binome.duos.periods import add_months
from binome.duos.services.agreement import (
    agreement_open,
    agreement_record_paper,
    agreement_sign,
)
from binome.duos.services.closure import NextStep, duo_close, follow_up_answer
from binome.duos.services.common import duo_start
from binome.duos.services.meetings import meeting_log, meeting_plan, visit_log
from binome.duos.services.plan import objective_create
from binome.duos.services.supervision import alerts_refresh, checkin_record, supervision_note_add
from binome.people.models import Participant, StatusChange
from binome.people.services import participant_set_status
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of

if TYPE_CHECKING:
    from binome.demo.load import Person

# The smallest file the paper-signature check accepts as a PDF: demo scans show nothing.
DEMO_SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
Status = Participant.Status


def _at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _pairs(people: list[Person], plans: list[DuoPlan]) -> list[tuple[str, str]]:
    """Return (mentor e-mail, mentee e-mail) per planned duo, from the generated people only.

    The choice depends on the generated list, never on the database, so that it is the same on
    every load (a chosen person's status changes once paired).
    """
    ready = [p for p in people if p.path and p.path[-1] == Status.READY]
    mentors = [p for p in ready if p.fields["role"] == Participant.Role.MENTOR]
    mentees = [p for p in ready if p.fields["role"] == Participant.Role.MENTEE]
    by_team = {p.fields.get("team_name"): p.fields["email"] for p in ready}
    used: set[str] = set()
    pairs: list[tuple[str, str]] = []
    for plan in plans:
        if "pair" in plan:
            mentee_team, mentor_team = plan["pair"]
            pairs.append((by_team[mentor_team], by_team[mentee_team]))
            continue
        if plan.get("accounts"):
            mentor = next(p for p in mentors if p.account)
            mentee = next(p for p in mentees if p.account)
        else:
            mentee = next(p for p in mentees if p.fields["email"] not in used and not p.account)
            wanted = mentee.fields["gender_preference"]
            mentor = next(
                p
                for p in mentors
                if p.fields["email"] not in used
                and not p.account
                and wanted in ("any", p.fields["gender"])
            )
        used |= {mentor.fields["email"], mentee.fields["email"]}
        pairs.append((mentor.fields["email"], mentee.fields["email"]))
    return pairs


def load_demo_duos(
    programmes: dict[str, Programme], coordinators: dict[str, User], people: dict[str, list[Person]]
) -> list[Duo]:
    """Create the demo duos that are missing; return them.

    programmes: slug → Programme; coordinators: organisation slug → User; people: programme
    slug → the generated people of that programme.
    """
    created: list[Duo] = []
    for slug, plans in DEMO_DUOS.items():
        programme = programmes[slug]
        coordinator = coordinators[programme.organisation.slug]
        pairs = _pairs(people[slug], plans)
        for plan, (mentor_email, mentee_email) in zip(plans, pairs, strict=True):
            mentee = Participant.objects.get(programme=programme, email=mentee_email)
            if Duo.objects.filter(mentee=mentee).exists():
                continue
            mentor = Participant.objects.get(programme=programme, email=mentor_email)
            created.append(_build(plan, programme, mentor, mentee, coordinator))
    if created:
        alerts_refresh(duos=created)
    return created


def _start_day(plan: DuoPlan, programme: Programme, today: datetime.date) -> datetime.date:
    if plan["stage"] == "ending":
        return add_months(
            today + datetime.timedelta(days=plan["ends_in"]), -programme.duration_months
        )
    return today - datetime.timedelta(days=plan["days"])


def _build(
    plan: DuoPlan, programme: Programme, mentor: Participant, mentee: Participant, coordinator: User
) -> Duo:
    today = timezone.localdate()
    started_on = _start_day(plan, programme, today)
    for participant in (mentor, mentee):
        participant_set_status(participant=participant, to_status=Status.MATCHED, actor=coordinator)
    duo = Duo.objects.create(programme=programme, mentor=mentor, mentee=mentee)
    duo_start(duo=duo, actor=coordinator, started_on=started_on)
    agreement_open(duo=duo, actor=coordinator)
    if plan["stage"] == "starting":
        _backdate(duo, started_on, signed=False)
        return duo
    _sign_all(duo, coordinator)
    _objectives(duo, coordinator, started_on)
    last_day = _meetings(duo, plan, coordinator, started_on, today)
    if plan["stage"] == "visits":
        _visits(duo, coordinator, started_on)
    _backdate(duo, started_on, signed=True)
    if plan["stage"] == "closed":
        _close(duo, plan, coordinator, today)
        return duo
    _checkins(duo, plan, last_day)
    if plan.get("next_in"):
        day = today + datetime.timedelta(days=plan["next_in"])
        mode = plan.get("next_mode", Meeting.Mode.IN_PERSON)
        place = "" if mode != Meeting.Mode.IN_PERSON else _place(programme)
        meeting_plan(
            duo=duo,
            actor=coordinator,
            staff=True,
            starts_at=_at(day),
            duration_minutes=60,
            mode=mode,
            place=place,
        )
    if plan["stage"] == "overdue":
        supervision_note_add(
            duo=duo,
            actor=coordinator,
            kind="call",
            with_side="mentor",
            text="Message laissé au mentor : pas de rencontre depuis plus d'un mois.",
            at=timezone.now() - datetime.timedelta(days=10),
        )
    return duo


def _place(programme: Programme) -> str:
    return f"Maison de quartier, {programme.city}" if programme.city else "Maison de quartier"


def _signer_name(participant: Participant) -> str:
    if participant.kind == Participant.Kind.TEAM:
        representative = next(m for m in participant.members.all() if m.is_representative)
        return representative.name
    return participant.display_name


def _sign_all(duo: Duo, coordinator: User) -> None:
    """Sign online where the person has a login, else on paper recorded by the coordinator."""
    texts = texts_of(Agreement.objects.filter(duo=duo).first(), duo)
    for party in ("mentor", "mentee"):
        participant = getattr(duo, party)
        language = pick_language(texts, participant.language)
        if participant.user_id:
            agreement_sign(
                duo=duo,
                party=party,
                actor=participant.user,
                typed_name=participant.display_name,
                language=language,
            )
            continue
        agreement_record_paper(
            duo=duo,
            party=party,
            actor=coordinator,
            signer_name=_signer_name(participant),
            signed_on=timezone.localdate(),
            scan=SimpleUploadedFile("scan.pdf", DEMO_SCAN, content_type="application/pdf"),
            language=language,
        )
    agreement_sign(
        duo=duo,
        party="coordinator",
        actor=coordinator,
        typed_name=coordinator.full_name,
        language=pick_language(texts, coordinator.language),
    )
    duo.refresh_from_db()


def _objectives(duo: Duo, coordinator: User, started_on: datetime.date) -> None:
    # duo_start set the planned end.
    assert duo.planned_end_on is not None
    length = (duo.planned_end_on - started_on).days
    for title, need, why, steps, share, status, carried_by in DEMO_OBJECTIVES[duo.programme.slug]:
        objective_create(
            duo=duo,
            actor=coordinator,
            title=title,
            need=need,
            why=why,
            steps=steps,
            due_on=started_on + datetime.timedelta(days=max(int(length * share), 1)),
            status=status,
            carried_by=carried_by,
        )


def _meetings(
    duo: Duo, plan: DuoPlan, coordinator: User, started_on: datetime.date, today: datetime.date
) -> datetime.date | None:
    """Log the held meetings at the programme's rhythm; return the day of the last one."""
    programme = duo.programme
    interval = max(int(30 / float(programme.meetings_per_month or 1)), 5)
    stop = today - datetime.timedelta(days=plan.get("silent", 0) or 2)
    if plan["stage"] == "closed":
        stop = today - datetime.timedelta(days=plan["closed_days"] + 3)
    mode = plan.get("mode", Meeting.Mode.IN_PERSON)
    lists = vocabulary_of(programme)
    themes = lists.codes_in_use(Vocabulary.THEMES)
    supports = lists.codes_in_use(Vocabulary.SUPPORTS)
    # The demo mentor logs her duo's meetings herself; others are logged by the coordinator.
    author = duo.mentor.user if duo.mentor.user_id else coordinator
    staff = author == coordinator
    teams = programme.kind == Programme.Kind.CITY_TO_CITY
    shared = DEMO_TEAM_NOTES if teams else DEMO_SHARED_NOTES
    private = DEMO_TEAM_PRIVATE_NOTES if teams else DEMO_PRIVATE_NOTES
    day, index, last = started_on + datetime.timedelta(days=3), 0, None
    while day <= stop:
        fields: dict[str, Any] = {
            "starts_at": _at(day),
            "duration_minutes": 60 + 30 * (index % 2),
            "mode": mode,
            "place": _place(programme) if mode == Meeting.Mode.IN_PERSON else "",
            "themes": [themes[index % len(themes)]] if themes else [],
            "supports": [supports[index % len(supports)]] if supports else [],
            "shared_notes": shared[index % len(shared)],
        }
        if programme.uses_intercultural_method() and index == 1:
            fields["method_notes"] = DEMO_METHOD_NOTES
        if staff:
            fields["private_notes"] = private[index % len(private)]
        meeting_log(duo=duo, actor=author, staff=staff, **fields)
        last, index = day, index + 1
        day += datetime.timedelta(days=interval)
    return last


def _visits(duo: Duo, coordinator: User, started_on: datetime.date) -> None:
    mentee_city, mentor_city = duo.mentee.city, duo.mentor.city
    for host, after, length, agenda, outcomes in DEMO_VISITS:
        first = started_on + datetime.timedelta(days=after)
        visit_log(
            duo=duo,
            actor=coordinator,
            host=host,
            city=mentee_city if host == "mentee" else mentor_city,
            starts_on=first,
            ends_on=first + datetime.timedelta(days=length - 1),
            mentee_attendees="Deputy mayor, NGO coordinator, association officer",
            mentor_attendees="Integration officer, language café volunteer",
            agenda=agenda,
            outcomes=outcomes,
        )


def _checkins(duo: Duo, plan: DuoPlan, last_day: datetime.date | None) -> None:
    since = last_day or duo.started_on
    # duo_start set the start.
    assert since is not None
    when = _at(since, 20)
    low = plan["stage"] == "low_mood"
    answers = [
        ("mentor", 4 if low else 5, ""),
        (
            "mentee",
            2 if low else 4,
            "C'est difficile en ce moment, j'aimerais en parler." if low else "",
        ),
    ]
    for side, mood, comment in answers:
        participant = getattr(duo, side)
        if participant.user_id:
            checkin = checkin_record(
                duo=duo, side=side, actor=participant.user, mood=mood, comment=comment
            )
        else:
            # The check-in service answers for a logged-in side only; these people have no login.
            checkin = CheckIn.objects.create(
                duo=duo,
                side=side,
                mood=mood,
                comment=comment,
                wants_call=low and side == "mentee",
                created_at=when,
            )
        CheckIn.objects.filter(pk=checkin.pk).update(created_at=when)


def _close(duo: Duo, plan: DuoPlan, coordinator: User, today: datetime.date) -> None:
    closed_on = today - datetime.timedelta(days=plan["closed_days"])
    duo_close(
        duo=duo,
        actor=coordinator,
        reason=Duo.CloseReason.WORK_OR_TRAINING,
        closed_on=closed_on,
        outcomes=[Duo.Outcome.EMPLOYMENT, Duo.Outcome.NETWORK],
        outcome_notes="CDD de six mois comme aide-soignant·e ; à recontacter pour l'équivalence.",
        mentor_next=NextStep.POOL,
        mentee_next=NextStep.LEAVE,
    )
    given = _at(closed_on + datetime.timedelta(days=2), 12)
    # Closing feedback is given by each side itself; these demo people have no login.
    ClosingFeedback.objects.create(
        duo=duo, side="mentee", rating=5, best="Les conseils pour l'entretien.", at=given
    )
    ClosingFeedback.objects.create(
        duo=duo, side="mentor", rating=4, improve="Plus de temps collectifs.", at=given
    )
    follow_up_answer(
        follow_up=FollowUp.objects.get(duo=duo),
        side="mentor",
        situation="employed",
        still_in_contact=True,
        usefulness=4,
        comment="Nous nous écrivons encore de temps en temps.",
    )


def _backdate(duo: Duo, started_on: datetime.date, *, signed: bool) -> None:
    """Move the automatic timestamps back to when the duo started, and its people's timeline."""
    start = _at(started_on, 10)
    Duo.objects.filter(pk=duo.pk).update(created_at=start)
    if signed:
        activated = start + datetime.timedelta(hours=2)
        Signature.objects.filter(agreement__duo=duo).update(signed_at=start)
        Agreement.objects.filter(duo=duo).update(frozen_at=activated)
        Duo.objects.filter(pk=duo.pk).update(activated_at=activated)
    for participant in (duo.mentor, duo.mentee):
        _backdate_timeline(participant, start)


def _backdate_timeline(participant: Participant, start: datetime.datetime) -> None:
    """Date the pairing steps at the duo's start, never before the step that preceded them."""
    changes = list(StatusChange.objects.filter(participant=participant).order_by("pk"))
    paired = [c for c in changes if c.to_status in (Status.MATCHED, Status.ACTIVE)]
    if not paired:
        return
    earlier = [c for c in changes if c.pk < paired[0].pk]
    moment = max([start, *(c.at for c in earlier)])
    for change in paired:
        change.at = moment
    StatusChange.objects.bulk_update(paired, ["at"])
    Participant.objects.filter(pk=participant.pk).update(status_changed_at=moment)
