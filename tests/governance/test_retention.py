"""Retention: case detail past its period is purged, every figure stays the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.governance.retention import plan_purge, run_purge
from qa_app.governance.retention_policy import REMOVED_TEXT, RetentionSettings, tombstone
from qa_app.models import (
    REPORTED_STATUSES,
    AccessRecord,
    Action,
    Answer,
    Audit,
    AuditEvent,
    Case,
    HeldForm,
    InsightAuditFact,
    InsightCriterionFinding,
    InsightCriterionMonth,
    RetentionRun,
    Role,
    SafeguardingConcern,
    Team,
    TemplateVersion,
    User,
)
from qa_app.reports import queries as report_queries

SHORT = RetentionSettings(case_detail_months=3, batch_size=4)


@pytest.fixture
def demo(seeded_demo):
    """The synthetic demo data: audits submitted over the last six months, with text (seeded
    with its rollup once per database, copied into each test's database)."""


def _cutoff():
    return SHORT.cutoffs(utcnow()).case_detail


def _old_audit_ids() -> list[int]:
    ended = func.coalesce(Audit.closed_at, Audit.submitted_at)
    return list(
        db.session.scalars(
            select(Audit.id).where(Audit.status.in_(REPORTED_STATUSES), ended < _cutoff())
        )
    )


def _text_keys() -> set[str]:
    return {
        criterion.key
        for version in db.session.scalars(select(TemplateVersion))
        for criterion in version.definition.criteria()
        if criterion.type == "text"
    }


def _figures() -> dict[str, object]:
    """Every figure the reports build, as an administrator sees them (all teams)."""
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN.value))
    return {
        # Means are compared to 9 places: PostgreSQL may sum in another order each time.
        "judgements": sorted(
            (c.judgement, c.audits, None if c.mean_score is None else round(c.mean_score, 9))
            for c in report_queries.judgement_counts(db.session, admin)
        ),
        "audits": list(report_queries.audit_rows(db.session, admin)),
        # Free-text answers are written text, not figures: they are the one thing that goes.
        "answers": [
            row
            for row in report_queries.answer_rows(db.session, admin)
            if row.criterion_key not in _text_keys()
        ],
        "scores": db.session.execute(
            select(Audit.id, Audit.score, Audit.overall_judgement, Audit.moderated_score).order_by(
                Audit.id
            )
        ).all(),
        "grades": db.session.execute(
            select(Answer.id, Answer.value, Answer.score, Answer.lineage_key)
            .where(Answer.score.is_not(None))
            .order_by(Answer.id)
        ).all(),
        # The dashboards' rollup, every row and column but surrogate ids (rows are rebuilt).
        "rollup": [
            sorted(
                (
                    tuple(
                        # PostgreSQL may sum a cell's floats in another order after a rebuild,
                        # which moves the last binary digit; every figure shown is far coarser.
                        round(value, 9) if isinstance(value, float) else value
                        for column, value in row._mapping.items()
                        if column != "id"
                    )
                    for row in db.session.execute(select(table))
                ),
                key=repr,
            )
            for table in (
                InsightAuditFact.__table__,
                InsightCriterionMonth.__table__,
                InsightCriterionFinding.__table__,
            )
        ],
        "cases": db.session.execute(
            select(Case.id, Case.team_id, Case.case_type, Case.opened_on).order_by(Case.id)
        ).all(),
    }


