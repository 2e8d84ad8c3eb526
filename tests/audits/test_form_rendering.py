"""The audit form renders the same markup whether its widgets come from the cache or not."""

from __future__ import annotations

from markupsafe import Markup

from qa_app import form_rendering
from tests.audits.helpers import (
    complete_answers,
    lock_version,
    page_posts,
    start_audit_through_the_form,
)
from tests.html_checks import without_tokens


def test_markup_and_plain_text_never_share_a_cache_key():
    assert form_rendering.params_key({"text": "<b>"}) != form_rendering.params_key(
        {"text": Markup("<b>")}
    )
    assert form_rendering.params_key({"checked": True}) != form_rendering.params_key({"checked": 1})
    assert form_rendering.params_key({"a": 1, "b": [1, 2]}) == form_rendering.params_key(
        {"b": [1, 2], "a": 1}
    )


def test_a_section_renders_the_same_from_the_cache_as_from_the_macros(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    section = definition.sections[0].key
    data = page_posts(definition, post)[section]
    client.post(
        f"/audits/{audit_id}/sections/{section}",
        data={**data, "lock_version": lock_version(app, audit_id), "action_save": "Save draft"},
    )
    client.get(f"/audits/{audit_id}/sections/{section}")  # shows the "saved" banner once
    form_rendering.forget_rendered()
    fresh = client.get(f"/audits/{audit_id}/sections/{section}").get_data(as_text=True)
    cached = client.get(f"/audits/{audit_id}/sections/{section}").get_data(as_text=True)
    assert form_rendering.rendered_count() > 0
    assert without_tokens(cached) == without_tokens(fresh)
    assert " checked" in fresh


def test_typed_text_is_never_kept_in_the_cache(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    section = definition.sections[0]
    criterion = next(c for c in section.criteria if c.type == "scale")
    secret = "Synthetic rationale that must not be cached"
    client.post(
        f"/audits/{audit_id}/sections/{section.key}",
        data={
            f"rationale__{criterion.key}": secret,
            "lock_version": lock_version(app, audit_id),
            "action_save": "Save draft",
        },
    )
    form_rendering.forget_rendered()
    html = client.get(f"/audits/{audit_id}/sections/{section.key}").get_data(as_text=True)
    assert secret in html
    assert not any(secret in markup for markup in form_rendering.rendered_markup())


def test_a_kept_macro_renders_as_the_macro_does(app):
    from flask import render_template_string

    details = "govuk_frontend_jinja/components/details/macro.html"
    params = {"summaryText": "What good looks like", "text": "Synthetic <guidance> & more"}
    with app.test_request_context("/"):
        form_rendering.forget_rendered()
        direct = render_template_string(
            f'{{% from "{details}" import govukDetails %}}{{{{ govukDetails(params) }}}}',
            params=params,
        )
        kept = form_rendering.kept_macro(details, "govukDetails", params)
        assert str(kept) == direct
        assert form_rendering.kept_macro(details, "govukDetails", params) is kept
        assert "&lt;guidance&gt;" in kept
