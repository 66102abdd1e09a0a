from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core import vocab
from binome.core.errors import EditConflict
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.matching import access, adapter, explain, selectors, services
from binome.matching.forms import (
    AnswerForm,
    MatchingSettingsForm,
    ProposeForm,
    RunActionForm,
    RunFilterForm,
)
from binome.matching.models import MatchingRun, Proposal, RunRow
from binome.people import access as people_access
from binome.people.models import Participant
from binome.programmes import access as programmes_access
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.reference import languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _errors(form: BaseForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _pair(
    request: AuthenticatedHttpRequest, programme: Programme, ids: tuple[int, int]
) -> tuple[Participant, Participant]:
    mentee = people_access.access_programme_participant(request.user, programme.pk, ids[0])
    mentor = people_access.access_programme_participant(request.user, programme.pk, ids[1])
    return mentee, mentor


# What the page says after each action; every change of the rules starts a new run.
_DONE: dict[str, StrOrPromise] = {
    "lock": gettext_lazy("Pair locked: the matching runs again."),
    "forbid": gettext_lazy("Pair forbidden: the matching runs again."),
    "skip": gettext_lazy("Pair left out of the next run only: the matching runs again."),
    "clear": gettext_lazy("Rule removed: the matching runs again."),
    "exchange": gettext_lazy("Partners exchanged and both pairs locked: the matching runs again."),
    "rerun": gettext_lazy("The matching runs again."),
}


def _act(request: AuthenticatedHttpRequest, programme: Programme, data: dict[str, Any]) -> str:
    """Apply one action of the matching page; return the message to show."""
    verb, ids = data["action"]
    user = request.user
    if verb in ("lock", "forbid", "skip"):
        mentee, mentor = _pair(request, programme, ids)
        services.pair_rule_set(
            programme=programme, mentee=mentee, mentor=mentor, kind=verb, actor=user
        )
    elif verb == "clear":
        mentee, mentor = _pair(request, programme, ids)
        services.pair_rule_clear(programme=programme, mentee=mentee, mentor=mentor, actor=user)
    elif verb == "exchange":
        first, second = (_pair(request, programme, ids) for ids in data["swap"])
        services.pairs_exchange(programme=programme, first=first, second=second, actor=user)
    elif verb == "send":
        sent = services.proposals_send_reviewed(
            programme=programme,
            run_id=data["run"] or 0,
            fingerprint=data["fingerprint"],
            actor=user,
        )
        return _("%(count)s proposals sent.") % {"count": len(sent)}
    elif verb == "send_ticked":
        sent = services.proposals_send_reviewed(
            programme=programme,
            run_id=data["run"] or 0,
            fingerprint=data["fingerprint"],
            actor=user,
            only=data["swap"],
        )
        return _("%(count)s proposals sent.") % {"count": len(sent)}
    services.matching_run_request(programme=programme, actor=user)
    return str(_DONE[verb])


def _focus_after(data: dict[str, Any]) -> str:
    """The fragment of the element to take the keyboard focus back to after an action.

    The page reloads after a Lock or an Exchange: without it the focus would jump to the top and
    a keyboard or screen reader user would have to find their row again. A query, not a
    fragment: htmx redirects by setting the address, and an address that differs from the page's
    by its fragment alone only scrolls, it does not load the page again.
    """
    verb, ids = data["action"]
    if verb in ("lock", "forbid", "clear") and ids:
        return "?focus=pair-" + "-".join(str(part) for part in ids)
    if verb == "exchange":
        return "?focus=exchange"
    return ""


@dataclass
class _Row:
    """A run's row as the page shows it, in the reader's language."""

    row: RunRow
    explanation: str = ""
    reason: str = ""
    criteria: list[dict[str, Any]] = field(default_factory=list)
    warnings: str = ""


def _present(row: RunRow, kind: str, needs: dict[str, str]) -> _Row:
    if not row.is_pair:
        return _Row(row, reason=explain.render_reason(row.reason_code, row.reason_params))
    criteria = [{**c, "label": explain.CRITERIA.get(c["name"], c["name"])} for c in row.criteria]
    return _Row(
        row,
        explanation=explain.render_explanation(row.explanation_parts, kind, needs),
        criteria=criteria,
        warnings=explain.render_constraints(row.warnings),
    )


PAGE_SIZE = 100


@login_required
def run(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    url = reverse("matching:run", args=[programme.pk])
    if request.method == "POST":
        form = RunActionForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_errors(form))
            messages.success(request, _act(request, programme, form.cleaned_data))
            url += _focus_after(form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    latest = selectors.latest_run(programme)
    if latest is not None:
        latest = services.matching_run_refresh(run=latest)
    filters = RunFilterForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    rows = (
        selectors.run_rows(
            latest, q=wanted.get("q", ""), show=wanted.get("show", ""), below=wanted.get("below")
        )
        if latest is not None and latest.status == MatchingRun.Status.DONE
        else RunRow.objects.none()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    needs = vocabulary_of(programme).texts(Vocabulary.NEEDS)
    context = {
        "programme": programme,
        "run": latest,
        "filters": filters,
        "page": page,
        "shown": [_present(row, programme.kind, needs) for row in page],
        "rules": selectors.programme_rules(programme),
        "proposals": (
            selectors.stale_proposals(programme)
            if request.GET.get("waiting")
            else selectors.programme_proposals(programme)
        )[:50],
        "waiting": bool(request.GET.get("waiting")),
    }
    template = "matching/run.html#rows" if request.htmx else "matching/run.html"
    return render(request, template, context)


@login_required
def status(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The latest run's status, polled by the page while a run waits or runs."""
    programme = programmes_access.access_programme(request.user, programme_id)
    latest = selectors.latest_run(programme)
    if latest is not None:
        latest = services.matching_run_refresh(run=latest)
    response = render(request, "matching/run.html#status", {"programme": programme, "run": latest})
    if request.htmx and (latest is None or not latest.active):
        # Finished (or failed): the whole page shows the result.
        response["HX-Refresh"] = "true"
    return response


@login_required
def settings(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = programmes_access.access_programme(request.user, programme_id)
    conf = adapter.settings_for(programme)
    initial = {
        "min_language_level": conf.min_language_level,
        "min_shared_slots": conf.min_shared_slots,
        "min_score": conf.min_score,
        "require_training": conf.require_training,
        "method": conf.method,
        **{f"weight_{k}": v for k, v in conf.resolved_weights().items()},
        "version": conf.version,
    }
    form = MatchingSettingsForm(request.POST or None, initial=initial)
    reset = "reset" in request.POST
    changes = form.changes(reset=reset) if request.method == "POST" else None
    if changes is not None:
        try:
            services.matching_settings_save(programme=programme, actor=request.user, **changes)
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        else:
            default = _("Weights set back to the defaults of this kind of programme.")
            messages.success(request, default if reset else _("Matching settings saved."))
            return redirect("matching:settings", programme.pk)
    return render(request, "matching/settings.html", {"programme": programme, "form": form})


@login_required
def shortlist(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = people_access.access_programme_participant(
        request.user, programme_id, participant_id
    )
    programme = participant.programme
    context = {
        "programme": programme,
        "participant": participant,
        "pairs": adapter.shortlist(programme, participant, limit=10),
    }
    template = "matching/shortlist.html#list" if request.htmx else "matching/shortlist.html"
    return render(request, template, context)


def _partners(participant: Participant) -> list[tuple[int, str]]:
    """The people of the other side a coordinator may choose for this participant."""
    if participant.role == Participant.Role.MENTEE:
        wanted = {"role": Participant.Role.MENTOR, "status__in": [STATUS.READY, STATUS.MATCHED]}
    else:
        wanted = {"role": Participant.Role.MENTEE, "status": STATUS.READY}
    found = Participant.objects.filter(programme_id=participant.programme_id, **wanted)
    people = found.only("pk", "first_name", "last_name", "team_name", "kind").order_by("pk")
    return sorted(((p.pk, p.display_name) for p in people), key=lambda item: item[1].casefold())


@login_required
def propose(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    """Propose one pair chosen by hand, after seeing what the engine says of it."""
    participant = people_access.access_programme_participant(
        request.user, programme_id, participant_id
    )
    programme = participant.programme
    form = ProposeForm(request.POST or request.GET or None, partners=_partners(participant))
    assessed = None
    if form.is_bound and form.is_valid():
        other = people_access.access_programme_participant(
            request.user, programme.pk, form.cleaned_data["partner"]
        )
        mentee, mentor = (
            (participant, other) if participant.role == "mentee" else (other, participant)
        )
        assessed = adapter.assess_pair(programme, mentee, mentor)
        if request.method == "POST":
            try:
                sent = services.proposal_send_chosen(
                    programme=programme,
                    mentee=mentee,
                    mentor=mentor,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("Proposal sent to both."))
                return redirect("matching:proposal", sent.pk)
    context = {
        "programme": programme,
        "participant": participant,
        "form": form,
        "assessed": assessed,
        "broken": [explain.CONSTRAINTS.get(c, c) for c in assessed.broken] if assessed else [],
    }
    return render(request, "matching/propose.html", context)


STATUS = Participant.Status
LEVELS = dict(vocab.CEFR_CHOICES)


def _languages(participant: Participant) -> list[str]:
    return [
        f"{languages.language_name(code)} ({LEVELS.get(level, level)})"
        for code, level in sorted((participant.languages or {}).items())
    ]


@login_required
def proposal(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    found, sides, staff = access.access_proposal(request.user, proposal_id)
    side = sides[0] if sides else None
    other = None
    if side:
        other = found.mentor if side == "mentee" else found.mentee
    context = {
        "proposal": found,
        "side": side,
        "staff": staff,
        "other": other,
        "other_languages": _languages(other) if other else [],
        "explanation": explain.render_explanation(
            found.explanation_parts,
            found.programme.kind,
            vocabulary_of(found.programme).texts(Vocabulary.NEEDS),
        ),
        "broken": explain.render_constraints(found.broken_rules) if staff else "",
        "my_answer": found.answer_of(side) if side else "",
        "form": AnswerForm(),
    }
    return render(request, "matching/proposal.html", context)


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    found, sides, staff = access.access_proposal(request.user, proposal_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("matching:proposal", found.pk)
    side, by_coordinator = (sides[0], False) if sides else (form.cleaned_data["side"], True)
    try:
        result = services.proposal_answer(
            proposal=found,
            side=side,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
            by_coordinator=by_coordinator,
            channel=form.cleaned_data["channel"] if by_coordinator else "",
            given_on=form.cleaned_data["given_on"] if by_coordinator else None,
        )
    except services.ProposalError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching:proposal", found.pk)
    messages.success(request, _STATUS_MESSAGES[result.status])
    return redirect("matching:proposal", found.pk)


# By the proposal's status, a plain str when read from the row.
_STATUS_MESSAGES: dict[str, StrOrPromise] = {
    Proposal.Status.PENDING: gettext_lazy("Thank you, your answer is recorded."),
    Proposal.Status.ACCEPTED: gettext_lazy("Both said yes: the duo is formed."),
    Proposal.Status.DECLINED: gettext_lazy("The proposal is declined. Thank you for your answer."),
    Proposal.Status.CANCELLED: gettext_lazy(
        "The mentor has no free seat any more: the proposal is cancelled."
    ),
}


@login_required
def my_proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    proposals = selectors.proposals_for_party(request.user)
    return render(request, "matching/my_proposals.html", {"proposals": proposals})
