"""Training: a person follows her path on a phone; staff write modules, paths and records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.errors import EditConflict, Refused
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.people.access import access_participant
from binome.people.models import Participant
from binome.programmes.access import access_programme
from binome.training import access, quiz, selectors, services
from binome.training.forms import (
    ExternalTrainingForm,
    ModuleForm,
    PathForm,
    QuestionForm,
    SkillForm,
    SkillsForm,
)
from binome.training.models import Completion, Skill, TrainingPath
from binome.training.pdf import attestation_pdf
from binome.training.video import embed_url


# A participant's pages.
@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = access.own_trainee(request.user)
    if trainee is None:
        raise Http404
    return render(
        request,
        "training/mine.html",
        {"participant": trainee, "progress": selectors.progress(trainee)},
    )


@login_required
def module(request: AuthenticatedHttpRequest, module_id: int) -> HttpResponse:
    chosen = access.access_module(request.user, module_id)
    trainee = access.own_trainee(request.user)
    completion = (
        Completion.objects.filter(participant=trainee, module=chosen).first() if trainee else None
    )
    questions = list(chosen.questions.select_related("module__organisation"))
    return render(
        request,
        "training/module.html",
        {
            "module": chosen,
            "trainee": trainee,
            "completion": completion,
            "questions": [(q, quiz.localized_choices(q)) for q in questions],
            "embed": embed_url(chosen.video_url),
            "attachments": chosen.attachments.select_related("organisation"),
        },
    )


def _answers(request: AuthenticatedHttpRequest, question_ids: list[int]) -> dict[int, set[int]]:
    answers: dict[int, set[int]] = {}
    for pk in question_ids:
        picked = request.POST.getlist(f"q{pk}")
        answers[pk] = {int(v) for v in picked if v.isascii() and v.isdigit() and len(v) < 4}
    return answers


@login_required
@require_POST
def complete(request: AuthenticatedHttpRequest, module_id: int) -> HttpResponse:
    chosen = access.access_module(request.user, module_id)
    trainee = access.own_trainee(request.user)
    if trainee is None:
        raise Http404
    ids = list(chosen.questions.values_list("pk", flat=True))
    completion = services.module_complete(
        participant=trainee, module=chosen, answers=_answers(request, ids)
    )
    if completion.completed_at is None:
        messages.error(
            request,
            _("%(score)s%% right: %(mark)s%% is needed. Read the module again and retry.")
            % {"score": completion.score, "mark": chosen.pass_mark},
        )
        return redirect("training:module", chosen.pk)
    if completion.score is not None:
        messages.success(
            request, _("Module completed: %(score)s%% right.") % {"score": completion.score}
        )
    else:
        messages.success(request, _("Module completed."))
    return redirect("training:mine")


@login_required
def my_attestation(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = access.own_trainee(request.user)
    if trainee is None or trainee.role != Participant.Role.MENTOR:
        raise Http404
    return _pdf(trainee)


def _pdf(participant: Participant) -> HttpResponse:
    content, language = attestation_pdf(participant)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{language}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Staff pages.
@login_required
def catalogue(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access.access_organisation(request.user, organisation_id)
    programmes = organisation.programmes.all()
    return render(
        request,
        "training/catalogue.html",
        {
            "organisation": organisation,
            "modules": selectors.organisation_modules(organisation.pk),
            "programmes": programmes,
            "roles": Participant.Role.choices,
        },
    )


@login_required
def module_create(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access.access_organisation(request.user, organisation_id)
    form = ModuleForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.module_create(
                organisation=organisation,
                actor=request.user,
                data=form.data_for_service(),
                translations=form.cleaned_translations(),
                attachments=form.cleaned_data["attachments"],
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Module created."))
            return redirect("training:module_edit", created.pk)
    return render(
        request, "training/module_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def module_edit(request: AuthenticatedHttpRequest, module_id: int) -> HttpResponse:
    chosen = access.access_module(request.user, module_id, staff_only=True)
    form = ModuleForm(request.POST or None, instance=chosen, organisation=chosen.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(
                module=chosen,
                actor=request.user,
                version=form.cleaned_data["version"] or 0,
                data=form.data_for_service(),
                translations=form.cleaned_translations(),
                attachments=form.cleaned_data["attachments"],
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("training:module_edit", chosen.pk)
    return render(
        request,
        "training/module_form.html",
        {
            "form": form,
            "organisation": chosen.organisation,
            "module": chosen,
            "questions": chosen.questions.all(),
            "question_form": QuestionForm(organisation=chosen.organisation),
            "missing": chosen.missing_languages(chosen.organisation.content_languages),
        },
    )


@login_required
def question(
    request: AuthenticatedHttpRequest, module_id: int, question_id: int | None = None
) -> HttpResponse:
    chosen = access.access_module(request.user, module_id, staff_only=True)
    existing = access.access_question(request.user, module_id, question_id) if question_id else None
    form = QuestionForm(request.POST or None, instance=existing, organisation=chosen.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                module=chosen,
                actor=request.user,
                text=form.cleaned_data["text"],
                choices=form.cleaned_data["choices"],
                translations=form.cleaned_translations(),
                question=existing,
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("training:module_edit", chosen.pk)
    return render(
        request,
        "training/question_form.html",
        {"form": form, "module": chosen, "question": existing},
    )


@login_required
@require_POST
def question_delete(
    request: AuthenticatedHttpRequest, module_id: int, question_id: int
) -> HttpResponse:
    existing = access.access_question(request.user, module_id, question_id)
    services.question_delete(question=existing, actor=request.user)
    messages.success(request, _("Question removed."))
    return redirect("training:module_edit", module_id)


@login_required
def path(request: AuthenticatedHttpRequest, programme_id: int, role: str) -> HttpResponse:
    programme = access_programme(request.user, programme_id)
    if role not in Participant.Role.values:
        raise Http404
    current = TrainingPath.objects.filter(programme=programme, role=role).first()
    initial = (
        {
            "modules": [s.module_id for s in current.steps.all()],
            "sessions_required": current.sessions_required,
        }
        if current
        else {}
    )
    form = PathForm(request.POST or None, initial=initial, organisation=programme.organisation)
    if request.method == "POST" and form.is_valid():
        ordered = sorted(form.cleaned_data["modules"], key=lambda m: m.title.casefold())
        try:
            services.path_set(
                programme=programme,
                role=role,
                modules=ordered,
                sessions_required=form.cleaned_data["sessions_required"],
                actor=request.user,
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Training path saved."))
            return redirect("training:path", programme.pk, role)
    return render(
        request,
        "training/path.html",
        {
            "programme": programme,
            "role": role,
            "role_label": Participant.Role(role).label,
            "form": form,
            "path": current,
        },
    )


@login_required
def skills(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = access_programme(request.user, programme_id)
    languages = programme.organisation.content_languages
    form = SkillForm(request.POST or None, languages=languages)
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_add(
                programme=programme,
                actor=request.user,
                name=form.cleaned_data["name"],
                translations=form.cleaned_translations(),
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Skill added."))
            return redirect("training:skills", programme.pk)
    listed = Skill.objects.filter(programme=programme).select_related("programme__organisation")
    return render(
        request, "training/skills.html", {"programme": programme, "form": form, "skills": listed}
    )


@login_required
def person(request: AuthenticatedHttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    return _person_page(request, participant, ExternalTrainingForm(), None)


def _person_page(
    request: AuthenticatedHttpRequest,
    participant: Participant,
    external_form: ExternalTrainingForm,
    skills_form: SkillsForm | None,
    status: int = 200,
) -> HttpResponse:
    chosen = participant.validated_skills.values_list("skill_id", flat=True)
    return render(
        request,
        "training/person.html",
        {
            "participant": participant,
            "progress": selectors.progress(participant),
            "hours": selectors.hours(participant),
            "records": participant.external_trainings.select_related("recorded_by"),
            "external_form": external_form,
            "skills_form": skills_form
            or SkillsForm(initial={"skills": list(chosen)}, programme_id=participant.programme_id),
        },
        status=status,
    )


@login_required
@require_POST
def record_external(request: AuthenticatedHttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    form = ExternalTrainingForm(request.POST)
    if form.is_valid():
        try:
            services.external_training_record(
                participant=participant,
                actor=request.user,
                note=form.cleaned_data["note"],
                hours=form.cleaned_data["hours"],
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("training:person", participant.pk)
    return _person_page(request, participant, form, None, status=400)


@login_required
@require_POST
def validate_skills(request: AuthenticatedHttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    form = SkillsForm(request.POST, programme_id=participant.programme_id)
    if form.is_valid():
        try:
            services.skills_validate(
                participant=participant,
                actor=request.user,
                skills=list(form.cleaned_data["skills"]),
            )
        except Refused as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Skills saved."))
            return redirect("training:person", participant.pk)
    return _person_page(request, participant, ExternalTrainingForm(), form, status=400)


@login_required
def attestation(request: AuthenticatedHttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    return _pdf(participant)
