"""A manager returns a submitted audit for changes; the auditor changes and resubmits it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, Role
from tests.audits.helpers import complete_answers, fill_whole_audit, lock_version
from tests.audits.helpers import start_audit_through_the_form as start
from tests.html_checks import check_page


@pytest.fixture
def submitted_audit(app, client, make_user, sign_in, templates_loaded):
    auditor = make_user(Role.AUDITOR)
    sign_in(auditor)
    audit_id = start(client, app)
    post, definition = complete_answers(app, "front-door")
    fill_whole_audit(client, app, audit_id, definition, post)
    assert (
        client.post(
            f"/audits/{audit_id}/submit", data={"lock_version": lock_version(app, audit_id)}
        ).status_code
        == 302
    )
    client.post("/sign-out")
    return auditor, audit_id


def test_a_manager_returns_an_audit_with_a_reason_the_auditor_then_sees(
    app, client, make_user, sign_in, submitted_audit
):
    auditor, audit_id = submitted_audit
    sign_in(make_user(Role.MANAGER, team=None))
    detail = client.get(f"/manage/audits/{audit_id}").get_data(as_text=True)
    assert "Return to the auditor for changes" in detail
    empty = client.post(f"/manage/audits/{audit_id}/return", data={"reason": ""})
    assert "Enter what the auditor needs to change" in empty.get_data(as_text=True)
    assert check_page(empty.get_data(as_text=True)).has_error_summary
    reason = "Synthetic: the rationale for the health grade does not match the evidence."
    assert (
        client.post(f"/manage/audits/{audit_id}/return", data={"reason": reason}).status_code == 302
    )
    client.post("/sign-out")

    sign_in(auditor)
    dashboard = client.get("/audits/").get_data(as_text=True)
    assert 'id="audits-returned"' in dashboard
    overview = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert reason in overview
    response = client.post(
        f"/audits/{audit_id}/submit", data={"lock_version": lock_version(app, audit_id)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "resubmitted"
        actions = list(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.audit_id == audit_id))
        )
        assert actions[-2:] == ["audit_returned", "audit_submitted"]


def test_a_manager_cannot_return_their_own_audit_or_a_draft(
    app, client, make_user, sign_in, templates_loaded
):
    # A manager without a team: they may audit any team's case, and see every audit.
    sign_in(make_user(Role.MANAGER, team=None))
    audit_id = start(client, app)
    response = client.post(f"/manage/audits/{audit_id}/return", data={"reason": "Synthetic"})
    assert "Only a submitted audit can be returned" in response.get_data(as_text=True)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        audit.status = "submitted"
        db.session.commit()
    response = client.post(f"/manage/audits/{audit_id}/return", data={"reason": "Synthetic"})
    assert "You cannot return your own audit" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "submitted"
