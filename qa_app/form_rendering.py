"""GOV.UK form widgets rendered straight from their templates, and remembered.

Profiled on the audit form (a section of 11 questions): most of the page's time went in the
GOV.UK Jinja macros behind each widget, and govuk-frontend-wtf rendered every field through
``flask.render_template``, which runs every context processor (the navigation, the open-concern
count query and so on) once per field: thirty times per page.

Two fixes at that cause, with the markup unchanged:

- a widget's template reads nothing but its ``params``, so it is rendered directly from the
  app's Jinja environment, without the page's context processors;
- the output is a pure function of the template and its params, so it is kept in a bounded
  in-process cache: a question with the same options, answer and error renders to the same
  markup in every audit of that template version. Widgets holding typed free text (text
  areas with a value) are never kept, so nothing written about a child stays in memory.

Markup around typed text is kept too (``markup_with_slots``): rendered once with a marker in
place of each text and kept in pieces, to which each use joins its own text, escaped.
"""

from __future__ import annotations

from collections import ChainMap, OrderedDict
from collections.abc import Callable, Hashable, Sequence
from threading import Lock
from typing import Any

from flask import Flask, current_app
from govuk_frontend_wtf.gov_form_base import GovFormBase
from markupsafe import Markup, escape

# Widgets, macros and whole questions (one per template version, question and answer state: a
# few thousand across the shipped templates), at a few KB each: tens of MB at most per worker.
MOST_KEPT = 8192
FREE_TEXT_TEMPLATES = frozenset({"textarea.html", "charactercount.html", "input.html"})

_rendered: OrderedDict[tuple[str, Any], Markup] = OrderedDict()
_lock = Lock()


class _NotKeyable(Exception):
    pass


def _kept(key: Any) -> Any:
    with _lock:
        found = _rendered.get(key)
        if found is not None:
            _rendered.move_to_end(key)
        return found


def _keep(key: Any, value: Any) -> None:
    with _lock:
        _rendered[key] = value
        while len(_rendered) > MOST_KEPT:
            _rendered.popitem(last=False)


def params_key(value: Any) -> Any:
    """Return a hashable key equal for params that render the same, and only for those.

    Markup and plain text differ (one is escaped), as do True and 1: each value is tagged.
    """
    if isinstance(value, Markup):
        return ("markup", str(value))
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, bool):
        return ("bool", value)
    if value is None or isinstance(value, (int, float)):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), params_key(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(params_key(v) for v in value))
    raise _NotKeyable(type(value).__name__)


def _holds_free_text(template: str, params: dict[str, Any]) -> bool:
    return template.rsplit("/", 1)[-1] in FREE_TEXT_TEMPLATES and bool(params.get("value"))


def _render_widget(widget: GovFormBase, params: dict[str, Any]) -> Markup:
    key = None
    if not _holds_free_text(widget.template, params):
        try:
            key = (widget.template, params_key(params))
        except _NotKeyable:
            key = None
    if key is not None:
        found = _kept(key)
        if found is not None:
            return found
    template = current_app.jinja_env.get_template(widget.template)
    markup = Markup(template.render(params=params))
    if key is not None:
        _keep(key, markup)
    return markup


class _TemplateGlobals(ChainMap):
    """A template's globals whose ``keys()`` is a real set.

    Every GOV.UK macro imports others each time it is called, and for each import Jinja takes
    the context's global names minus the imported template's (``set - globals.keys()``). With
    a ChainMap's keys view that difference runs in Python, name by name, dozens of times a page;
    against a set it is one C operation. The names are read afresh each time, so globals added
    later are still seen.
    """

    def keys(self):  # type: ignore[override]
        return frozenset(self)


def _chained_globals(environment: Any):
    base = type(environment).make_globals

    def make_globals(d: Any = None) -> ChainMap:
        return _TemplateGlobals(*base(environment, d).maps)

    return make_globals


