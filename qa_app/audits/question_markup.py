"""A section page's questions rendered once per template version and answer state, then kept.

Profiled on the form page (a section of 11 questions, 20,000 audits): after the earlier fixes,
building the WTForms form (25 fields) and running the question macro with its GOV.UK widgets
for every question still took about a third of the page. Yet a question's markup is a pure
function of its template version (immutable once loaded), the options chosen, the first error
on each field, and the typed text. So each question is rendered by the macro once per version
and state, with a marker in place of each typed text (``markup_with_slots``), and later GETs
only join the kept pieces with the escaped text. Nothing typed is kept.

The macro path stays the reference: a miss is rendered by it, POSTs (validation errors, held
answers) still use it, and a test compares both for every question of every template.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import date
from threading import Lock
from typing import Any

from flask import current_app, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from markupsafe import Markup, escape
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField

from qa_app.audits.forms import DatePartsField, build_section_form_class
from qa_app.audits.presentation import QuestionView, SectionView, audit_page_context
from qa_app.audits.responses import Response, Responses
from qa_app.form_rendering import kept_markup, markup_with_slots, params_key

QUESTION_TEMPLATE = "audits/_question.html"
ANSWER_MAX = 10000
KEPT_PER_VERSION = 512  # form classes, views and keys: three per section in use

_per_version: OrderedDict[tuple, Any] = OrderedDict()
_lock = Lock()


class AnswersFrameForm(FlaskForm):
    """The fields of a section page other than its questions: the hidden fields and buttons,
    named and rendered as in the section's own form."""

    lock_version = HiddenField()
    held_token = HiddenField()
    action_continue = SubmitField("Save and continue", widget=GovSubmitInput())
    action_save = SubmitField("Save draft", widget=GovSubmitInput())


def _hidden_input(name: str, value: str) -> Markup:
    # As WTForms' HiddenInput writes it: attributes in name order, values escaped.
    return Markup(f'<input id="{name}" name="{name}" type="hidden" value="{escape(value)}">')


class _KeptButton:
    """A submit button of AnswersFrameForm, rendered once per params and then kept."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, **kwargs: Any) -> Markup:
        def render() -> Markup:
            return AnswersFrameForm(meta={"csrf": False})[self.name](**kwargs)

        return kept_markup(("frame-button", self.name, params_key(kwargs)), render)


class KeptFrame:
    """What a section page's template reads of its form when the questions come from kept
    markup: the hidden fields (CSRF token, lock version, no held token), the two buttons, and
    no errors. The same markup as AnswersFrameForm's, without building a form per request."""

    errors: dict[str, list[str]] = {}
    action_continue = _KeptButton("action_continue")
    action_save = _KeptButton("action_save")

    def __init__(self, lock_version: int) -> None:
        csrf = current_app.config.get("WTF_CSRF_ENABLED", True)
        # A form without CSRF protection has no such field: the template writes nothing.
        self.csrf_token = _hidden_input("csrf_token", generate_csrf()) if csrf else Markup("")
        self.lock_version = _hidden_input("lock_version", str(lock_version))
        self.held_token = _hidden_input("held_token", "")


def version_key(template_version: Any) -> tuple[int, str]:
    """Return what identifies a template version's definition: its id and source hash."""
    return (template_version.id, template_version.source_hash)


def _once_per_version(kind: str, template_version: Any, section_key: str, build: Any) -> Any:
    key = (kind, *version_key(template_version), section_key)
    with _lock:
        found = _per_version.get(key)
        if found is not None:
            _per_version.move_to_end(key)
            return found
    built = build(template_version.definition, section_key)
    with _lock:
        _per_version[key] = built
        while len(_per_version) > KEPT_PER_VERSION:
            _per_version.popitem(last=False)
    return built


def section_form_class(template_version: Any, section_key: str) -> type[FlaskForm]:
    """Return the section's form class, built once per template version and section."""
    return _once_per_version("form", template_version, section_key, build_section_form_class)


def form_section_view(template_version: Any, section_key: str) -> SectionView:
    """Return what a section's form page shows of the section (numbers, questions, hints,
    show-if rules), worked out once per version. Its answer-dependent fields (answer text,
    score, shown) are those of an audit with no answers: the form page shows none of them."""

    def build(definition: Any, key: str) -> SectionView:
        return audit_page_context(None, definition, None, {}, [], key)["sections"][0]

    return _once_per_version("view", template_version, section_key, build)


def earlier_answers(
    template_version: Any, section_key: str, responses: Responses
) -> dict[str, Response]:
    """Return answers from other sections that this section's conditions look at, so the page's
    script can show and hide questions (they are shown to the script only, never posted)."""
    keys = earlier_answer_keys(template_version, section_key)
    return {key: responses.get(key, Response()) for key in keys}


