"""Pages of the questionnaires app: a programme's questionnaires, import, answering, goals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.accounts.models import User
from binome.core.content import direction_of, language_name
from binome.core.forms import add_refusal
from binome.duos.access import access_duo
from binome.people.access import access_participant
from binome.programmes.access import access_organisation, access_programme
from binome.questionnaires import selectors, services
from binome.questionnaires.access import (
    access_assignment,
    access_questionnaire,
    access_response,
    questionnaires_for,
)
from binome.questionnaires.due import read_answer_token
from binome.questionnaires.forms import (
    AssignmentForm,
    EntryForm,
    GoalLevelsForm,
    GoalScoreForm,
    ImportForm,
    LanguageForm,
)
from binome.questionnaires.instruments import LANGUAGES, InstrumentError, parse_instrument
from binome.questionnaires.models import Answer, Assignment, GoalScale, Questionnaire, Response


@login_required
def programme_questionnaires(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = access_programme(request.user, programme_id)
    services.library_load()
    available = questionnaires_for(request.user).filter(
        Q(organisation__isnull=True) | Q(organisation_id=programme.organisation_id)
    )
    form = AssignmentForm(request.POST or None, questionnaires=available)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Questionnaire added."))
            return redirect("questionnaires:programme", programme.pk)
    context = {
        "programme": programme,
        "form": form,
        "assignments": selectors.assignments_of(programme),
        "instruments": selectors.instruments_with_languages(available, programme.organisation),
    }
    return render(request, "questionnaires/programme.html", context)


@login_required
@require_POST
def assignment_stop(
    request: AuthenticatedHttpRequest, programme_id: int, assignment_id: int
) -> HttpResponse:
    assignment = access_assignment(request.user, programme_id, assignment_id)
    services.assignment_stop(assignment=assignment, by=request.user)
    messages.success(request, _("This questionnaire is no longer sent."))
    return redirect("questionnaires:programme", programme_id)


@login_required
def questionnaire_import(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_organisation(request.user, organisation_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            data = parse_instrument(form.cleaned_data["content"])
            questionnaire = services.instrument_save(
                data=data, organisation=organisation, by=request.user
            )
        except InstrumentError as error:
            problems = error.problems
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Questionnaire imported."))
            return redirect("questionnaires:detail", questionnaire.pk)
    context = {"organisation": organisation, "form": form, "problems": problems}
    return render(request, "questionnaires/import.html", context, status=400 if problems else 200)


@login_required
def questionnaire_detail(request: AuthenticatedHttpRequest, questionnaire_id: int) -> HttpResponse:
    questionnaire = access_questionnaire(request.user, questionnaire_id)
    context = {
        "questionnaire": questionnaire,
        "versions": selectors.versions_of(
            questionnaire, _languages_of(request.user, questionnaire)
        ),
    }
    return render(request, "questionnaires/detail.html", context)


def _languages_of(user: User, questionnaire: Questionnaire) -> list[str]:
    """The languages the coordinator's organisation writes in (every one, for the library)."""
    if questionnaire.organisation is not None:
        return list(questionnaire.organisation.content_languages)
    return list(LANGUAGES)


