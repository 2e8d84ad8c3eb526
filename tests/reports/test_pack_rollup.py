"""The pack's answer figures read from the insight rollup equal the figures of the answers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update

from qa_app.extensions import db
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import Answer, Audit, InsightAnswerFact, InsightAuditFact, Role, Team, User
from qa_app.reports import pack_queries, pack_rollup
from qa_app.reports.pack_assembly import CriterionLabels
from qa_app.reports.pack_filters import PackFilters


def _admin() -> User:
    return User(display_name="Synthetic admin", role=Role.ADMIN.value, email="", password_hash="")


def _graded(rows, labels: CriterionLabels) -> dict:
    """The rows the pack's sheets read: criteria with a scale, and section judgements."""
    return {
        row[:6]: row[6:] for row in rows if labels(row[0], row[1]).scale_key is not None and row[6]
    }


def _both(user: User, filters: PackFilters):
    labels = CriterionLabels(pack_queries.template_versions(db.session, user, filters))
    answers = _graded(pack_queries.answer_figures(db.session, user, filters), labels)
    rollup = _graded(pack_rollup.answer_figures(db.session, user, filters), labels)
    return answers, rollup


def _assert_same(answers: dict, rollup: dict) -> None:
    assert answers.keys() == rollup.keys()
    for key, (count, scored, score_sum) in answers.items():
        assert rollup[key][:2] == (count, scored), key
        assert rollup[key][2] == (None if score_sum is None else pytest.approx(score_sum)), key


def _filters(**values) -> PackFilters:
    return PackFilters(with_data=False, **values)


def test_the_rollup_gives_the_answers_figures_for_the_whole_programme(app, demo_data):
    with app.app_context():
        rebuild_rollup(db.session)
        db.session.commit()
        assert db.session.scalar(select(InsightAnswerFact.id).limit(1)) is not None
        answers, rollup = _both(_admin(), _filters())
        assert answers
        assert pack_rollup._fact_figures(db.session, _admin(), _filters())  # read from facts
        _assert_same(answers, rollup)


def test_the_rollup_gives_the_answers_figures_for_a_period_by_day_and_some_teams(app, demo_data):
    with app.app_context():
        rebuild_rollup(db.session)
        db.session.commit()
        teams = tuple(db.session.scalars(select(Team.id).order_by(Team.id)))[:2]
        filters = _filters(
            period_start=date(2026, 3, 17), period_end=date(2026, 9, 9), team_ids=teams
        )
        answers, rollup = _both(_admin(), filters)
        assert answers
        _assert_same(answers, rollup)


def test_audits_not_yet_in_the_rollup_are_counted_from_their_answers(app, demo_data):
    with app.app_context():
        rebuild_rollup(db.session)
        some = list(db.session.scalars(select(InsightAuditFact.audit_id).limit(5)))
        db.session.execute(delete(InsightAnswerFact).where(InsightAnswerFact.audit_id.in_(some)))
        db.session.execute(delete(InsightAuditFact).where(InsightAuditFact.audit_id.in_(some)))
        db.session.commit()
        answers, rollup = _both(_admin(), _filters())
        assert answers
        _assert_same(answers, rollup)


def test_without_a_rollup_every_figure_comes_from_the_answers(app, demo_data):
    with app.app_context():
        db.session.execute(delete(InsightAnswerFact))
        db.session.execute(delete(InsightAuditFact))
        db.session.commit()
        answers, rollup = _both(_admin(), _filters())
        assert answers
        _assert_same(answers, rollup)


def test_a_criterion_with_two_trend_keys_in_one_version_keeps_both(app, demo_data):
    with app.app_context():
        rebuild_rollup(db.session)
        fact = db.session.scalars(
            select(InsightAnswerFact)
            .join(Audit, Audit.id == InsightAnswerFact.audit_id)
            .where(
                Audit.moderated_overall_judgement.is_(None),
                InsightAnswerFact.is_judgement == 0,
                InsightAnswerFact.final_value.is_not(None),
            )
            .order_by(InsightAnswerFact.id)
        ).first()
        db.session.execute(
            update(Answer)
            .where(Answer.audit_id == fact.audit_id, Answer.criterion_key == fact.criterion_key)
            .values(lineage_key="synthetic_other_line")
        )
        fact.lineage_key = "synthetic_other_line"
        db.session.commit()
        answers, rollup = _both(_admin(), _filters())
        assert any(key[2] == "synthetic_other_line" for key in answers)
        _assert_same(answers, rollup)