def earlier_answer_keys(template_version: Any, section_key: str) -> tuple[str, ...]:
    """Return the keys of other sections' answers that this section's show-if rules read."""

    def build(definition: Any, page: str) -> tuple[str, ...]:
        keys = {
            c.criterion
            for criterion in definition.criteria()
            if criterion.show_if is not None and definition.section_of(criterion.key).key == page
            for c in criterion.show_if.conditions
            if definition.section_of(c.criterion).key != page
        }
        return tuple(sorted(keys))

    return _once_per_version("earlier", template_version, section_key, build)


def render_question_reference(
    form_class: type[FlaskForm],
    question: QuestionView,
    data: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
) -> Markup:
    """Return a question's markup as the section page's macro renders it from a WTForms form
    holding ``data``, with ``errors`` (field name to message) on its fields."""
    form = form_class(data=dict(data), meta={"csrf": False})
    for name, message in (errors or {}).items():
        form[name].errors = [message]
    module = current_app.jinja_env.get_template(QUESTION_TEMPLATE).module
    return Markup(module.audit_question(form, question, ANSWER_MAX))  # type: ignore[attr-defined]


def question_markup(
    template_version: Any,
    form_class: type[FlaskForm],
    question: QuestionView,
    data: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
) -> Markup:
    """Return the question's markup for the answers in ``data`` (the form's initial data, as
    ``form_data_from_responses`` gives it), the same as ``render_question_reference`` gives."""
    errors = errors or {}
    state: list[Any] = []
    texts: list[str] = []
    plain: dict[str, Any] = {}  # the data with a slot number in place of each text
    names = [question.answer_field]
    if question.rationale_field:
        names.append(question.rationale_field)
    for name in names:
        unbound = getattr(form_class, name)
        value = data.get(name)
        field_class = unbound.field_class
        if issubclass(field_class, RadioField):
            options = [choice.value for choice in unbound.kwargs["choices"]]
            # A value that is none of the options checks no radio, as no value does.
            chosen = str(value) if value is not None and str(value) in options else None
            plain[name] = chosen
            state.append(chosen)
        elif issubclass(field_class, SelectMultipleField):
            given = {str(v) for v in value or ()}
            chosen_tags = [c.value for c in unbound.kwargs["choices"] if c.value in given]
            plain[name] = chosen_tags
            state.append(tuple(chosen_tags))
        elif issubclass(field_class, DatePartsField):
            if isinstance(value, date):
                value = value.strftime("%d %m %Y").split(" ")
            if value is None:
                plain[name] = None
                state.append(None)
            else:
                parts = [str(part) for part in value][:3]
                plain[name] = [_slot(part, texts) for part in parts]
                state.append(tuple(p if isinstance(p, str) else "typed" for p in plain[name]))
        else:
            text = "" if value is None else str(value)
            plain[name] = _slot(text, texts)
            state.append("" if text == "" else "typed")
        state.append(errors.get(name))

    def render(filled: Any) -> Markup:
        return render_question_reference(form_class, question, _filled(plain, filled), errors)

    key = ("question", version_key(template_version), question.key, tuple(state))
    return markup_with_slots(key, texts, render)


class _Slot(int):
    """The place of a typed text in ``texts``."""


def _slot(text: str, texts: list[str]) -> str | _Slot:
    if text == "":
        return ""
    texts.append(text)
    return _Slot(len(texts) - 1)


def _filled(plain: dict[str, Any], texts: Any) -> dict[str, Any]:
    def fill(value: Any) -> Any:
        if isinstance(value, _Slot):
            return texts[value]
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    return {name: fill(value) for name, value in plain.items()}


def questions_markup(
    template_version: Any,
    form_class: type[FlaskForm],
    questions: list[QuestionView],
    data: Mapping[str, Any],
) -> dict[str, Markup]:
    """Return each question's markup by its key, for a GET of a section page."""
    return {q.key: question_markup(template_version, form_class, q, data) for q in questions}


def render_kept_section(
    audit: Any,
    page: str,
    form_class: type[FlaskForm],
    responses: Responses,
    data: Mapping[str, Any],
) -> str:
    """Render a section page's GET from kept markup: what the WTForms path renders for a form
    holding ``data`` (the form's initial data), byte for byte, without building the form."""
    version = audit.template_version
    section = form_section_view(version, page)
    questions = [*section.questions, *([section.judgement] if section.judgement else [])]
    return render_template(
        "audits/section.html",
        audit=audit,
        form=KeptFrame(audit.lock_version),
        section=section,
        sections=[section],
        error_summary=[],
        page_has_errors=False,
        page=page,
        held=False,
        autosave_url=url_for("audits.autosave", audit_id=audit.id, page=page),
        earlier_answers=earlier_answers(version, page, responses),
        questions_html=questions_markup(version, form_class, questions, data),
    )
