"""Every write of the matching: settings, locks and exclusions, proposals and their answers."""

from __future__ import annotations

import datetime
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binome.accounts.models import User
from binome.core.audit import audit, changes_since
from binome.core.errors import EditConflict, Refused, conflict_message
from binome.core.vocab import ENTRY_CHANNELS
from binome.duos.models import Duo
from binome.duos.services.agreement import agreement_open
from binome.duos.services.common import duo_start
from binome.matching import adapter, explain
from binome.matching.models import MatchingRun, MatchingSettings, PairRule, Proposal, RunRow
from binome.people.models import Participant
from binome.people.services import participant_set_status
from binome.programmes.models import Programme

STATUS = Participant.Status
SIDES = ("mentee", "mentor")


class ProposalError(Refused):
    """A proposal that cannot be sent or answered as asked; the message is for the user."""


class SettingsFields(TypedDict, total=False):
    """What a save of the matching settings may change: the settings form's fields."""

    weights: dict[str, int]
    min_language_level: str
    min_shared_slots: int
    min_score: int
    require_training: bool
    method: str


@transaction.atomic
def matching_settings_save(
    *,
    programme: Programme,
    actor: User,
    expected_version: int,
    **fields: Unpack[SettingsFields],
) -> MatchingSettings:
    """Save a programme's matching settings, refusing if someone saved them since then."""
    # The first save creates the row. get_or_create inserts it in a savepoint and, when a
    # concurrent first save committed the programme's row first (the insert then breaks the
    # one-per-programme constraint), reads and locks that row instead: the later save is then
    # refused below as a conflict, never a server error.
    conf, _created = MatchingSettings.objects.select_for_update().get_or_create(
        programme=programme, defaults=MatchingSettings.kind_defaults(programme)
    )
    if conf.version != expected_version:
        by, names = changes_since(target=conf, action="matching.settings", version=expected_version)
        changed = [
            str(f.verbose_name) for f in MatchingSettings._meta.concrete_fields if f.name in names
        ]
        raise EditConflict(
            conflict_message(what=gettext("matching settings"), by=by, changed=changed),
            current_version=conf.version,
            changed=changed,
            by=by,
        )
    changed = sorted(name for name, value in fields.items() if getattr(conf, name) != value)
    for name, value in fields.items():
        setattr(conf, name, value)
    conf.version += 1
    conf.full_clean()
    conf.save(update_fields=[*fields, "version", "updated_at"])
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="matching.settings",
        target=conf,
        fields=changed,
        version=conf.version,
    )
    return conf


def _check_pair(programme: Programme, mentee: Participant, mentor: Participant) -> None:
    if mentee.programme_id != programme.pk or mentor.programme_id != programme.pk:
        raise ValidationError(_("Both people must belong to this programme."))
    if mentee.role != Participant.Role.MENTEE or mentor.role != Participant.Role.MENTOR:
        raise ValidationError(_("A pair is made of one mentee and one mentor."))


@transaction.atomic
def pair_rule_set(
    *, programme: Programme, mentee: Participant, mentor: Participant, kind: str, actor: User
) -> PairRule:
    """Lock a pair (keep it in every run) or forbid it (never propose it)."""
    _check_pair(programme, mentee, mentor)
    if kind == PairRule.Kind.LOCK:
        # A mentee is locked with one mentor at most: the newest decision wins.
        PairRule.objects.filter(mentee=mentee, kind=PairRule.Kind.LOCK).exclude(
            mentor=mentor
        ).delete()
    rule, _created = PairRule.objects.update_or_create(
        mentee=mentee, mentor=mentor, defaults={"programme": programme, "kind": kind, "by": actor}
    )
    audit(
        actor=actor,
        organisation=programme.organisation,
        action=f"matching.{kind}",
        target=rule,
        mentee=mentee.pk,
        mentor=mentor.pk,
    )
    return rule


