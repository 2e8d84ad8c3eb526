"""Charts as server-side SVG, drawn by pygal (no Flask).

pygal draws bars, lines and axes; its own stylesheet and script are taken out of the SVG, so the
page's strict Content-Security-Policy holds and the colours come from the app's stylesheet
(``_insight.scss``: colours that keep 3:1 contrast against white, each series also named in
the legend and in the table beside the chart, so colour never carries meaning alone). The SVG is
an image with a text summary as its label; the table beside it holds every figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygal
import pygal.style
from lxml import etree
from markupsafe import Markup

SVG = "{http://www.w3.org/2000/svg}"


# Text sizes as the stylesheet sets them, so pygal lays out labels and legends to fit.
STYLE = pygal.style.Style(
    font_family="arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=12,
    title_font_size=15,
    no_data_font_size=16,
)


def _config(**overrides: object) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 720,
        "height": 320,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "show_y_guides": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 12,
        "margin_bottom": 24,
        "spacing": 8,
        **overrides,
    }


def percent_bars(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    summary: str,
    *,
    horizontal: bool = False,
) -> Markup:
    """Return a bar chart of percentages (None leaves a gap: a suppressed or empty figure)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(320, 60 + 34 * len(x_labels) * max(len(series), 1)) if horizontal else 320
    chart = kind(
        **_config(range=(0, 100), height=height, x_label_rotation=0, legend_at_bottom_columns=2)
    )
    return _render(chart, title, x_labels, series, summary)


def count_bars(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    summary: str,
    *,
    stacked: bool = False,
) -> Markup:
    """Return a bar chart of counts."""
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(**_config(min_scale=2, max_scale=8))
    return _render(chart, title, x_labels, series, summary)


def percent_lines(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    summary: str,
    *,
    small: bool = False,
) -> Markup:
    """Return a line chart of percentages by month (None leaves a gap)."""
    size = (
        {"width": 360, "height": 170, "show_legend": False, "y_labels": [0, 50, 100]}
        if small
        else {}
    )
    chart = pygal.Line(
        **_config(range=(0, 100), x_label_rotation=30 if not small else 0, dots_size=4, **size)
    )
    if small:
        chart.show_x_labels = False
    return _render(chart, title, x_labels, series, summary)


def _render(
    chart,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    summary: str,
) -> Markup:
    # The panel's heading names the chart; pygal's own title wraps badly in small charts.
    chart.title = None
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, [None if v is None else round(v, 1) for v in values])
    return Markup(clean_svg(chart.render(is_unicode=True), summary))


def clean_svg(svg: str, summary: str) -> str:
    """Return pygal's SVG without its inline stylesheet, script, tooltips and comments, marked
    as one image labelled by the summary."""
    root = etree.fromstring(svg.encode())
    for element in list(root.iter(f"{SVG}style", f"{SVG}script", etree.Comment)):
        element.getparent().remove(element)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if "tooltip" in (element.get("class") or "").split() and element.tag == f"{SVG}g":
            element.getparent().remove(element)
            continue
        element.attrib.pop("style", None)
        # Several charts share a page: pygal's fixed ids (legend toggles) would repeat.
        element.attrib.pop("id", None)
    for title in list(root.iter(f"{SVG}title")):
        # Per-point titles repeat the table; the image's label is the summary.
        title.getparent().remove(title)
    root.set("role", "img")
    root.set("aria-label", summary)
    root.set("focusable", "false")
    root.set("class", "app-chart__svg " + (root.get("class") or ""))
    return etree.tostring(root, encoding="unicode")