def test_the_purge_deletes_case_detail_past_its_period_and_keeps_every_figure(app, demo):
    with app.app_context():
        old = _old_audit_ids()
        assert old, "the demo data should have audits older than three months"
        old_cases = set(db.session.scalars(select(Audit.case_id).where(Audit.id.in_(old))))
        before = _figures()
        run = run_purge(db.session, SHORT)
        db.session.expire_all()
        assert _figures() == before
        assert run.counts["audits_purged"] == len(old)
        for audit in db.session.scalars(select(Audit).where(Audit.id.in_(old))):
            assert audit.overall_rationale is None and audit.override_reason is None
            assert audit.practitioner_reflection is None and audit.family_feedback is None
            assert all(answer.rationale is None for answer in audit.answers)
        texts = db.session.scalars(select(Action.description).where(Action.audit_id.in_(old)))
        assert set(texts) <= {REMOVED_TEXT}
        # Recent audits keep their text.
        recent = db.session.scalars(
            select(Audit).where(Audit.id.not_in(old), Audit.overall_rationale.is_not(None))
        ).all()
        assert recent
        purged_cases = [
            case
            for case in db.session.scalars(select(Case).where(Case.id.in_(old_cases)))
            if not db.session.scalar(
                select(func.count(Audit.id)).where(Audit.case_id == case.id, Audit.id.not_in(old))
            )
        ]
        assert purged_cases
        for case in purged_cases:
            assert case.reference == tombstone(case.id)
            assert case.allocated_worker is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_purge"))
        assert event.details["audits_purged"] == len(old)
        assert event.details["run_id"] == run.id


def test_a_second_run_finds_nothing_to_do(app, demo):
    with app.app_context():
        run_purge(db.session, SHORT)
        assert plan_purge(db.session, SHORT, utcnow()).audits == 0
        again = run_purge(db.session, SHORT)
        assert again.counts.get("audits_purged", 0) == 0
        assert again.counts.get("cases_purged", 0) == 0


class Killed(Exception):
    pass


def test_a_run_killed_part_way_is_resumed_by_running_again(app, demo):
    with app.app_context():
        old = _old_audit_ids()
        before = _figures()

        def die_after_first_batch(step: str, done: int, total: int) -> None:
            if step == "audits" and done >= SHORT.batch_size:
                raise Killed

        with pytest.raises(Killed):
            run_purge(db.session, SHORT, progress=die_after_first_batch)
        db.session.rollback()
        assert plan_purge(db.session, SHORT, utcnow()).audits == len(old) - SHORT.batch_size
        first = db.session.scalar(select(RetentionRun).order_by(RetentionRun.id))
        assert first.finished_at is None and first.counts["audits_purged"] == SHORT.batch_size

        resumed = run_purge(db.session, SHORT)
        assert resumed.counts["audits_purged"] == len(old) - SHORT.batch_size
        db.session.expire_all()
        assert _figures() == before
        assert (
            db.session.scalar(
                select(func.count(Audit.id)).where(
                    Audit.id.in_(old), Audit.overall_rationale.is_not(None)
                )
            )
            == 0
        )


def test_concerns_lose_their_text_but_stay_acknowledged(app, demo):
    with app.app_context():
        concern = db.session.scalar(select(SafeguardingConcern))
        audit = db.session.get(Audit, concern.audit_id)
        audit.status, audit.submitted_at = "submitted", utcnow() - timedelta(days=400)
        concern.response = "Synthetic response"
        concern.acknowledged_at = utcnow()
        db.session.commit()
        run_purge(db.session, SHORT)
        db.session.expire_all()
        concern = db.session.get(SafeguardingConcern, concern.id)
        assert (concern.description, concern.response) == (REMOVED_TEXT, REMOVED_TEXT)
        assert concern.acknowledged_at is not None


def test_unsubmitted_audits_and_open_never_audited_cases_are_kept(app, demo):
    with app.app_context():
        team = db.session.scalar(select(Team))
        long_closed = Case(reference="SYN-OLD-CLOSED", team=team, closed_on=date(2020, 1, 1))
        still_open = Case(reference="SYN-OLD-OPEN", team=team, opened_on=date(2020, 1, 1))
        db.session.add_all([long_closed, still_open])
        draft = db.session.scalar(select(Audit).where(Audit.status == "draft"))
        draft.created_at = utcnow() - timedelta(days=900)
        draft_text = draft.overall_rationale
        db.session.commit()
        run_purge(db.session, SHORT)
        db.session.expire_all()
        assert long_closed.reference == tombstone(long_closed.id)
        assert still_open.reference == "SYN-OLD-OPEN"
        assert db.session.get(Audit, draft.id).overall_rationale == draft_text


