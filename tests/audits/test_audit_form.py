"""The auditor's journey through the web form, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Answer, Audit, AuditEvent, Role
from tests.audits.helpers import complete_answers, lock_version, start_audit_through_the_form
from tests.html_checks import check_page


@pytest.fixture
def auditor(make_user, sign_in, templates_loaded):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    return user


def _first_scale_criterion(definition):
    return next(c for c in definition.criteria() if c.type == "scale" and c.show_if is None)


def test_starting_an_audit_shows_the_form_generated_from_the_template(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    response = client.get(f"/audits/{audit_id}")
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Audit of case SYN-000001" in html
    _, definition = complete_answers(app, "front-door")
    for criterion in definition.criteria()[:5]:
        assert f'name="answer__{criterion.key}"' in html
    assert "What good looks like" in html
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.audit_id == audit_id))
        assert list(events) == ["audit_started"]


def test_starting_an_audit_without_a_case_reference_keeps_the_choices_and_explains(client, app, auditor):
    response = client.post("/audits/new", data={"template_version_id": "", "case_reference": "", "team_id": ""})
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.has_error_summary
    assert "Enter the case reference" in html
    assert "Select an audit template" in html


def test_saving_a_draft_keeps_every_answer_and_logs_what_changed(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    post, definition = complete_answers(app, "front-door")
    criterion = _first_scale_criterion(definition)
    data = {
        "lock_version": lock_version(app, audit_id),
        f"answer__{criterion.key}": post[f"answer__{criterion.key}"],
        f"rationale__{criterion.key}": "Synthetic test text: evidence seen on the file.",
        "action_save": "Save draft",
    }
    response = client.post(f"/audits/{audit_id}", data=data)
    assert response.status_code == 302
    html = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Synthetic test text: evidence seen on the file." in html
    assert "Draft saved." in html
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.audit_id == audit_id))
        assert answer.criterion_key == criterion.key
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit_saved")
        ).one()
        assert event.details["changes"][0]["criterion"] == criterion.key
        assert event.details["changes"][0]["new"] == post[f"answer__{criterion.key}"]


def test_submitting_an_incomplete_audit_lists_every_problem_and_keeps_the_typed_text(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    criterion = _first_scale_criterion(definition)
    typed = "Synthetic test text: the plan has no timescales <and> that matters."
    data = {
        "lock_version": lock_version(app, audit_id),
        f"answer__{criterion.key}": definition.scale(criterion.scale).options[-1].value,
        f"rationale__{criterion.key}": "",
        "overall_rationale": typed,
        "action_submit": "Submit audit",
    }
    response = client.post(f"/audits/{audit_id}", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert page.has_error_summary
    assert "Enter your reasons for this answer" in html
    assert "Select a grade for the overall judgement" in html
    assert f'href="#rationale__{criterion.key}"' in html
    assert "Synthetic test text: the plan has no timescales &lt;and&gt; that matters." in html
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.status == "draft"
        assert audit.overall_rationale is None  # nothing saved from a refused submission


def test_a_complete_audit_submits_with_its_score_and_leaves_my_audits_showing_it(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    post, _ = complete_answers(app, "front-door")
    post |= {"lock_version": lock_version(app, audit_id), "action_submit": "Submit audit"}
    response = client.post(f"/audits/{audit_id}", data=post)
    assert response.status_code == 302, response.get_data(as_text=True)
    html = client.get(response.location).get_data(as_text=True)
    assert "Audit of case SYN-000001 submitted." in html
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.status == "submitted"
        assert audit.submitted_at is not None
        assert audit.score is not None and 0 <= audit.score <= 1
        actions = list(db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.audit_id == audit_id).order_by(AuditEvent.id)
        ))
        assert actions == ["audit_started", "audit_submitted"]
    # A submitted audit is read-only for its auditor.
    assert client.get(f"/audits/{audit_id}").status_code == 302
    assert client.post(f"/audits/{audit_id}", data=post).status_code == 302


def test_a_save_from_a_stale_page_is_refused_and_keeps_what_was_typed(client, app, auditor):
    audit_id = start_audit_through_the_form(client, app)
    stale = lock_version(app, audit_id)
    _, definition = complete_answers(app, "front-door")
    criterion = _first_scale_criterion(definition)
    first = {"lock_version": stale, f"rationale__{criterion.key}": "Synthetic: first tab", "action_save": "Save"}
    assert client.post(f"/audits/{audit_id}", data=first).status_code == 302
    second = {"lock_version": stale, f"rationale__{criterion.key}": "Synthetic: second tab", "action_save": "Save"}
    response = client.post(f"/audits/{audit_id}", data=second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "saved by someone else after you opened it" in html
    assert "Synthetic: second tab" in html
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.audit_id == audit_id))
        assert answer.rationale == "Synthetic: first tab"


def test_an_auditor_cannot_open_someone_elses_audit(client, app, auditor, make_user, sign_in):
    audit_id = start_audit_through_the_form(client, app)
    client.post("/sign-out")
    sign_in(make_user(Role.AUDITOR))
    assert client.get(f"/audits/{audit_id}").status_code == 403
    assert client.get(f"/audits/{audit_id}/view").status_code == 404


def test_a_case_held_by_another_team_cannot_be_started_under_the_wrong_team(client, app, auditor):
    from qa_app.models import Team, TemplateVersion

    start_audit_through_the_form(client, app, reference="SYN-555")
    with app.app_context():
        other = Team(name="Other team (synthetic)")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
        version_id = db.session.scalar(select(TemplateVersion.id))
    response = client.post(
        "/audits/new",
        data={"template_version_id": str(version_id), "case_reference": "syn-555", "team_id": str(other_id)},
    )
    assert response.status_code == 200
    assert "Case SYN-555 is held by" in response.get_data(as_text=True)


def test_an_invalid_date_is_refused_with_the_typed_parts_kept(client, app, make_user, sign_in, templates_loaded):
    sign_in(make_user(Role.AUDITOR))
    with app.app_context():
        from qa_app.models import TemplateVersion

        versions = db.session.scalars(select(TemplateVersion)).all()
        found = next(
            ((v.key, c) for v in versions for c in v.definition.criteria()
             if c.type == "date" and c.show_if is None), None,
        )
    assert found, "a shipped template should ask for a date"
    key, criterion = found
    audit_id = start_audit_through_the_form(client, app, template_key=key)
    data = {"lock_version": lock_version(app, audit_id), f"answer__{criterion.key}": ["31", "2", "2026"],
            "action_save": "Save draft"}
    response = client.post(f"/audits/{audit_id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "must be a real date" in html
    assert f'href="#answer__{criterion.key}-day"' in html
    assert 'value="31"' in html
