from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from binome.accounts import roles
from binome.accounts.http import AuthenticatedHttpRequest
from binome.core.errors import EditConflict
from binome.core.forms import add_refusal, keep_input_after_conflict
from binome.evaluation import charts, exports, figures, funder, pairs, services
from binome.evaluation.access import access_evaluation, edition_of
from binome.evaluation.forms import EsfSituationForm
from binome.evaluation.models import EsfSituation
from binome.people import access as people_access
from binome.programmes.models import Edition, Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.questionnaires.models import Assignment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(programme: Programme, edition: Edition | None, what: str, ext: str) -> str:
    suffix = f"-{edition.pk}" if edition else ""
    return f"{programme.slug}{suffix}-{what}.{ext}"


def _labels() -> dict[str, str]:
    moments = {str(k): str(v) for k, v in Assignment.Moment.choices}
    steps = {
        "applied": _("Applied"),
        "interviewed": _("Intake"),
        "ready": _("Ready"),
        "matched": _("Matched"),
        "active": _("Active"),
        "closed": _("Closed"),
    }
    return moments | {str(k): str(v) for k, v in steps.items()}


def _decorate(data: dict[str, Any], programme: Programme) -> dict[str, Any]:
    """Add the labels, plain sentences and charts the page shows beside the figures."""
    labels = _labels()
    roles_label = {"mentee": _("Mentees"), "mentor": _("Mentors")}
    funnel = data["funnel"]
    for row in funnel["rows"]:
        row["label"] = roles_label.get(row["role"], row["role"])
        row["cells"] = list(zip(row["reached"], row["furthest"], strict=True))
    steps = [labels.get(s, s) for s in funnel["steps"]]
    funnel["labels"] = steps
    funnel["gaps"] = [
        (f"{a} → {b}", d) for a, b, d in zip(steps, steps[1:], funnel["median_days"], strict=False)
    ]
    pre_post = []
    for q in data["questionnaires"]:
        for s in q["scales"]:
            s["from_label"], s["to_label"] = (
                labels.get(s["from"], s["from"]),
                labels.get(s["to"], s["to"]),
            )
            s["meaning"] = funder.meaning(s)
            if s["mean_before"] is not None:
                pre_post.append(s)
        q["moment_labels"] = [labels.get(m, m) for m in q["moments"]]
    dosage = data["dosage"]
    lists = vocabulary_of(programme)
    reasons = lists.texts(Vocabulary.CLOSE_REASONS)
    dosage["early_rows"] = [
        (reasons.get(r, r), c)
        for r, c in zip(
            dosage["early_closures"]["reasons"], dosage["early_closures"]["counts"], strict=True
        )
    ]
    outcome_labels = lists.texts(Vocabulary.OUTCOMES)
    closure = data["outcomes"]["at_closure"]
    closure["rows"] = [
        (outcome_labels.get(o, o), c)
        for o, c in zip(closure["outcomes"], closure["counts"], strict=True)
    ]
    follow = data["outcomes"]["at_follow_up"]
    follow_labels = dict(data_choices("situation"))
    follow["rows"] = [
        (follow_labels.get(o, o), c)
        for o, c in zip(follow["situations"], follow["counts"], strict=True)
    ]
    goals = data["goal_attainment"]
    goals["rows"] = list(zip([f"{v:+d}" for v in goals["levels"]], goals["counts"], strict=True))
    sides = {"mentee": _("Mentee city"), "mentor": _("Mentor city")}
    for s in data.get("teams_across", []):
        s["side_label"] = sides.get(s["side"], s["side"])
        s["from_label"] = labels.get(s["from"], s["from"])
        s["to_label"] = labels.get(s["to"], s["to"])
        s["meaning"] = pairs.meaning(s)
    for row in data["activities"]["rows"]:
        row["label"] = roles_label.get(row["role"], row["role"])
    data["charts"] = {
        "funnel": charts.funnel(funnel, steps),
        "meetings": charts.meetings_per_month(data["meetings_per_month"]),
        "mood": charts.mood(data["mood"]),
        "pre_post": charts.pre_post(pre_post, _("Before"), _("After")) if pre_post else "",
        "outcomes": charts.counts(
            _("Outcomes at closure"), [r[0] for r in closure["rows"]], closure["counts"]
        ),
        "goals": charts.counts(
            _("Goal attainment"), [r[0] for r in goals["rows"]], goals["counts"]
        ),
    }
    return data


