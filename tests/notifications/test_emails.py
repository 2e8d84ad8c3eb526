"""Emails: sent after the action commits, to the right people, with a case reference and a link
and never written text; a failure to send is logged, undoes nothing, and is sent again by the
job worker."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from qa_app.audits import operations as audit_operations
from qa_app.extensions import db
from qa_app.follow_up import operations as follow_up
from qa_app.models import Audit, Role, SafeguardingConcern, User
from tests.jobs.conftest import running_worker

CONCERN = "Synthetic test text: an unexplained bruise, no strategy meeting."


def _mail(app) -> str:
    folder = Path(app.config["MAIL_FILE_PATH"])
    return "".join(p.read_text() for p in sorted(folder.glob("*.log")))


def _raise(app, audit_id: int, actor_id: int) -> None:
    with app.app_context():
        follow_up.raise_concern(
            db.session, db.session.get(Audit, audit_id), db.session.get(User, actor_id), CONCERN
        )
        db.session.commit()


def test_a_concern_is_emailed_at_once_to_the_case_teams_managers_only(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR, team="Team B")
    manager = make_user(Role.MANAGER, email="team-a-manager@example.org")
    other = make_user(Role.MANAGER, email="team-b-manager@example.org", team="Team B")
    lead = make_user(Role.QA_LEAD, email="lead@example.org", team=None)
    audit_id = submit_audit(auditor.id)
    _raise(app, audit_id, auditor.id)
    mail = _mail(app)
    assert "Safeguarding concern raised: case SYN-000001" in mail
    assert manager.email in mail
    assert other.email not in mail and lead.email not in mail
    assert CONCERN not in mail and "bruise" not in mail
    assert "http://qa.test/concerns" in mail or "/concerns" in mail


def test_a_concern_in_a_team_without_managers_goes_to_qa_leads_and_admins(
    app, make_user, submit_audit
):
    auditor = make_user(Role.AUDITOR)
    lead = make_user(Role.QA_LEAD, email="lead@example.org", team=None)
    admin = make_user(Role.ADMIN, email="admin@example.org", team=None)
    audit_id = submit_audit(auditor.id)
    _raise(app, audit_id, auditor.id)
    mail = _mail(app)
    assert lead.email in mail and admin.email in mail


def test_a_rolled_back_action_sends_nothing(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        follow_up.raise_concern(
            db.session, db.session.get(Audit, audit_id), db.session.get(User, auditor.id), CONCERN
        )
        db.session.rollback()
        db.session.commit()
    assert "Safeguarding concern" not in _mail(app)


def test_a_failure_to_send_is_logged_and_never_undoes_the_action(
    app, make_user, submit_audit, monkeypatch, caplog
):
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("qa_app.notifications.sending.EmailMessage.send", refuse)
    with caplog.at_level(logging.ERROR):
        _raise(app, audit_id, auditor.id)
        with app.app_context():
            audit_operations.return_audit(
                db.session,
                db.session.get(Audit, audit_id),
                db.session.get(User, manager.id),
                "Please add dates",
            )
            db.session.commit()
    with app.app_context():
        assert db.session.scalar(select(SafeguardingConcern.id)) is not None
        assert db.session.get(Audit, audit_id).status == "returned"
    assert "Could not send the concern_raised email about case SYN-000001" in caplog.text
    assert "Could not send the returned email" in caplog.text


def test_the_auditor_is_emailed_when_their_audit_is_returned(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR, email="auditor@example.org")
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit_operations.return_audit(
            db.session,
            db.session.get(Audit, audit_id),
            db.session.get(User, manager.id),
            "Synthetic: the plan needs dates",
        )
        db.session.commit()
    mail = _mail(app)
    assert "Audit returned for changes: case SYN-000001" in mail
    assert "auditor@example.org" in mail and "the plan needs dates" not in mail
    assert f"/audits/{audit_id}" in mail


def _refuse_while(monkeypatch, refusing: list[bool]) -> list[int]:
    """Make the mail server refuse while ``refusing[0]`` is true; return the attempt counter."""
    from qa_app.notifications.sending import EmailMessage

    send = EmailMessage.send
    attempts = [0]

    def refuse_or_send(self, fail_silently=False):
        attempts[0] += 1
        if refusing[0]:
            raise ConnectionRefusedError("mail server down")
        return send(self, fail_silently)

    monkeypatch.setattr("qa_app.notifications.sending.EmailMessage.send", refuse_or_send)
    return attempts


def test_an_email_the_server_refused_is_sent_by_the_job_worker_once_the_server_is_back(
    queued_app, make_user, submit_audit, monkeypatch
):
    app = queued_app
    app.config["EMAIL_RETRY_SECONDS"] = 0
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER, email="team-a-manager@example.org")
    audit_id = submit_audit(auditor.id)
    refusing = [True]
    attempts = _refuse_while(monkeypatch, refusing)
    _raise(app, audit_id, auditor.id)
    assert attempts[0] == 1
    assert "Safeguarding concern" not in _mail(app)
    assert app.extensions["qa_jobs"].huey.pending_count() == 1  # waiting for a worker
    refusing[0] = False
    with running_worker(app):
        deadline = time.monotonic() + 30
        while "Safeguarding concern" not in _mail(app) and time.monotonic() < deadline:
            time.sleep(0.1)
    mail = _mail(app)
    assert "Safeguarding concern raised: case SYN-000001" in mail
    assert manager.email in mail and CONCERN not in mail
    assert attempts[0] == 2


def test_an_email_refused_every_time_is_tried_again_then_given_up_with_an_error(
    app, make_user, submit_audit, monkeypatch, caplog
):
    app.config.update(EMAIL_RETRY_SECONDS=0, EMAIL_RETRIES=2)  # immediate jobs: retried at once
    auditor = make_user(Role.AUDITOR)
    make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    attempts = _refuse_while(monkeypatch, [True])
    with caplog.at_level(logging.ERROR):
        _raise(app, audit_id, auditor.id)
    assert attempts[0] == 3  # the first send and two retries
    assert "Gave up sending the concern_raised email about case SYN-000001 after 2 retries" in (
        caplog.text
    )
    with app.app_context():
        assert db.session.scalar(select(SafeguardingConcern.id)) is not None


def test_a_retry_waits_longer_each_time_and_is_not_sent_before_then(
    app, make_user, submit_audit, monkeypatch
):
    auditor = make_user(Role.AUDITOR)
    make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    attempts = _refuse_while(monkeypatch, [True])
    _raise(app, audit_id, auditor.id)
    huey = app.extensions["qa_jobs"].huey
    (retry,) = huey.scheduled()
    assert attempts[0] == 1  # five minutes later, not now
    assert retry.args[0] == "resend_email" and retry.args[1][1] == 1
    assert 290 <= (retry.eta - datetime.now(UTC).replace(tzinfo=None)).total_seconds() <= 300
