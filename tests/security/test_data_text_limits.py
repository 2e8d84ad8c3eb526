"""Every written box has a server-side limit; over it, nothing is saved and the text stays."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from qa_app.audits.text_limits import TEXT_MAX
from qa_app.extensions import db
from qa_app.models import Answer, Audit, Role
from tests.audits.helpers import complete_answers, lock_version, start_audit_through_the_form
from tests.html_checks import check_page


@pytest.fixture
def auditor(make_user, sign_in, templates_loaded):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    return user


@pytest.fixture
def audit_page(client, app, auditor):
    """An audit in progress and its first section's first scale question."""
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    section = definition.sections[0]
    criterion = next(c for c in section.criteria if c.type == "scale")
    return audit_id, section, criterion


def _answers(app, audit_id):
    with app.app_context():
        return {
            a.criterion_key: (a.value, a.rationale)
            for a in db.session.scalars(select(Answer).where(Answer.audit_id == audit_id))
        }


def test_a_rationale_over_10000_characters_is_refused_with_a_message_and_kept_on_the_page(
    client, app, audit_page
):
    audit_id, section, criterion = audit_page
    option = criterion.scale and "good"
    typed = "Evidence. " * 1000 + "x"  # 10,001 characters
    response = client.post(
        f"/audits/{audit_id}/sections/{section.key}",
        data={
            f"answer__{criterion.key}": option,
            f"rationale__{criterion.key}": typed,
            "lock_version": lock_version(app, audit_id),
            "action_save": "Save",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_page(html)
    assert "<title>Error:" in html
    assert f"Your reasons for “{criterion.question}” must be 10,000 characters or fewer" in html
    assert typed in html  # the text is kept to be shortened
    assert "have not been saved" in html
    assert _answers(app, audit_id) == {}  # nothing saved, not even the grade


def test_a_rationale_of_exactly_10000_characters_is_saved(client, app, audit_page):
    audit_id, section, criterion = audit_page
    typed = "y" * TEXT_MAX
    response = client.post(
        f"/audits/{audit_id}/sections/{section.key}",
        data={
            f"rationale__{criterion.key}": typed,
            "lock_version": lock_version(app, audit_id),
            "action_save": "Save",
        },
    )
    assert response.status_code in (302, 400)  # 400 only for answers still to correct
    assert _answers(app, audit_id)[criterion.key][1] == typed


def test_autosave_refuses_an_oversized_answer_with_a_clear_json_message(client, app, audit_page):
    audit_id, section, criterion = audit_page
    response = client.post(
        f"/audits/{audit_id}/autosave/{section.key}",
        data={
            f"rationale__{criterion.key}": "z" * (TEXT_MAX + 1),
            "lock_version": lock_version(app, audit_id),
        },
    )
    assert response.status_code == 400
    assert response.json["status"] == "too_long"
    assert "must be 10,000 characters or fewer" in response.json["message"]
    assert _answers(app, audit_id) == {}


def test_autosave_refuses_a_20_mb_body_before_reading_it(client, app, audit_page):
    audit_id, section, criterion = audit_page
    before = lock_version(app, audit_id)
    response = client.post(
        f"/audits/{audit_id}/autosave/{section.key}",
        data=urlencode({f"rationale__{criterion.key}": "z" * (20 << 20), "lock_version": before}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response.json["status"] == "too_large"
    assert "Shorten" in response.json["message"]
    assert _answers(app, audit_id) == {}
    assert lock_version(app, audit_id) == before


def test_an_ordinary_page_post_over_the_request_limit_gets_an_error_page(client, app, audit_page):
    audit_id, section, _ = audit_page
    response = client.post(
        f"/audits/{audit_id}/sections/{section.key}",
        data=urlencode({"rationale__x": "z" * (5 << 20)}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    check_page(html)
    assert "What you sent was too large" in html


def test_the_practice_page_refuses_long_feedback_and_keeps_it(client, app, audit_page):
    audit_id, _, _ = audit_page
    typed = "The family said. " * 600  # 10,200 characters
    response = client.post(
        f"/audits/{audit_id}/practice",
        data={
            "with_practitioner": "yes",
            "family_feedback": typed,
            "lock_version": lock_version(app, audit_id),
            "action_save": "Save",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_page(html)
    assert "The family&#39;s feedback must be 10,000 characters or fewer" in html
    assert typed.strip() in html
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.family_feedback is None and audit.with_practitioner is None


def test_a_case_list_upload_may_be_larger_than_an_ordinary_post(client, make_user, sign_in):
    admin = make_user(Role.ADMIN, team=None)
    sign_in(admin)
    big = b"Case reference,Team,Case type,Allocated worker,Date opened\n" + b"#" * (6 << 20)
    # The body is built in memory (the test client would spool it to a temporary file).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "cases.csv")})
    response = client.post(
        "/admin/cases/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code != 413
    assert "must be smaller than" not in response.get_data(as_text=True)