@transaction.atomic
def pair_rule_clear(
    *, programme: Programme, mentee: Participant, mentor: Participant, actor: User
) -> None:
    """Remove a coordinator's lock or exclusion of a pair."""
    _check_pair(programme, mentee, mentor)
    deleted, _ = PairRule.objects.filter(programme=programme, mentee=mentee, mentor=mentor).delete()
    if deleted:
        audit(
            actor=actor,
            organisation=programme.organisation,
            action="matching.clear",
            target=mentee,
            mentor=mentor.pk,
        )


@transaction.atomic
def pairs_exchange(
    *,
    programme: Programme,
    first: tuple[Participant, Participant],
    second: tuple[Participant, Participant],
    actor: User,
) -> None:
    """Exchange the mentors of two pairs and lock both new pairs."""
    (mentee_a, mentor_a), (mentee_b, mentor_b) = first, second
    if mentee_a.pk == mentee_b.pk or mentor_a.pk == mentor_b.pk:
        raise ValidationError(_("Choose two pairs with different mentees and mentors."))
    new_pairs = [(mentee_a, mentor_b), (mentee_b, mentor_a)]
    for mentee, mentor in new_pairs:
        _check_pair(programme, mentee, mentor)
        if PairRule.objects.filter(
            mentee=mentee, mentor=mentor, kind=PairRule.Kind.FORBID
        ).exists():
            raise ValidationError(
                _("%(mentee)s and %(mentor)s may not be paired (declined or excluded before).")
                % {"mentee": mentee.display_name, "mentor": mentor.display_name}
            )
    for mentee, mentor in new_pairs:
        pair_rule_set(
            programme=programme, mentee=mentee, mentor=mentor, kind=PairRule.Kind.LOCK, actor=actor
        )


def _free_seats(mentor: Participant) -> int:
    duos = Duo.objects.filter(mentor=mentor, status__in=Duo.OPEN_STATUSES).count()
    pending = Proposal.objects.filter(mentor=mentor, status=Proposal.Status.PENDING).count()
    return mentor.capacity - duos - pending


@transaction.atomic
def proposals_send_reviewed(
    *,
    programme: Programme,
    run_id: int,
    fingerprint: str,
    actor: User,
    only: list[tuple[int, int]] | None = None,
) -> list[Proposal]:
    """Send the pairs of the run the coordinator reviewed, if nothing moved since it ran.

    The run must be the programme's latest, finished, the one shown (its fingerprint), and the
    pool, rules and settings must be what the engine was given (its input hash). With `only`,
    just those (mentee id, mentor id) pairs are sent: the ones she ticked.
    """
    if only is not None and not only:
        raise ProposalError(gettext("Tick the pairs to send first."))
    latest = MatchingRun.objects.filter(programme=programme).first()
    changed = ProposalError(
        gettext("The proposed pairs changed since you saw them: review them and send again.")
    )
    if (
        latest is None
        or latest.pk != run_id
        or latest.status != MatchingRun.Status.DONE
        or latest.fingerprint != fingerprint
        or not latest.pair_count
    ):
        raise changed
    if adapter.input_hash(adapter.build_pool(programme)) != latest.input_hash:
        raise ProposalError(
            gettext(
                "People, rules or settings changed since this run: run the matching again, "
                "then send."
            )
        )
    rows = latest.rows.filter(mentee__isnull=False, mentor__isnull=False).select_related(
        "mentee", "mentor"
    )
    chosen = list(rows)
    if only is not None:
        wanted = set(only)
        chosen = [row for row in chosen if (row.mentee_id, row.mentor_id) in wanted]
        if len(chosen) != len(wanted):
            raise changed
    pairs = [adapter.shown_from_row(row) for row in chosen]
    return proposals_send(programme=programme, pairs=pairs, actor=actor)


