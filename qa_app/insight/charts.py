"""Charts as server-side SVG, drawn by pygal (no Flask).

pygal draws bars, lines and axes; its own stylesheet and script are taken out of the SVG, so the
page's strict Content-Security-Policy holds and the colours come from the app's stylesheet
(``_insight.scss``: colours that keep 3:1 contrast against white, each series also named in
the legend and in the table beside the chart, so colour never carries meaning alone). The SVG is
an image with a text summary as its label; the table beside it holds every figure.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import lru_cache

import pygal
import pygal.style
from lxml import etree
from markupsafe import Markup

# pygal adds an import hook (for its separately installed map plugins, unused here) that lacks
# find_spec, so every later failed import anywhere warns; take it out again.
sys.meta_path[:] = [
    finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"
]

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


Series = Sequence[tuple[str, Sequence[float | None]]]


def percent_bars(
    title: str, x_labels: Sequence[str], series: Series, summary: str, *, horizontal: bool = False
) -> Markup:
    """Return a bar chart of percentages (None leaves a gap: a suppressed or empty figure)."""
    height = max(320, 60 + 34 * len(x_labels) * max(len(series), 1)) if horizontal else 320
    options = {
        "range": (0, 100),
        "height": height,
        "x_label_rotation": 0,
        "legend_at_bottom_columns": 2,
    }
    kind = "HorizontalBar" if horizontal else "Bar"
    return _draw(kind, options, x_labels, series, summary)


def count_bars(title: str, x_labels: Sequence[str], series: Series, summary: str) -> Markup:
    """Return a bar chart of counts."""
    return _draw("Bar", {"min_scale": 2, "max_scale": 8}, x_labels, series, summary)


def percent_lines(
    title: str, x_labels: Sequence[str], series: Series, summary: str, *, small: bool = False
) -> Markup:
    """Return a line chart of percentages by month (None leaves a gap)."""
    options: dict[str, object] = {"range": (0, 100), "dots_size": 4, "x_label_rotation": 30}
    if small:
        options |= {
            "width": 360,
            "height": 170,
            "show_legend": False,
            "y_labels": (0, 50, 100),
            "show_x_labels": False,
            "x_label_rotation": 0,
        }
    return _draw("Line", options, x_labels, series, summary)


def _draw(
    kind: str, options: dict[str, object], x_labels: Sequence[str], series: Series, summary: str
) -> Markup:
    frozen_series = tuple(
        (name, tuple(None if v is None else round(v, 1) for v in values)) for name, values in series
    )
    svg = _rendered(kind, tuple(sorted(options.items())), tuple(x_labels), frozen_series, summary)
    return Markup(svg)


# Drawing costs tens of milliseconds a chart while the figures behind it change only when an
# audit does, so the same chart for the same figures is drawn once per process.
@lru_cache(maxsize=1024)
def _rendered(
    kind: str,
    options: tuple[tuple[str, object], ...],
    x_labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float | None, ...]], ...],
    summary: str,
) -> str:
    config = _config(**dict(options))
    if "y_labels" in config:
        config["y_labels"] = list(config["y_labels"])  # type: ignore[arg-type]
    chart = getattr(pygal, kind)(**config)
    # The panel's heading names the chart; pygal's own title wraps badly in small charts.
    chart.title = None
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return clean_svg(chart.render(is_unicode=True), summary)


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
