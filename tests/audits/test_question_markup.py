"""A section page's questions come out of kept markup byte for byte as the GOV.UK macros
render them, for every question of every shipped template and every kind of answer."""

from __future__ import annotations

import re

from sqlalchemy import select

from qa_app import form_rendering
from qa_app.audits.forms import form_data_from_responses
from qa_app.audits.presentation import audit_page_context
from qa_app.audits.question_markup import (
    question_markup,
    render_question_reference,
    section_form_class,
)
from qa_app.audits.responses import Response
from qa_app.extensions import db
from qa_app.models import TemplateVersion
from tests.audits.helpers import (
    complete_answers,
    lock_version,
    page_posts,
    start_audit_through_the_form,
)
from tests.html_checks import without_tokens

# Typed text with everything HTML escapes, a line break and a marker-like word.
TYPED = "Synthetic <b>note</b> & \"quoted\" 'text'\nsecond line qaslot"
KEPT_MARKUP_SWITCH = "qa_app.audits.routes_form.KEPT_QUESTION_MARKUP"
NUMBER_TYPED = '12.5"><script>x</script>'


def _answer_states(definition, question):
    """Return (label, response, errors) for every kind of answer the question can hold."""
    criterion = definition.criterion(question.key)
    kind = criterion.type if criterion is not None else "scale"
    states = [("none", Response(), {})]
    if kind == "scale":
        scale = criterion.scale if criterion is not None else _judgement(definition, question)
        values = [o.value for o in definition.scale(scale).options]
        if criterion is not None and criterion.allow_na:
            values.append("n/a")
        states += [(f"option {v}", Response(value=v), {}) for v in values]
        states += [
            ("unknown option", Response(value="not-an-option"), {}),
            ("option and typed rationale", Response(value=values[0], rationale=TYPED), {}),
        ]
    elif kind == "tags":
        tags = [o.value for o in criterion.options]
        states += [(f"tag {t}", Response(tags=[t]), {}) for t in tags]
        states += [("every tag", Response(tags=tags), {})]
    elif kind == "date":
        states += [
            ("stored date", Response(value="2026-03-07"), {}),
            ("typed date", Response(value="31 2 2026"), {}),
            ("date typed oddly", Response(value="<b> & 2026"), {}),
        ]
    elif kind == "number":
        states += [
            ("number", Response(value="12"), {}),
            ("typed", Response(value=NUMBER_TYPED), {}),
        ]
    else:
        states += [("typed text", Response(value=TYPED), {})]
    errors = {question.answer_field: "Select or enter an answer for <this> & that"}
    if question.rationale_field:
        errors[question.rationale_field] = "Enter your reasons & evidence"
        states.append(("typed rationale", Response(rationale=TYPED), {}))
    states.append(("errors", Response(), errors))
    states.append(("errors on typed", states[-2][1], errors))
    return states


def _judgement(definition, question):
    section = next(s for s in definition.sections if question.key == f"{s.key}.judgement")
    return section.judgement.scale


def test_every_question_of_every_template_renders_as_the_macros_do(app, templates_loaded):
    checked = 0
    with app.test_request_context("/"):
        versions = db.session.scalars(select(TemplateVersion)).all()
        assert {v.key for v in versions} >= {"front-door", "lado", "supervision"}
        form_rendering.forget_rendered()
        for version in versions:
            definition = version.definition
            for section in definition.sections:
                form_class = section_form_class(version, section.key)
                view = audit_page_context(None, definition, None, {}, [], section.key)
                questions = view["sections"][0].questions + [
                    q for q in [view["sections"][0].judgement] if q
                ]
                for question in questions:
                    seen = set()
                    for label, response, errors in _answer_states(definition, question):
                        data = form_data_from_responses(definition, {question.key: response}, "")
                        expected = render_question_reference(form_class, question, data, errors)
                        for _ in ("rendered", "kept"):
                            got = question_markup(version, form_class, question, data, errors)
                            assert str(got) == str(expected), (version.key, question.key, label)
                        seen.add(str(expected))
                        checked += 1
                    # The answers differ on the page, so the comparison above can tell them apart.
                    assert len(seen) >= 3, question.key
    assert checked > 300
    assert not any(TYPED in piece for piece in form_rendering.rendered_markup())
    assert not any("&lt;b&gt;note" in piece for piece in form_rendering.rendered_markup())


def test_typed_text_is_filled_in_escaped_and_never_kept(app, templates_loaded):
    with app.test_request_context("/"):
        version = db.session.scalars(
            select(TemplateVersion).where(TemplateVersion.key == "front-door")
        ).first()
        definition = version.definition
        section = definition.sections[0]
        view = audit_page_context(None, definition, None, {}, [], section.key)
        question = next(q for q in view["sections"][0].questions if q.rationale_field)
        form_class = section_form_class(version, section.key)
        form_rendering.forget_rendered()
        first = question_markup(
            version, form_class, question, {question.rationale_field: "Alpha-typed <one>"}
        )
        kept_after_first = form_rendering.rendered_count()
        second = question_markup(
            version, form_class, question, {question.rationale_field: "Beta-typed & two"}
        )
    assert "Alpha-typed &lt;one&gt;</textarea>" in first
    assert "Beta-typed &amp; two</textarea>" in second
    assert form_rendering.rendered_count() == kept_after_first  # the first rendering served both
    assert not any(
        "Alpha-typed" in piece or "Beta-typed" in piece
        for piece in form_rendering.rendered_markup()
    )


def test_a_saved_section_page_is_the_same_as_the_macros_render_it(
    client, app, auditor, monkeypatch
):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    typed_seen = 0
    for section in definition.sections:
        data = page_posts(definition, post)[section.key]
        typed = {k: f"{v} <&> “typed”" for k, v in data.items() if k.startswith("rationale__")}
        response = client.post(
            f"/audits/{audit_id}/sections/{section.key}",
            data={
                **data,
                **typed,
                "lock_version": lock_version(app, audit_id),
                "action_save": "Save draft",
            },
        )
        assert response.status_code in (302, 400)
        client.get(f"/audits/{audit_id}/sections/{section.key}")  # shows the flash once
        url = f"/audits/{audit_id}/sections/{section.key}"
        kept = client.get(url).get_data(as_text=True)
        monkeypatch.setattr(KEPT_MARKUP_SWITCH, False)
        reference = client.get(url).get_data(as_text=True)
        monkeypatch.setattr(KEPT_MARKUP_SWITCH, True)
        assert without_tokens(kept) == without_tokens(reference), section.key
        typed_seen += bool(typed) and "&lt;&amp;&gt; “typed”</textarea>" in kept
    assert typed_seen >= 3


def test_with_csrf_on_the_kept_page_carries_the_same_token_as_the_macro_page(
    client, app, auditor, monkeypatch
):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    url = f"/audits/{audit_id}/sections/{definition.sections[0].key}"
    app.config["WTF_CSRF_ENABLED"] = True
    kept = client.get(url).get_data(as_text=True)
    monkeypatch.setattr(KEPT_MARKUP_SWITCH, False)
    reference = client.get(url).get_data(as_text=True)
    token = r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">'
    kept_token, reference_token = re.search(token, kept), re.search(token, reference)
    assert kept_token and reference_token
    # The page's own form and the sign-out form carry the same token, as on the macro page.
    assert f'name="csrf_token" value="{kept_token.group(1)}"' in kept
    assert without_tokens(kept) == without_tokens(reference)