def data_choices(kind: str) -> list[tuple[str, str]]:
    from binome.duos.models import Duo, FollowUpAnswer

    source = {
        "close": Duo.CloseReason.choices,
        "outcome": Duo.Outcome.choices,
        "situation": FollowUpAnswer.Situation.choices,
    }[kind]
    return [(str(k), str(v)) for k, v in source]


def chart_css(request: HttpRequest) -> HttpResponse:
    """The charts' stylesheet (the same for every chart; nothing about anyone)."""
    response = HttpResponse(charts.chart_stylesheet(), content_type="text/css")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def page(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's evaluation: suppressed aggregates for every reader, exports for staff."""
    programme = access_evaluation(request.user, programme_id)
    edition = edition_of(programme, request.GET.get("edition"))
    data = _decorate(pairs.evaluation_with_pairs(programme, edition), programme)
    context = {
        "programme": programme,
        "edition": edition,
        "editions": Edition.objects.filter(programme=programme).order_by("-starts_on"),
        "data": data,
        "comparison": figures.compare_editions(programme) if edition is None else [],
        "is_staff": roles.is_staff_of(request.user, programme.organisation_id),
        "tables": exports.TABLES,
    }
    return render(request, "evaluation/page.html", context)


@login_required
def export(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponseBase:
    """One row-level table as CSV or XLSX, for the organisation's coordinators and admins."""
    programme = access_evaluation(request.user, programme_id, roles=roles.STAFF_ROLES)
    edition = edition_of(programme, request.GET.get("edition"))
    table, fmt = request.GET.get("table", "participants"), request.GET.get("format", "csv")
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    scope = figures.scope_for(programme, edition)
    sensitive = roles.may_see_sensitive(request.user, programme.organisation_id)
    rows = exports.rows(scope, table, sensitive=sensitive)
    name = _filename(programme, edition, table, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        exports.xlsx_file({table: rows}), as_attachment=True, filename=name, content_type=XLSX
    )


@login_required
def funder_xlsx(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponseBase:
    programme = access_evaluation(request.user, programme_id)
    edition = edition_of(programme, request.GET.get("edition"))
    handle = exports.temporary_file()
    funder.funder_xlsx(programme, edition, handle)
    handle.seek(0)
    name = _filename(programme, edition, "funder-report", "xlsx")
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


@login_required
def funder_pdf(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = access_evaluation(request.user, programme_id)
    edition = edition_of(programme, request.GET.get("edition"))
    response = HttpResponse(funder.funder_pdf(programme, edition), content_type="application/pdf")
    name = _filename(programme, edition, "funder-report", "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def global_pdf(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    programme = access_evaluation(request.user, programme_id)
    edition = edition_of(programme, request.GET.get("edition"))
    response = HttpResponse(funder.global_pdf(programme, edition), content_type="application/pdf")
    name = _filename(programme, edition, "global-evaluation", "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def esf(
    request: AuthenticatedHttpRequest, programme_id: int, participant_id: int, moment: str
) -> HttpResponse:
    """Record a participant's ESF+ situation at a moment (coordinators and admins)."""
    participant = people_access.access_programme_participant(
        request.user, programme_id, participant_id
    )
    if moment not in EsfSituation.Moment.values:
        raise Http404
    current = EsfSituation.objects.filter(participant=participant, moment=moment).first()
    initial: dict[str, Any] = {"version": current.version if current else 0}
    if current:
        initial |= {name: getattr(current, name) for name in services.ESF_FIELDS}
    data = request.POST if request.method == "POST" else None
    form = EsfSituationForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            services.esf_situation_record(
                participant=participant, actor=request.user, moment=moment, **form.cleaned_data
            )
        except EditConflict as conflict:
            keep_input_after_conflict(form, conflict)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("ESF+ situation saved."))
            return redirect("people:detail", programme_id, participant.pk)
    context = {
        "participant": participant,
        "programme": participant.programme,
        "moment_label": EsfSituation.Moment(moment).label,
        "form": form,
    }
    return render(request, "evaluation/esf_form.html", context)
