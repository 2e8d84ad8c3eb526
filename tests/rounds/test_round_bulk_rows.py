"""The round's rows written in bulk (COPY on PostgreSQL) read back like rows written one by one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, AuditRound, AuditStatus, Case, Role, RoundCase
from qa_app.rounds import bulk_rows
from qa_app.rounds.assigning import assign_round_evenly


def test_each_assigned_audit_is_logged_with_its_case_auditor_round_and_due_date(
    client, app, confirmed_round, make_user
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    before = utcnow()
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(auditor.id)]}
    )
    after = utcnow()
    with app.app_context():
        audits = db.session.execute(
            select(Audit, Case.reference)
            .join(Case, Case.id == Audit.case_id)
            .where(Audit.round_id == confirmed_round)
        ).all()
        events = {
            e.audit_id: e
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "audit_assigned")
            )
        }
        assert len(audits) == len(events) == 6
        for audit, reference in audits:
            assert audit.lock_version == 1
            assert audit.created_at == audit.updated_at
            assert before <= as_utc(audit.created_at) <= after
            event = events[audit.id]
            assert event.at == audit.created_at
            assert event.details == {
                "round_id": confirmed_round,
                "case": reference,
                "auditor_id": auditor.id,
                "due_date": "2026-06-15",
            }


def test_an_audit_made_after_a_round_is_assigned_takes_a_new_id(
    client, app, confirmed_round, make_user, version_id
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    client.post(
        f"/admin/rounds/{confirmed_round}/assign-evenly", data={"auditors": [str(auditor.id)]}
    )
    with app.app_context():
        highest = db.session.scalar(select(func.max(Audit.id)))
        case_id = db.session.scalar(select(func.min(Case.id)))
        audit = Audit(
            template_version_id=version_id,
            case_id=case_id,
            auditor_id=auditor.id,
            status=AuditStatus.DRAFT.value,
        )
        db.session.add(audit)
        db.session.commit()
        assert audit.id > highest


def test_a_failure_after_the_audits_are_written_leaves_the_round_unassigned(
    app, confirmed_round, make_user, monkeypatch
):
    auditor = make_user(Role.AUDITOR, team="Team C (synthetic)")
    write_events = bulk_rows.insert_events

    def write_then_fail(connection, events):
        write_events(connection, events)
        raise RuntimeError("the connection was lost")

    monkeypatch.setattr(bulk_rows, "insert_events", write_then_fail)
    with app.app_context():
        audit_round = db.session.get(AuditRound, confirmed_round)
        with pytest.raises(RuntimeError):
            assign_round_evenly(db.session, audit_round, None, [auditor.id])
        db.session.rollback()
        assert db.session.scalar(select(func.count(Audit.id))) == 0
        assert db.session.scalars(select(RoundCase.audit_id)).all() == [None] * 6
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "audit_assigned" not in actions and "audits_assigned" not in actions


def test_bulk_written_events_sit_in_the_log_beside_events_written_one_by_one(app, confirmed_round):
    with app.app_context():
        record_event(db.session, "round_note", None, round_id=confirmed_round, note="first")
        db.session.flush()
        bulk_rows.insert_events(
            db.session.connection(),
            [
                bulk_rows.NewEvent(
                    audit_id=None,
                    actor_id=None,
                    action="round_note",
                    at=datetime(2026, 6, 1, tzinfo=UTC),
                    details={
                        "round_id": confirmed_round,
                        "note": "second, with “quotes”\tand a tab",
                    },
                )
            ],
        )
        record_event(db.session, "round_note", None, round_id=confirmed_round, note="third")
        db.session.commit()
        notes = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "round_note").order_by(AuditEvent.id)
        ).all()
        assert [n.details["note"] for n in notes] == [
            "first",
            "second, with “quotes”\tand a tab",
            "third",
        ]
