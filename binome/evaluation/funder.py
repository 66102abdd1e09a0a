"""The funder report of an edition (EU ESF+ common indicators, AMIF-style integration figures) as
XLSX and PDF, and the global evaluation (M4M step 10) as PDF. Only suppressed aggregates: no row
about a person, no free text but the coordinator's own lessons."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from binome.duos.models import Duo, FollowUpAnswer
from binome.duos.pdf import FONTS
from binome.evaluation.esf import esf_tables, recorded_share
from binome.evaluation.exports import age_band, write_xlsx
from binome.evaluation.figures import Scope, evaluation, scope_for
from binome.evaluation.suppression import suppress
from binome.programmes.models import Edition, Programme

# EU-27 (ISO 3166-1 alpha-2): a participant from elsewhere is a third-country national.
EU = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}
AGE_BANDS = ["<18", "18-29", "30-54", "55+", ""]
GENDERS = ["f", "m", "x", ""]


def _table(title: str, labels: list[str], counts: list[int], k: int) -> dict[str, Any]:
    suppressed = suppress([counts], k)
    return {
        "title": title,
        "labels": labels,
        "counts": suppressed.cells[0],
        "total": suppressed.total,
    }


def indicators(scope: Scope) -> list[dict[str, Any]]:
    """The ESF+ common output and result indicators Binôme can count, mentees only."""
    mentees = list(
        scope.participants()
        .filter(role="mentee")
        .values_list("gender", "birth_year", "country_of_origin")
    )
    today = timezone.localdate()
    gender = Counter(g if g in GENDERS else "" for g, _b, _c in mentees)
    ages = Counter(age_band(b, today) for _g, b, _c in mentees)
    third = Counter(
        "unknown" if not c else ("eu" if c.upper() in EU else "third") for _g, _b, c in mentees
    )
    closed = scope.duos().filter(status=Duo.Status.CLOSED)
    exit_outcomes: Counter[str] = Counter()
    n_closed = 0
    for listed in closed.values_list("outcomes", flat=True):
        n_closed += 1
        exit_outcomes.update(set(listed or []))
    follow = Counter(
        FollowUpAnswer.objects.filter(follow_up__duo__in=scope.duos(), side="mentee")
        .exclude(situation="")
        .values_list("situation", flat=True)
    )
    k = scope.k
    situations = [c for c, _l in FollowUpAnswer.Situation.choices]
    return [
        _table(
            _("Participants by gender"),
            [_("Women"), _("Men"), _("Non-binary"), _("Not recorded")],
            [gender[g] for g in GENDERS],
            k,
        ),
        _table(
            _("Participants by age band"),
            [_("Under 18"), "18–29", "30–54", _("55 and over"), _("Not recorded")],
            [ages[a] for a in AGE_BANDS],
            k,
        ),
        _table(
            _("Third-country nationals"),
            [_("Third-country nationals"), _("EU nationals"), _("Not recorded")],
            [third["third"], third["eu"], third["unknown"]],
            k,
        ),
        _table(
            _("At exit: in employment, in education or training (closed duos)"),
            [_("In employment"), _("In education or training"), _("Other duos closed")],
            [
                exit_outcomes["employment"],
                exit_outcomes["training"],
                max(0, n_closed - exit_outcomes["employment"] - exit_outcomes["training"]),
            ],
            k,
        ),
        _table(
            _("Six months after: situation at follow-up"),
            [str(label) for _c, label in FollowUpAnswer.Situation.choices],
            [follow[s] for s in situations],
            k,
        ),
        *esf_tables(scope),
    ]


def _coverage(scope: Scope) -> str:
    recorded, mentees = recorded_share(scope)
    # Counts of people like any other: under k, hidden.
    table = suppress([[recorded, mentees - recorded]], scope.k)
    shown = [_("fewer than k") if v is None else v for v in (table.cells[0][0], table.total)]
    return _(
        "Employment situation and ISCED level at entry: recorded for %(recorded)s of "
        "%(mentees)s mentees (participant's page); the others are counted as not recorded."
    ) % {"recorded": shown[0], "mentees": shown[1]}


def _total_label(table: dict[str, Any]) -> str:
    return _("Mentees with a record") if table.get("overlapping") else _("Total")


def report(programme: Programme, edition: Edition | None) -> dict[str, Any]:
    scope = scope_for(programme, edition)
    figures = evaluation(programme, edition)
    return {"figures": figures, "indicators": indicators(scope), "coverage": _coverage(scope)}


def funder_xlsx(programme: Programme, edition: Edition | None, out: Any) -> None:
    data = report(programme, edition)
    summary: list[list[Any]] = [
        [_("Programme"), programme.name],
        [_("Edition"), edition.name if edition else _("All editions")],
        [_("Smallest group shown"), data["figures"]["k"]],
        [data["coverage"]],
        [],
    ]
    for table in data["indicators"]:
        summary.append([table["title"]])
        for label, count in zip(table["labels"], table["counts"], strict=True):
            summary.append([label, "<k" if count is None else count])
        summary.append([_total_label(table), "<k" if table["total"] is None else table["total"]])
        summary.append([])
    scales: list[list[Any]] = [
        [
            _("Questionnaire"),
            _("Scale"),
            _("From"),
            _("To"),
            _("People (both moments)"),
            _("Mean change"),
            _("95 % CI low"),
            _("95 % CI high"),
            "dz",
            "Wilcoxon p",
            "r",
            _("Reliably improved"),
            _("Unchanged"),
            _("Reliably worse"),
        ]
    ]
    for q in data["figures"]["questionnaires"]:
        for s in q["scales"]:
            scales.append(
                [
                    q["title"],
                    s["name"],
                    s["from"],
                    s["to"],
                    s["n_paired"],
                    s["mean_change"],
                    s["ci_low"],
                    s["ci_high"],
                    s["dz"],
                    s["wilcoxon_p"],
                    s["r"],
                    s["rci_improved"],
                    s["rci_unchanged"],
                    s["rci_worse"],
                ]
            )
    write_xlsx({_("ESF+ indicators"): summary, _("Integration scales"): scales}, out)


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_font("DejaVu", size=10)
        self.title_text = title
        self.set_auto_page_break(True, margin=15)
        self.add_page()
        self.set_font("DejaVu", "B", 16)
        self.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", size=10)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", 12)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", size=10)

    def para(self, text: str) -> None:
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bars(self, labels: list[str], values: list[int | float | None]) -> None:
        """A horizontal bar chart with its numbers: the data table and the chart in one."""
        shown = [v for v in values if v is not None]
        top = max(shown, default=0) or 1
        for label, value in zip(labels, values, strict=True):
            if self.get_y() > 270:
                self.add_page()
            y = self.get_y()
            self.set_xy(self.l_margin, y)
            self.cell(70, 6, str(label)[:45])
            self.cell(18, 6, _("hidden (<k)") if value is None else f"{value:g}", align="R")
            if value:
                self.set_fill_color(31, 95, 168)
                self.rect(self.l_margin + 92, y + 1, 85 * value / top, 4, style="F")
            self.set_xy(self.l_margin, y + 6)


def _scales_section(pdf: _Pdf, figures: dict[str, Any]) -> None:
    for q in figures["questionnaires"]:
        pdf.heading(q["title"])
        if q["languages_without_validated_translation"]:
            pdf.para(
                _("Answered in languages without a validated translation: %(langs)s.")
                % {"langs": ", ".join(q["languages_without_validated_translation"])}
            )
        for s in q["scales"]:
            pdf.para(f"{s['name']} · {s['from']} → {s['to']}")
            pdf.para(meaning(s))


def meaning(s: dict[str, Any]) -> str:
    """One plain sentence on a scale's change; a non-significant change is never an effect."""
    if s["n_paired"] is None or s["mean_change"] is None:
        return _("Too few people answered at both moments to show a figure.")
    if s["significant"]:
        return _(
            "%(n)s people answered both times; the mean score changed by %(change)s "
            "(95 %% CI %(low)s to %(high)s), a change unlikely to be chance (p = %(p)s)."
        ) % {
            "n": s["n_paired"],
            "change": s["mean_change"],
            "low": s["ci_low"],
            "high": s["ci_high"],
            "p": s["wilcoxon_p"],
        }
    return _(
        "%(n)s people answered both times; the mean score changed by %(change)s, but a change "
        "this size could be chance (p = %(p)s): no effect can be claimed."
    ) % {"n": s["n_paired"], "change": s["mean_change"], "p": s["wilcoxon_p"]}


