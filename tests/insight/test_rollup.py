"""The rollup always equals a rebuild from the audits and answers, whatever changed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from qa_app.audit_changes import audit_changed
from qa_app.audits import operations
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import (
    AgreementPairMonth,
    Audit,
    AuditStatus,
    InsightAnswerFact,
    InsightAuditFact,
    InsightAuditMonth,
    InsightCriterionFinding,
    InsightCriterionMonth,
    Role,
)
from qa_app.people.operations import create_user
from tests.conftest import TEST_PASSWORD
from tests.insight.builders import moderate


def snapshot(session) -> dict[str, list[tuple]]:
    """Return every rollup row, without surrogate ids, sorted."""
    tables = {}
    for model in (
        AgreementPairMonth,
        InsightAuditFact,
        InsightAuditMonth,
        InsightAnswerFact,
        InsightCriterionMonth,
        InsightCriterionFinding,
    ):
        columns = [c for c in model.__table__.columns if c.name != "id"]
        rows = session.execute(select(*columns)).all()
        tables[model.__tablename__] = sorted(
            (tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows),
            key=repr,
        )
    return tables


def assert_rollup_equals_rebuild(session) -> None:
    session.flush()
    incremental = snapshot(session)
    rebuild_rollup(session)
    assert snapshot(session) == incremental


def test_rollup_holds_reported_audits_and_graded_answers_only(session, world):
    facts = session.scalars(select(InsightAuditFact.audit_id)).all()
    assert sorted(facts) == sorted(world.audit_ids[:5])  # the draft is not reported
    answers = session.execute(
        select(InsightAnswerFact.criterion_key, InsightAnswerFact.not_asked).where(
            InsightAnswerFact.audit_id == world.audit_ids[1]
        )
    ).all()
    assert dict(answers) == {
        "risk": 0,
        "strategy_held": 0,
        "strategy_timed": 1,
        "seen_alone": 0,
        "safety.judgement": 0,
    }
    assert_rollup_equals_rebuild(session)


def test_audit_months_count_each_cell_and_grade_pair_once(session, world):
    rows = session.execute(
        select(
            InsightAuditMonth.team_id,
            InsightAuditMonth.month,
            InsightAuditMonth.due_month,
            InsightAuditMonth.moderated,
            InsightAuditMonth.auditor_judgement,
            InsightAuditMonth.final_judgement,
            InsightAuditMonth.audits,
            InsightAuditMonth.final_good,
        ).where(InsightAuditMonth.team_id == world.team_b)
    ).all()
    assert sorted(rows, key=repr) == sorted(
        [
            (
                world.team_b,
                date(2026, 10, 1),
                date(2026, 10, 1),
                0,
                "inadequate",
                "inadequate",
                1,
                0,
            ),
            (
                world.team_b,
                date(2026, 11, 1),
                date(2026, 11, 1),
                1,
                "outstanding",
                "requires_improvement",
                1,
                0,
            ),
        ],
        key=repr,
    )
    assert sum(session.scalars(select(InsightAuditMonth.audits))) == 5


def test_rollup_equals_rebuild_after_submit_return_resubmit_moderate_and_close(session, world):
    draft = session.get(Audit, world.audit_ids[5])
    auditor = draft.auditor
    manager = create_user(
        session, "insight-manager@example.org", "Manager", Role.MANAGER, TEST_PASSWORD, None
    )
    session.flush()

    result = operations.submit_audit(session, draft, auditor, expected_version=draft.lock_version)
    assert result.saved, result.problems
    assert_rollup_equals_rebuild(session)
    assert session.get(InsightAuditFact, draft.id) is not None

    operations.return_audit(session, draft, manager, "Synthetic reason")
    assert_rollup_equals_rebuild(session)
    assert session.get(InsightAuditFact, draft.id) is None

    operations.save_audit(
        session,
        draft,
        auditor,
        {"risk": operations.Response("good")},
        expected_version=draft.lock_version,
    )
    operations.submit_audit(session, draft, auditor, expected_version=draft.lock_version)
    assert draft.status == AuditStatus.RESUBMITTED.value
    assert_rollup_equals_rebuild(session)

    moderate(session, draft, {"risk": "requires_improvement"}, "requires_improvement")
    draft.status = AuditStatus.MODERATED.value
    audit_changed(session, draft.id, "moderated")
    assert_rollup_equals_rebuild(session)
    fact = session.get(InsightAuditFact, draft.id)
    assert (fact.auditor_judgement, fact.final_judgement, fact.moderated) == (
        "inadequate",
        "requires_improvement",
        1,
    )

    pairs = select(func.sum(AgreementPairMonth.pairs))
    assert session.scalar(pairs) == 4  # the moderated audit's four answers

    draft.status = AuditStatus.CLOSED.value
    audit_changed(session, draft.id, "closed")
    assert_rollup_equals_rebuild(session)


def test_agreement_pairs_follow_a_moderation_into_another_month_and_out_again(session, world):
    audit = session.scalar(select(Audit).where(Audit.moderated_overall_judgement.is_not(None)))
    audit.status = AuditStatus.MODERATED.value
    audit_changed(session, audit.id, "moderated")
    assert_rollup_equals_rebuild(session)
    months = select(AgreementPairMonth.month).distinct()
    first = session.scalars(months).all()
    assert len(first) == 1

    audit.moderated_at = audit.moderated_at - timedelta(days=40)
    audit_changed(session, audit.id, "moderated")
    assert_rollup_equals_rebuild(session)
    assert session.scalars(months).all() not in ([], first)

    audit.status = AuditStatus.IN_MODERATION.value
    audit_changed(session, audit.id, "returned")
    assert_rollup_equals_rebuild(session)
    assert session.scalar(select(func.count(AgreementPairMonth.id))) == 0


def test_rebuild_command_reports_what_it_built(app, runner, session, world):
    result = runner.invoke(args=["insight", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rollup rebuilt from 5 audits: 23 graded answers" in result.output
    assert "5 audit cells" in result.output
    pairs = session.scalar(select(func.count(AgreementPairMonth.id)))
    assert f"{pairs} agreement pair cells" in result.output
