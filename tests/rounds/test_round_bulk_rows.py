"""The round's rows written in bulk (COPY on PostgreSQL) read back like rows written one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from qa_app.audits import operations
from qa_app.audits.operations import record_event
from qa_app.audits.responses import OVERALL, Response
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditEvent,
    AuditRound,
    AuditStatus,
    Case,
    InsightAuditFact,
    Role,
    RoundCase,
    TemplateVersion,
)
from qa_app.people.operations import create_user
from qa_app.rounds import bulk_rows
from qa_app.rounds.assigning import assign_round_evenly
from qa_app.rounds.operations import RoundDetails, confirm_round, create_round
from qa_app.sampling.draw import SamplingRule
from tests.conftest import TEST_PASSWORD
from tests.insight.conftest import build_world
from tests.insight.test_rollup import assert_rollup_equals_rebuild


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
                {
                    "audit_id": None,
                    "actor_id": None,
                    "action": "round_note",
                    "at": datetime(2026, 6, 1, tzinfo=UTC),
                    "details": {
                        "round_id": confirmed_round,
                        "note": "second, with “quotes”\tand a tab",
                    },
                }
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


def test_an_audit_made_by_assigning_a_round_joins_the_rollup_when_submitted(app, tmp_path):
    with app.app_context():
        session = db.session
        world = build_world(session, tmp_path)
        version = session.scalar(select(TemplateVersion).order_by(TemplateVersion.id).limit(1))
        auditor = create_user(
            session, "round-auditor@example.org", "Round auditor", Role.AUDITOR, TEST_PASSWORD, None
        )
        details = RoundDetails(
            "Insight round (synthetic)",
            version,
            date(2026, 12, 1),
            date(2026, 12, 31),
            date(2027, 1, 15),
            SamplingRule(mode="percent", percent=100, exclude_audited_within_months=0),
            5,
        )
        audit_round = create_round(session, None, details)
        confirm_round(session, audit_round, None, today=date(2026, 12, 7))
        assign_round_evenly(session, audit_round, None, [auditor.id])
        session.commit()
        audits = session.scalars(select(Audit).where(Audit.round_id == audit_round.id)).all()
        assert len(audits) == len(world.audit_ids)
        assert_rollup_equals_rebuild(session)

        audit = audits[0]
        operations.save_audit(
            session,
            audit,
            auditor,
            {
                "risk": Response("good", "Synthetic test text"),
                "strategy_held": Response("no"),
                "seen_alone": Response("yes"),
                "safety.judgement": Response("good", "Synthetic test text"),
                OVERALL: Response("good", "Synthetic test text"),
            },
            expected_version=audit.lock_version,
        )
        result = operations.submit_audit(
            session, audit, auditor, expected_version=audit.lock_version
        )
        assert result.saved, result.problems
        fact = session.get(InsightAuditFact, audit.id)
        assert (fact.round_id, fact.due_month) == (audit_round.id, date(2027, 1, 1))
        assert_rollup_equals_rebuild(session)