def test_held_forms_and_access_log_rows_go_after_their_own_periods(app, demo):
    with app.app_context():
        audit = db.session.scalar(select(Audit).where(Audit.status == "draft"))
        user = db.session.scalar(select(User))
        now = utcnow()
        db.session.add_all(
            [
                HeldForm(
                    token="old",
                    audit_id=audit.id,
                    user_id=user.id,
                    page="overall",
                    form_data={},
                    created_at=now - timedelta(days=31),
                ),
                HeldForm(
                    token="new",
                    audit_id=audit.id,
                    user_id=user.id,
                    page="overall",
                    form_data={},
                    created_at=now - timedelta(days=1),
                ),
                AccessRecord(
                    user_id=user.id,
                    audit_id=audit.id,
                    case_id=audit.case_id,
                    page="x",
                    at=now - timedelta(days=800),
                ),
                AccessRecord(
                    user_id=user.id,
                    audit_id=audit.id,
                    case_id=audit.case_id,
                    page="x",
                    at=now - timedelta(days=10),
                ),
            ]
        )
        db.session.commit()
        run = run_purge(db.session, replace(SHORT, held_form_days=30, access_log_months=24))
        assert list(db.session.scalars(select(HeldForm.token))) == ["new"]
        assert db.session.scalar(select(func.count(AccessRecord.id))) == 1
        assert run.counts["access_records_deleted"] == 1


def test_the_command_dry_run_changes_nothing_then_the_run_purges(app, demo, runner):
    app.config["RETENTION_CASE_DETAIL_MONTHS"] = 3
    with app.app_context():
        old = len(_old_audit_ids())
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"audits whose written text would be deleted: {old}" in result.output
    assert "Dry run: nothing was changed." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(RetentionRun.id))) == 0
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert f"audits purged: {old}" in result.output
    assert f"audits: {old} of {old}" in result.output


def test_a_setting_that_is_not_a_whole_number_is_refused(app, runner):
    app.config["RETENTION_CASE_DETAIL_MONTHS"] = "three"
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 1
    assert "RETENTION_CASE_DETAIL_MONTHS must be a whole number of 1 or more" in result.output


def test_moderation_reasons_and_responses_go_and_moderated_grades_stay(app, demo):
    from qa_app.models import ModerationGrade, ModerationResponse, ModerationSelection

    with app.app_context():
        moderated = set(db.session.scalars(select(ModerationSelection.audit_id)))
        audit = db.session.get(Audit, next(i for i in _old_audit_ids() if i not in moderated))
        audit.moderated_overall_judgement, audit.moderated_score = "good", 3.0
        selection = ModerationSelection(
            audit_id=audit.id, reason="sample", due_date=date(2026, 1, 1), completed_at=utcnow()
        )
        db.session.add(selection)
        db.session.flush()
        db.session.add_all(
            [
                ModerationGrade(
                    selection_id=selection.id,
                    criterion_key="overall",
                    agrees=False,
                    value="good",
                    reason="Synthetic moderation reason",
                ),
                ModerationResponse(
                    audit_id=audit.id,
                    author_id=audit.auditor_id,
                    agrees=False,
                    comment="Synthetic response",
                ),
            ]
        )
        db.session.commit()
        run = run_purge(db.session, SHORT)
        assert run.counts["moderation_texts_deleted"] >= 2
        grade = db.session.scalar(
            select(ModerationGrade).where(ModerationGrade.selection_id == selection.id)
        )
        assert (grade.value, grade.reason) == ("good", None)
        assert (
            db.session.scalar(
                select(ModerationResponse.comment).where(ModerationResponse.audit_id == audit.id)
            )
            is None
        )
        assert db.session.get(Audit, audit.id).moderated_score == 3.0
