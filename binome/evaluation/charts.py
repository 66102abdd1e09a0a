"""The evaluation's charts as SVG drawn on the server by pygal: no JavaScript, printable, each shown
beside its data table. A suppressed value (None) is drawn as a gap, never as zero."""

from __future__ import annotations

from typing import Any

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#666",
    colors=("#1f5fa8", "#d9822b", "#3a8f5c", "#8e44ad", "#c0392b"),
    font_family="system-ui, sans-serif",
)
CONFIG: dict[str, Any] = {
    "style": STYLE,
    "js": [],  # no script: the SVG is inline and static
    "disable_xml_declaration": True,
    "width": 640,
    "height": 320,
    "legend_at_bottom": True,
    "print_values": False,
    "explicit_size": False,
}


def _render(chart: Any) -> str:
    return str(chart.render(is_unicode=True))


def funnel(figures: dict[str, Any], labels: list[str]) -> str:
    chart = pygal.Bar(title=_("People who reached each step"), **CONFIG)
    chart.x_labels = labels
    for row in figures["rows"]:
        chart.add(row["label"], row["reached"])
    return _render(chart)


def meetings_per_month(rows: list[dict[str, Any]]) -> str:
    chart = pygal.Bar(title=_("Meetings held per month"), show_legend=False, **CONFIG)
    chart.x_labels = [row["month"] for row in rows]
    chart.add(_("Meetings"), [row["meetings"] for row in rows])
    return _render(chart)


def mood(rows: list[dict[str, Any]]) -> str:
    chart = pygal.Line(title=_("Mood at check-ins (1–5)"), range=(1, 5), **CONFIG)
    chart.x_labels = [row["month"] for row in rows]
    chart.add(_("Mentees"), [row["mentee"] for row in rows])
    chart.add(_("Mentors"), [row["mentor"] for row in rows])
    return _render(chart)


def pre_post(scales: list[dict[str, Any]], before: str, after: str) -> str:
    chart = pygal.Bar(title=_("Mean score before and after"), **CONFIG)
    chart.x_labels = [f"{s['name']} ({s['to_label']})" for s in scales]
    chart.add(before, [s["mean_before"] for s in scales])
    chart.add(after, [s["mean_after"] for s in scales])
    return _render(chart)


def counts(title: str, labels: list[str], values: list[int | None]) -> str:
    chart = pygal.HorizontalBar(title=title, show_legend=False, **CONFIG)
    chart.x_labels = labels
    chart.add(title, values)
    return _render(chart)
