"""The moderation workflow through its operations: draw, take, grade, complete, close, respond."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.audits import operations as audit_operations
from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, ModerationSelection, Role, User
from qa_app.moderation import closing, drawing, grading
from qa_app.moderation.items import graded_items
from qa_app.moderation.problems import ModerationProblem
from tests.moderation.conftest import audit_status


def _decide_all(selection, change: dict[str, str] | None = None):
    change = change or {}
    items = graded_items(selection.audit, selection.audit.template_version.definition)
    decisions = {}
    for item in items:
        if item.key in change:
            decisions[item.key] = grading.Decision(False, change[item.key], "Evidence missing")
        else:
            decisions[item.key] = grading.Decision(True)
    return items, decisions


def _other_grade(item) -> str:
    values = [o.value for o in item.scale.options]
    index = values.index(item.auditor_value)
    return values[index + 1] if index + 1 < len(values) else values[index - 1]


def test_a_completed_moderation_keeps_both_grades_and_the_final_is_the_moderators(
    app, make_user, submit_audit
):
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        moderator = db.session.get(User, manager.id)
        selection = drawing.select_by_hand(db.session, audit, moderator)
        grading.take(db.session, selection, moderator)
        items = graded_items(audit, audit.template_version.definition)
        first, overall = items[0], items[-1]
        changes = {first.key: _other_grade(first), overall.key: _other_grade(overall)}
        _, decisions = _decide_all(selection, changes)
        problems = grading.save_grades(
            db.session, selection, moderator, decisions, expected_version=selection.lock_version
        )
        assert problems == []
        assert (
            grading.complete(
                db.session, selection, moderator, expected_version=selection.lock_version
            )
            == []
        )
        db.session.commit()
        audit = db.session.get(Audit, audit_id)
        answer = next(a for a in audit.answers if a.criterion_key == first.key)
        assert answer.value == first.auditor_value
        assert answer.moderated_value == changes[first.key]
        assert answer.final_value == changes[first.key]
        assert audit.overall_judgement == overall.auditor_value
        assert audit.moderated_overall_judgement == changes["overall"]
        agreed = next(a for a in audit.answers if a.criterion_key == items[1].key)
        assert agreed.moderated_value == agreed.value  # agreed grades are copied
        assert audit.status == "moderated"
        assert audit.moderator_id == manager.id and audit.moderated_score is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit_moderated"))
        assert {c["criterion"] for c in event.details["changes"]} == set(changes)
        assert "Evidence missing" not in str(event.details)  # reasons stay out of the log


def test_a_change_without_a_reason_cannot_be_completed(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        moderator = db.session.get(User, manager.id)
        selection = drawing.select_by_hand(db.session, audit, moderator)
        grading.take(db.session, selection, moderator)
        items, decisions = _decide_all(selection)
        decisions[items[0].key] = grading.Decision(False, _other_grade(items[0]), "  ")
        problems = grading.save_grades(
            db.session, selection, moderator, decisions, expected_version=selection.lock_version
        )
        assert [p.key for p in problems] == [items[0].key]
        assert "Enter your reason" in problems[0].message
        assert grading.complete(
            db.session, selection, moderator, expected_version=selection.lock_version
        )
        assert audit.status == "in_moderation"
        assert all(a.moderated_value is None for a in audit.answers)


def test_nobody_moderates_their_own_audit_even_after_it_passed_to_someone_else(
    app, make_user, submit_audit
):
    writer = make_user(Role.MANAGER)
    next_auditor = make_user(Role.AUDITOR)
    audit_id = submit_audit(writer.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        selection = drawing.select_by_hand(db.session, audit, db.session.get(User, writer.id))
        with pytest.raises(ModerationProblem, match="you wrote"):
            grading.take(db.session, selection, db.session.get(User, writer.id))
        # the audit passes to another auditor: its first writer still may not moderate it
        audit.auditor_id = next_auditor.id
        db.session.flush()
        with pytest.raises(ModerationProblem, match="you wrote"):
            grading.take(db.session, selection, db.session.get(User, writer.id))


def test_a_manager_of_another_team_cannot_moderate(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    other = make_user(Role.MANAGER, team="Team B")
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        selection = drawing.select_by_hand(db.session, audit, db.session.get(User, other.id))
        with pytest.raises(ModerationProblem):
            grading.take(db.session, selection, db.session.get(User, other.id))


def test_returning_an_audit_in_moderation_ends_the_moderation(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        moderator = db.session.get(User, manager.id)
        selection = drawing.select_by_hand(db.session, audit, moderator)
        grading.take(db.session, selection, moderator)
        _, decisions = _decide_all(selection)
        grading.save_grades(
            db.session, selection, moderator, decisions, expected_version=selection.lock_version
        )
        audit_operations.return_audit(db.session, audit, moderator, "Please add the dates")
        db.session.commit()
        selection = db.session.scalar(select(ModerationSelection))
        assert selection.moderator_id is None and selection.grades == []
        assert audit_status(app, audit_id) == "returned"


def test_blind_mode_keeps_the_committed_overall_judgement(app, make_user, submit_audit):
    auditor = make_user(Role.AUDITOR)
    qa_lead = make_user(Role.QA_LEAD)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        lead = db.session.get(User, qa_lead.id)
        drawing.save_rule(
            db.session,
            None,
            lead,
            percent=100,
            minimum_per_auditor=1,
            always_judgements=[],
            blind=True,
            due_working_days=10,
        )
        drawing.draw(db.session, None, lead, seed=7)
        selection = db.session.scalar(select(ModerationSelection))
        assert selection.blind
        grading.take(db.session, selection, lead)
        audit = db.session.get(Audit, audit_id)
        mine = "inadequate" if audit.overall_judgement != "inadequate" else "good"
        grading.commit_blind_overall(db.session, selection, lead, mine)
        with pytest.raises(ModerationProblem):
            grading.commit_blind_overall(db.session, selection, lead, "good")
        _, decisions = _decide_all(selection)  # tries to agree with the auditor's overall
        problems = grading.save_grades(
            db.session, selection, lead, decisions, expected_version=selection.lock_version
        )
        assert [p.key for p in problems] == ["overall"]  # a changed grade needs its reason
        decisions["overall"] = grading.Decision(True, None, "Risk was not seen")
        grading.save_grades(
            db.session, selection, lead, decisions, expected_version=selection.lock_version
        )
        assert (
            grading.complete(db.session, selection, lead, expected_version=selection.lock_version)
            == []
        )
        assert audit.moderated_overall_judgement == mine


def test_the_draw_takes_the_percentage_of_each_auditor_and_every_always_judgement(
    app, make_user, submit_audit
):
    first = make_user(Role.AUDITOR)
    second = make_user(Role.AUDITOR)
    lead = make_user(Role.QA_LEAD)
    for n in range(10):
        submit_audit(first.id, f"SYN-1{n:05d}", seed=n)
    submit_audit(second.id, "SYN-200000", seed=3)
    with app.app_context():
        judgements = {
            a.id: a.overall_judgement
            for a in db.session.scalars(select(Audit).where(Audit.auditor_id == first.id))
        }
        always = {i for i, j in judgements.items() if j in ("inadequate", "outstanding")}
        record = drawing.draw(db.session, None, db.session.get(User, lead.id), seed=42)
        chosen = list(db.session.scalars(select(ModerationSelection)))
        firsts = [s for s in chosen if s.audit_id in judgements]
        assert always <= {s.audit_id for s in firsts}
        assert len(firsts) == max(2, len(always))  # 20% of 10, plus any always moderated
        assert len(chosen) - len(firsts) == 1  # at least one per auditor
        assert record.seed == 42 and record.selected == len(chosen)
        again = drawing.draw(db.session, None, db.session.get(User, lead.id), seed=42)
        assert again.selected == 0  # nothing new to draw: the share is already met


def test_only_the_auditor_responds_once_and_a_disagreement_needs_a_comment(
    app, make_user, submit_audit
):
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        moderator = db.session.get(User, manager.id)
        selection = drawing.select_by_hand(db.session, audit, moderator)
        grading.take(db.session, selection, moderator)
        _, decisions = _decide_all(selection)
        grading.save_grades(
            db.session, selection, moderator, decisions, expected_version=selection.lock_version
        )
        grading.complete(db.session, selection, moderator, expected_version=selection.lock_version)
        writer = db.session.get(User, auditor.id)
        with pytest.raises(ModerationProblem):
            closing.respond(db.session, audit, moderator, True, "")
        with pytest.raises(ModerationProblem, match="why you disagree"):
            closing.respond(db.session, audit, writer, False, " ")
        closing.respond(db.session, audit, writer, False, "The plan was timed")
        with pytest.raises(ModerationProblem, match="already"):
            closing.respond(db.session, audit, writer, True, "")
        closing.close(db.session, audit, moderator)
        db.session.commit()
        assert audit_status(app, audit_id) == "closed"


def test_the_demo_helper_moderates_through_the_same_operations(app, make_user, submit_audit):
    from qa_app.moderation.demo import record_demo_moderation, step_grade

    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        items = graded_items(audit, audit.template_version.definition)
        overall = items[-1]
        worse = step_grade(overall, 1)
        record_demo_moderation(
            db.session,
            audit,
            db.session.get(User, manager.id),
            {"overall": worse},
            response=True,
            close=True,
        )
        db.session.commit()
        assert audit.status == "closed"
        assert audit.moderated_overall_judgement == worse


def test_reports_count_the_final_grade_once_moderated(app, make_user, submit_audit):
    from qa_app.reports import queries as report_queries

    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    audit_id = submit_audit(auditor.id)
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        moderator = db.session.get(User, manager.id)
        before = audit.overall_judgement
        selection = drawing.select_by_hand(db.session, audit, moderator)
        grading.take(db.session, selection, moderator)
        items, decisions = _decide_all(
            selection,
            {"overall": _other_grade(graded_items(audit, audit.template_version.definition)[-1])},
        )
        grading.save_grades(
            db.session, selection, moderator, decisions, expected_version=selection.lock_version
        )
        grading.complete(db.session, selection, moderator, expected_version=selection.lock_version)
        db.session.commit()
        counts = {
            c.judgement: c.audits for c in report_queries.judgement_counts(db.session, moderator)
        }
        assert counts == {audit.moderated_overall_judgement: 1}
        assert before not in counts
        rows = list(report_queries.audit_rows(db.session, moderator))
        assert rows[0].overall_judgement == audit.moderated_overall_judgement
        assert rows[0].score == audit.moderated_score
