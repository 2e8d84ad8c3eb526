"""Autosave tells a stale token apart from an ended session (the attack saw a signed-in user told
``signed_out``), and a stale token is answered with a fresh one so nothing typed is lost."""

from __future__ import annotations

import re

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Answer, Role
from tests.audits.helpers import complete_answers, start_audit_through_the_form


def _first_criterion(definition):
    return next(c for c in definition.criteria() if c.type == "scale" and c.show_if is None)


def _lock_version(app, audit_id: int) -> str:
    from qa_app.models import Audit

    with app.app_context():
        return str(db.session.get(Audit, audit_id).lock_version)


def test_a_stale_token_while_signed_in_gets_a_fresh_one_and_the_retry_saves(
    app, client, make_user, sign_in, templates_loaded
):
    sign_in(make_user(Role.AUDITOR))
    audit_id = start_audit_through_the_form(client, app)
    _, definition = complete_answers(app, "front-door")
    criterion = _first_criterion(definition)
    section = definition.section_of(criterion.key).key
    url = f"/audits/{audit_id}/autosave/{section}"
    typed = {f"rationale__{criterion.key}": "Synthetic: typed before the token went stale"}
    app.config["WTF_CSRF_ENABLED"] = True
    stale = client.post(
        url, data={"csrf_token": "from-an-earlier-session", "lock_version": "0", **typed}
    )
    assert stale.status_code == 403
    assert stale.json["status"] == "stale_token" and stale.json["csrf_token"]
    retry = client.post(
        url,
        data={
            "csrf_token": stale.json["csrf_token"],
            "lock_version": _lock_version(app, audit_id),
            **typed,
        },
    )
    assert retry.json["status"] == "saved"
    with app.app_context():
        assert db.session.scalar(select(Answer.rationale)) == typed[f"rationale__{criterion.key}"]


def test_an_ended_session_is_still_told_signed_out(
    app, client, make_user, sign_in, templates_loaded
):
    sign_in(make_user(Role.AUDITOR))
    audit_id = start_audit_through_the_form(client, app)
    page = client.get(f"/audits/{audit_id}/overall").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.delete_cookie("session", domain="qa.test")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/audits/{audit_id}/autosave/overall", data={"csrf_token": token})
    assert (response.status_code, response.json) == (401, {"status": "signed_out"})