class RememberedWidget:
    """A GOV.UK widget whose whole output is kept, keyed by the field.

    Even with the widget's markup kept, building its params (for radios and checkboxes one item
    per option, merged with the page's params) and the key for them cost more than the rest of
    a question. The output depends only on the field's name, id, label, hint, value (for
    radios and checkboxes, the options with which are chosen), first error and required flag,
    and the params the page passes, so those are the key and a repeat skips the building too.
    A field holding typed text is never kept; options are template text.
    """

    def __init__(self, widget: GovFormBase) -> None:
        self.widget = widget

    def __getattr__(self, name: str) -> Any:
        return getattr(self.widget, name)

    def _value_key(self, field: Any) -> Any:
        if hasattr(field, "iter_choices"):
            return tuple(
                (params_key(c.value), params_key(c.label), bool(c.selected))
                for c in field.iter_choices()
            )
        value = field._value()
        if value:
            raise _NotKeyable("typed text")
        return params_key(value)

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        try:
            key = (
                "field",
                type(self.widget).__qualname__,
                self.widget.template,
                field.name,
                field.id,
                params_key(field.label.text),
                params_key(field.description),
                self._value_key(field),
                params_key(field.errors[0] if field.errors else None),
                "required" in field.flags,
                params_key(kwargs),
            )
        except _NotKeyable:
            return self.widget(field, **kwargs)
        found = _kept(key)
        if found is None:
            found = self.widget(field, **kwargs)
            _keep(key, found)
        return found


def kept_macro(template: str, macro: str, params: dict[str, Any]) -> Markup:
    """Return a GOV.UK macro's output for params made of template text only (never typed text),
    rendered once per process and then kept: guidance shown under every question, say."""
    key = ("macro", template, macro, params_key(params))
    found = _kept(key)
    if found is None:
        module = current_app.jinja_env.get_template(template).module
        found = Markup(getattr(module, macro)(params))
        _keep(key, found)
    return found


# Stand-ins for typed text while markup is rendered to be kept: plain lower-case letters and
# digits, so escaping, ``lower`` and ``trim`` leave them as they are, and unlike any words of a
# template.
SLOT_MARKERS = tuple(f"qaslot{n}x7c3e9d" for n in range(8))


def kept_markup(key: Hashable, render: Callable[[], Markup]) -> Markup:
    """Return ``render()``, called once per key (it must hold no typed text) and then kept."""
    key = ("kept", key)
    found = _kept(key)
    if found is None:
        found = Markup(render())
        _keep(key, found)
    return found


def markup_with_slots(
    key: Hashable, texts: Sequence[str], render: Callable[[Sequence[str]], Markup]
) -> Markup:
    """Return ``render(texts)``, rendering only once per key and filling typed text in after.

    ``render`` must be a pure function of the key and the texts, writing each text once,
    escaped as Jinja does. It is called with a marker in place of each text, and the markup is
    kept split around the markers, so it holds no typed text; each later call joins the pieces
    with the texts escaped. When a marker does not come out exactly once (a text not written,
    or changed on the way), nothing is kept and ``render`` is called with the real texts.
    """
    key = ("slots", key, len(texts))
    found = _kept(key)
    if found is None:
        markers = SLOT_MARKERS[: len(texts)]
        if len(markers) < len(texts):
            return render(texts)
        marked = str(render(markers))
        if any(marked.count(marker) != 1 for marker in markers):
            _keep(key, False)
            return render(texts)
        order = sorted(range(len(markers)), key=lambda n: marked.index(markers[n]))
        pieces, rest = [], marked
        for n in order:
            before, rest = rest.split(markers[n], 1)
            pieces.append(before)
        pieces.append(rest)
        found = (tuple(pieces), tuple(order))
        _keep(key, found)
    if found is False:
        return render(texts)
    pieces, order = found
    parts = [pieces[0]]
    for piece, n in zip(pieces[1:], order, strict=True):
        parts.append(str(escape(texts[n])))
        parts.append(piece)
    return Markup("".join(parts))


def init_app(app: Flask) -> None:
    """Render GOV.UK widgets without per-field page work, remembering what repeats."""
    GovFormBase.render = _render_widget
    app.jinja_env.globals["kept_macro"] = kept_macro
    app.jinja_env.make_globals = _chained_globals(app.jinja_env)  # type: ignore[method-assign]


def forget_rendered() -> None:
    """Empty the cache of rendered widgets."""
    with _lock:
        _rendered.clear()


def rendered_count() -> int:
    """Return how many rendered widgets are kept."""
    return len(_rendered)


def rendered_markup() -> list[str]:
    """Return every piece of markup kept (to check what the cache holds)."""
    with _lock:
        values = list(_rendered.values())
    kept: list[str] = []
    for value in values:
        if isinstance(value, tuple):
            kept.extend(value[0])
        elif value:
            kept.append(value)
    return kept