@login_required
def participant_questionnaires(
    request: AuthenticatedHttpRequest, participant_id: int
) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    assignments = Assignment.objects.filter(
        programme_id=participant.programme_id, active=True
    ).select_related("questionnaire")
    form = EntryForm(request.POST or None, assignments=assignments)
    if request.method == "POST" and form.is_valid():
        assignment = form.cleaned_data["assignment"]
        try:
            response = services.response_start(
                participant=participant,
                questionnaire=assignment.questionnaire,
                assignment=assignment,
                moment=assignment.moment,
                language=form.cleaned_data["language"],
                entry_mode=form.cleaned_data["entry_mode"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return redirect("questionnaires:enter", response.pk)
    context = {
        "participant": participant,
        "form": form,
        "responses": selectors.responses_of(participant),
    }
    return render(request, "questionnaires/participant.html", context)


def _answer_flow(
    request: HttpRequest, response: Response, here: str, *, staff: bool
) -> HttpResponse:
    """One item per screen: choose, then "next"; a last screen sends the answers."""
    items = list(response.version.items.all())
    total = len(items)
    if response.is_submitted and not staff:
        return render(request, "questionnaires/thanks.html", {"response": response})
    step = _step(request, total)
    error = ""
    # After a conflict: the person's own answer, not saved, shown again with the new token.
    kept: Answer | None = None
    token: str | None = None
    if request.method == "POST":
        if "submit" in request.POST:
            try:
                services.response_submit(
                    response=response, by=_actor(request), version_lock=_lock(request)
                )
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
                step = total + 1
            else:
                if staff:
                    messages.success(request, _("Answers recorded."))
                    return redirect("questionnaires:participant", response.participant_id)
                return redirect(here)
        elif 1 <= step <= total:
            item = items[step - 1]
            try:
                services.response_answer(
                    response=response,
                    item=item,
                    raw=request.POST.getlist("value"),
                    by=_actor(request),
                    reason=request.POST.get("reason", ""),
                    seen=request.POST.get("seen"),
                )
            except services.AnswerConflict as conflict:
                error = " ".join(conflict.messages)
                number, choices, text = services.parse_value(item, request.POST.getlist("value"))
                kept = Answer(item=item, number=number, choices=choices, text=text)
                token = conflict.token
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                return redirect(f"{here}?step={step + 1}")
    response.refresh_from_db(fields=["version_lock"])
    answers = {answer.item_id: answer for answer in response.answers.all()}
    current = answers.get(items[step - 1].pk) if 1 <= step <= total else None
    context = {
        "response": response,
        "step": step,
        "total": total,
        "item": items[step - 1] if 1 <= step <= total else None,
        "answer": kept or current,
        "seen": token or services.answer_token(current),
        "answered": len(answers),
        "error": error,
        "here": here,
        "staff": staff,
        "content_language": response.language,
        "content_direction": direction_of(response.language),
        "language_missing": response.language not in response.version.languages,
        "to_check": response.language in response.questionnaire.unchecked_languages(),
    }
    return render(request, "questionnaires/answer.html", context, status=400 if error else 200)


def _step(request: HttpRequest, total: int) -> int:
    raw = request.POST.get("step") or request.GET.get("step") or "1"
    try:
        step = int(raw)
    except ValueError:
        return 1
    return min(max(step, 1), total + 1)


def _lock(request: HttpRequest) -> int | None:
    """The answers' version when the last screen was opened (none from an older page)."""
    raw = request.POST.get("version_lock", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _actor(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def answer(request: HttpRequest, token: str) -> HttpResponse:
    link = read_answer_token(token)
    if link is None:
        return render(request, "questionnaires/invalid.html", status=404)
    here = reverse("questionnaires:answer", kwargs={"token": token})
    response = selectors.response_at(link)
    if response is None:
        version = link.assignment.questionnaire.current_version()
        if version is None:
            raise Http404
        wanted = link.participant.language
        language_form = LanguageForm(request.POST or None)
        if request.method == "POST" and language_form.is_valid():
            wanted = language_form.cleaned_data["language"]
        elif wanted not in version.languages:
            choices = [(code, language_name(code)) for code in version.languages]
            context = {
                "questionnaire": link.assignment.questionnaire,
                "choices": choices,
                "wanted": language_name(wanted),
            }
            return render(request, "questionnaires/language.html", context)
        response = services.response_start(
            participant=link.participant,
            questionnaire=link.assignment.questionnaire,
            assignment=link.assignment,
            moment=link.assignment.moment,
            occurrence=link.occurrence,
            duo=link.duo,
            language=wanted,
        )
        return redirect(here)
    return _answer_flow(request, response, here, staff=False)


@login_required
def enter(request: AuthenticatedHttpRequest, response_id: int) -> HttpResponse:
    response = access_response(request.user, response_id)
    here = reverse("questionnaires:enter", kwargs={"response_id": response.pk})
    return _answer_flow(request, response, here, staff=True)


@login_required
def goals(request: AuthenticatedHttpRequest, duo_id: int) -> HttpResponse:
    duo_access = access_duo(request.user, duo_id)
    duo = duo_access.duo
    objectives = selectors.objectives_with_goals(duo)
    if request.method == "POST":
        objective = next(
            (o for o in objectives if str(o.pk) == request.POST.get("objective")), None
        )
        if objective is None:
            raise Http404
        try:
            if "score" in request.POST:
                form: GoalLevelsForm | GoalScoreForm = GoalScoreForm(request.POST)
                scale = getattr(objective, "goal_scale", None)
                if form.is_valid() and isinstance(scale, GoalScale):
                    services.goal_score_add(goal_scale=scale, by=request.user, **form.cleaned_data)
                    messages.success(request, _("Score recorded."))
                    return redirect("questionnaires:goals", duo.pk)
            else:
                form = GoalLevelsForm(request.POST)
                if form.is_valid():
                    services.goal_scale_write(
                        objective=objective, levels=form.levels(), by=request.user
                    )
                    messages.success(request, _("Levels saved."))
                    return redirect("questionnaires:goals", duo.pk)
            messages.error(request, _("Please check what you entered."))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
    context = {"duo": duo, "objectives": objectives, "score_form": GoalScoreForm()}
    return render(request, "questionnaires/goals.html", context)