@transaction.atomic
def proposal_send_chosen(
    *,
    programme: Programme,
    mentee: Participant,
    mentor: Participant,
    actor: User,
    reason: str = "",
) -> Proposal:
    """Send one pair the coordinator chose herself; a pair breaking a hard rule needs a reason.

    The mentor's free seat and the mentee's waiting are never overridden: they are checked under
    the same locks as a run's proposals, so two coordinators cannot hand out one last seat twice.
    """
    _check_pair(programme, mentee, mentor)
    reason = reason.strip()
    assessed = adapter.assess_pair(programme, mentee, mentor)
    if assessed.broken and not reason:
        raise ProposalError(
            gettext(
                "This pair breaks a rule of the programme (%(rules)s): give a reason to propose "
                "it anyway."
            )
            % {"rules": explain.render_constraints(assessed.broken)}
        )
    pair = assessed.pair
    [proposal] = proposals_send(programme=programme, pairs=[pair], actor=actor)
    proposal.chosen_by_hand = True
    proposal.broken_rules = assessed.broken
    proposal.override_reason = reason[:500] if assessed.broken else ""
    proposal.full_clean()
    proposal.save(update_fields=["chosen_by_hand", "broken_rules", "override_reason"])
    # A pair sent despite "never" or "not in this run" is the coordinator's newer decision.
    PairRule.objects.filter(mentee=mentee, mentor=mentor).exclude(kind=PairRule.Kind.LOCK).delete()
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="proposal.chosen",
        target=proposal,
        # The reason itself stays on the proposal: the audit row names the rules only.
        broken=assessed.broken,
    )
    return proposal


def proposals_send(
    *, programme: Programme, pairs: list[adapter.ShownPair], actor: User
) -> list[Proposal]:
    """Create a pending proposal for each shown pair; all of them, or none."""
    mentor_ids = sorted({pair.mentor.pk for pair in pairs})
    # Lock the mentors, in a fixed order, so two coordinators cannot hand out the same seat.
    mentors = {
        m.pk: m
        for m in Participant.objects.select_for_update().filter(pk__in=mentor_ids).order_by("pk")
    }
    seats = {pk: _free_seats(m) for pk, m in mentors.items()}
    created: list[Proposal] = []
    for pair in pairs:
        mentee = Participant.objects.select_for_update().get(pk=pair.mentee.pk)
        if (
            mentee.status != STATUS.READY
            or mentee.proposals_as_mentee.filter(status=Proposal.Status.PENDING).exists()
        ):
            raise ProposalError(
                _("%(name)s is no longer waiting for a mentor: run the matching again.")
                % {"name": mentee.display_name}
            )
        if seats[pair.mentor.pk] <= 0:
            raise ProposalError(
                _("%(name)s has no free seat any more: run the matching again.")
                % {"name": pair.mentor.display_name}
            )
        seats[pair.mentor.pk] -= 1
        proposal = Proposal(
            programme=programme,
            mentee=mentee,
            mentor=mentors[pair.mentor.pk],
            score=pair.score,
            criteria={c["name"]: {"points": c["points"], "max": c["max"]} for c in pair.criteria},
            # "Kept as agreed before" is the coordinator's business, not the pair's.
            explanation_parts=[p for p in pair.explanation_parts if p["key"] != "locked"],
            created_by=actor,
        )
        proposal.full_clean()
        proposal.save()
        audit(
            actor=actor,
            organisation=programme.organisation,
            action="proposal.send",
            target=proposal,
        )
        created.append(proposal)
    # The locks did their job: the pairs are now proposals.
    PairRule.objects.filter(
        programme=programme, kind=PairRule.Kind.LOCK, mentee__in=[p.mentee for p in created]
    ).delete()
    return created