def funder_pdf(programme: Programme, edition: Edition | None) -> bytes:
    data = report(programme, edition)
    figures = data["figures"]
    name = edition.name if edition else _("all editions")
    pdf = _Pdf(
        _("Report to funders: %(programme)s, %(edition)s")
        % {"programme": programme.name, "edition": name}
    )
    pdf.para(
        _(
            "Groups of fewer than %(k)s people are hidden, with enough other cells that they "
            "cannot be recomputed."
        )
        % {"k": figures["k"]}
    )
    pdf.para(data["coverage"])
    for table in data["indicators"]:
        pdf.heading(table["title"])
        pdf.bars(table["labels"], table["counts"])
        if table.get("overlapping"):
            total = table["total"]
            pdf.para(f"{_total_label(table)}: {_('hidden (<k)') if total is None else total}")
    _funnel_section(pdf, figures)
    _scales_section(pdf, figures)
    return bytes(pdf.output())


def _funnel_section(pdf: _Pdf, figures: dict[str, Any]) -> None:
    pdf.heading(_("From application to closure (mentees)"))
    mentees = next(r for r in figures["funnel"]["rows"] if r["role"] == "mentee")
    pdf.bars([str(s) for s in figures["funnel"]["steps"]], mentees["reached"])


def global_pdf(programme: Programme, edition: Edition | None) -> bytes:
    """The global evaluation of an edition: the figures and the coordinator's lessons."""
    figures = evaluation(programme, edition)
    name = edition.name if edition else _("all editions")
    pdf = _Pdf(
        _("Global evaluation: %(programme)s, %(edition)s")
        % {"programme": programme.name, "edition": name}
    )
    pdf.para(_("Printed on %(date)s.") % {"date": datetime.date.today().isoformat()})
    _funnel_section(pdf, figures)
    dosage = figures["dosage"]
    pdf.heading(_("Dosage"))
    pdf.para(
        _("Duos: %(duos)s. Meetings per duo (mean): %(meetings)s. Hours per duo (mean): %(hours)s.")
        % {
            "duos": dosage["duos"],
            "meetings": dosage["meetings_mean"],
            "hours": dosage["hours_mean"],
        }
    )
    goals = figures["goal_attainment"]
    pdf.heading(_("Goal attainment (−2 … +2)"))
    pdf.bars([f"{v:+d}" for v in goals["levels"]], goals["counts"])
    _scales_section(pdf, figures)
    pdf.heading(_("Lessons learned"))
    lessons = edition.lessons if edition else ""
    pdf.para(lessons or _("No lessons written yet (editions page)."))
    return bytes(pdf.output())


__all__ = ["funder_pdf", "funder_xlsx", "global_pdf", "meaning"]
