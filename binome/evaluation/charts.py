"""The evaluation's charts as SVG drawn on the server by pygal: no JavaScript, printable, each shown
beside its data table. A suppressed value (None) is drawn as a gap, never as zero.

The site's Content Security Policy forbids inline styles and scripts, so the SVG is cleaned of
pygal's <style>, <script> and style attributes; its stylesheet, the same for every chart since
they share one Style, is served as a file (views.chart_css, `chart_stylesheet()`).
"""

from __future__ import annotations

import functools
import html
import re
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
    "no_prefix": True,
}
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
SCRIPT_ELEMENT = re.compile(r"<script[^>]*>.*?</script>", re.S)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
SCOPE = "svg.pygal-chart"


def _render(chart: Any) -> str:
    svg = str(chart.render(is_unicode=True))
    svg = STYLE_ELEMENT.sub("", svg)
    svg = SCRIPT_ELEMENT.sub("", svg)
    return STYLE_ATTRIBUTE.sub("", svg)


def _scoped(css: str) -> str:
    """Prefix every rule of pygal's stylesheet with the charts' own selector."""
    rules = []
    for rule in css.split("}"):
        if "{" not in rule:
            continue
        selectors, declarations = rule.split("{", 1)
        scoped = ",".join(f"{SCOPE} {sel.strip()}".strip() for sel in selectors.split(","))
        rules.append(f"{scoped}{{{declarations}}}")
    rules.append(f"{SCOPE} .tooltip{{display:none}}")
    return "\n".join(rules) + "\n"


@functools.cache
def chart_stylesheet() -> str:
    """The stylesheet pygal writes into each chart, scoped to the charts."""
    chart = pygal.Bar(**CONFIG)
    chart.add("x", [1])
    found = STYLE_ELEMENT.findall(chart.render(is_unicode=True))
    return "".join(_scoped(html.unescape(css)) for css in found)


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