@transaction.atomic
def proposal_answer(
    *,
    proposal: Proposal,
    side: str,
    answer: str,
    actor: User,
    reason: str = "",
    by_coordinator: bool = False,
    channel: str = "",
    given_on: datetime.date | None = None,
) -> Proposal:
    """Record one side's answer: both accept → a duo; a decline → both back, pair forbidden.

    A coordinator recording an answer for a side says how it was given (phone, paper, in
    person) and on which day.
    """
    if side not in SIDES or answer not in (Proposal.Answer.ACCEPTED, Proposal.Answer.DECLINED):
        raise ProposalError(_("This answer is not possible."))
    if by_coordinator and channel and channel not in ENTRY_CHANNELS:
        raise ProposalError(_("This answer is not possible."))
    today = timezone.localdate()
    if given_on is not None and given_on > today:
        raise ProposalError(_("The day it was given cannot be in the future."))
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.Status.PENDING:
        raise ProposalError(_("This proposal has already been settled."))
    if locked.answer_of(side):
        raise ProposalError(_("This answer has already been given."))
    now = timezone.now()
    if by_coordinator and given_on is not None and given_on != today:
        if given_on < timezone.localdate(locked.created_at):
            raise ProposalError(_("The day it was given cannot be before the proposal was sent."))
        now = timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12)))
    setattr(locked, f"{side}_answer", answer)
    setattr(locked, f"{side}_answered_at", now)
    setattr(locked, f"{side}_recorded_by_coordinator", by_coordinator)
    setattr(locked, f"{side}_channel", channel if by_coordinator else "")
    fields = [
        f"{side}_answer",
        f"{side}_answered_at",
        f"{side}_recorded_by_coordinator",
        f"{side}_channel",
    ]
    if answer == Proposal.Answer.DECLINED:
        locked.status = Proposal.Status.DECLINED
        locked.decline_reason = reason[:500]
        fields += ["status", "decline_reason"]
        # A declined pair is never proposed again.
        PairRule.objects.update_or_create(
            mentee_id=locked.mentee_id,
            mentor_id=locked.mentor_id,
            defaults={
                "programme_id": locked.programme_id,
                "kind": PairRule.Kind.FORBID,
                "by": actor,
            },
        )
    elif locked.mentee_answer == locked.mentor_answer == Proposal.Answer.ACCEPTED:
        locked.status = _open_duo(locked, actor)
        fields.append("status")
    locked.full_clean()
    locked.save(update_fields=fields)
    audit(
        actor=actor,
        organisation=locked.programme.organisation,
        action=f"proposal.{answer}",
        target=locked,
        side=side,
        by_coordinator=by_coordinator,
        channel=channel,
    )
    return locked


def _open_duo(proposal: Proposal, actor: User) -> str:
    """Create the duo if the mentor still has a seat; return the proposal's new status."""
    # The mentor's row is the lock: a second acceptance for the same mentor waits here, then
    # counts the duo the first one created.
    mentor = Participant.objects.select_for_update().get(pk=proposal.mentor_id)
    mentee = Participant.objects.select_for_update().get(pk=proposal.mentee_id)
    open_duos = Duo.objects.filter(mentor=mentor, status__in=Duo.OPEN_STATUSES).count()
    if open_duos >= mentor.capacity or mentee.status != STATUS.READY:
        return Proposal.Status.CANCELLED
    duo = Duo(programme_id=proposal.programme_id, mentor=mentor, mentee=mentee, proposal=proposal)
    duo.full_clean()
    duo.save()
    duo_start(duo=duo, actor=proposal.created_by or actor)
    agreement_open(duo=duo, actor=actor)
    participant_set_status(participant=mentee, to_status=STATUS.MATCHED, actor=actor)
    if mentor.status == STATUS.READY:
        participant_set_status(participant=mentor, to_status=STATUS.MATCHED, actor=actor)
    audit(
        actor=actor, organisation=proposal.programme.organisation, action="duo.create", target=duo
    )
    return Proposal.Status.ACCEPTED


# --- Matching runs: requested on the page, done by a task worker --------------------------------


def matching_run_request(*, programme: Programme, actor: User | None) -> MatchingRun:
    """Queue a run of the engine for the programme; the one waiting or running, if any."""
    from binome.matching import tasks  # the task calls back into this module

    active = MatchingRun.objects.filter(programme=programme, status__in=MatchingRun.ACTIVE)
    try:
        with transaction.atomic():
            run = MatchingRun.objects.create(programme=programme, requested_by=actor)
            # In the same transaction as the run: both are stored, or neither (never a run
            # that no task will ever pick up).
            result = tasks.matching_run.enqueue(run.pk)
            run.task_id = str(result.id)
            run.save(update_fields=["task_id"])
    except IntegrityError:
        # A run of this programme is already waiting or running (a double click, or another
        # coordinator at the same moment): that one it is.
        found = active.first()
        if found is None:
            raise
        return found
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="matching.run",
        target=run,
    )
    return MatchingRun.objects.get(pk=run.pk)


class RunOutcome(TypedDict):
    """What a run's task returns (stored with the task's result)."""

    run: int
    status: str
    pairs: int
    unmatched: int


def matching_run_execute(*, run_id: int, task_id: str) -> RunOutcome:
    """Run the engine for a queued run and store its rows; safe to call again for the same task."""
    now = timezone.now()
    # Compare-and-set: the run is taken by its own task only, once queued, or again after that
    # task's worker died part-way (the rows are written in one transaction, so none are left).
    # (An immediate backend runs the task before its id is stored on the run: "" is its own.)
    queued = Q(status=MatchingRun.Status.QUEUED, task_id__in=[task_id, ""])
    again = Q(status=MatchingRun.Status.RUNNING, task_id=task_id)
    taken = MatchingRun.objects.filter(queued | again, pk=run_id).update(
        status=MatchingRun.Status.RUNNING,
        task_id=task_id,
        started_at=now,
        attempts=F("attempts") + 1,
    )
    run = MatchingRun.objects.select_related("programme").get(pk=run_id)
    outcome: RunOutcome = {"run": run.pk, "status": run.status, "pairs": 0, "unmatched": 0}
    if not taken:
        return outcome
    try:
        done = adapter.compute(run.programme)
    except Exception:
        _run_fail(run, task_id, gettext("The run stopped on an unexpected error."))
        raise  # the task is marked failed too, with its traceback
    return matching_run_store(run_id=run_id, task_id=task_id, done=done) or outcome


def matching_run_store(*, run_id: int, task_id: str, done: adapter.Computed) -> RunOutcome | None:
    """Store the engine's answer as the run's rows, in one transaction; None if the run is gone.

    Only the task that holds the run stores it (a run taken over by another task, or stopped,
    is left alone). The older runs' rows are deleted: only the newest result is shown or sent.
    """
    with transaction.atomic():
        locked = (
            MatchingRun.objects.select_for_update()
            .filter(pk=run_id, task_id=task_id, status=MatchingRun.Status.RUNNING)
            .first()
        )
        if locked is None:
            return None
        if done.error:
            locked.status = MatchingRun.Status.FAILED
            locked.error = done.error
        else:
            rows = adapter.stored_rows(done)
            for row in rows:
                row.run = locked
            RunRow.objects.bulk_create(rows, batch_size=1000)
            # "Not in this run" held for this run only.
            PairRule.objects.filter(
                pk__in=done.pool.skip_rule_ids, kind=PairRule.Kind.SKIP
            ).delete()
            # Only the newest result is shown or sent: older runs keep their figures, not rows.
            RunRow.objects.filter(
                run__programme_id=locked.programme_id, run_id__lt=locked.pk
            ).delete()
            locked.status = MatchingRun.Status.DONE
            locked.pair_count = len(done.pairs)
            locked.unmatched_count = len(done.unmatched)
            locked.stats = done.stats
            locked.fingerprint = adapter.stored_fingerprint(done)
        locked.input_hash = adapter.input_hash(done.pool)
        locked.finished_at = timezone.now()
        locked.save()
    return {
        "run": locked.pk,
        "status": locked.status,
        "pairs": locked.pair_count,
        "unmatched": locked.unmatched_count,
    }


def _run_fail(run: MatchingRun, task_id: str, message: str) -> None:
    MatchingRun.objects.filter(pk=run.pk, task_id=task_id, status__in=MatchingRun.ACTIVE).update(
        status=MatchingRun.Status.FAILED, error=message, finished_at=timezone.now()
    )


def matching_run_refresh(*, run: MatchingRun) -> MatchingRun:
    """Mark failed a waiting or running run whose task ended or vanished (workers died on it)."""
    if not run.active or not run.task_id:
        return run
    try:
        result = default_task_backend.get_result(run.task_id)
    except TaskResultDoesNotExist:
        failed = True
    else:
        # Finished while the run still waits or runs: nothing will ever finish the run (a done
        # run was stored before its task finished, so it is no longer active by now).
        failed = result.is_finished
    if failed:
        _run_fail(run, run.task_id, gettext("The run was interrupted: run the matching again."))
        run.refresh_from_db()
    return run
