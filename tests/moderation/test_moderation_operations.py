"""The moderation workflow through its operations: draw, take, grade, complete, close, respond."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from qa_app.audits import operations as audit_operations
from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, ModerationSelection, Role, User
from qa_app.moderation import closing, drawing, grading
from qa_app.moderation.items import GradedItem, graded_items
from qa_app.moderation.problems import ModerationProblem
from tests.conftest import UserRecord
from tests.moderation.conftest import audit_status


@dataclass(frozen=True)
class Submitted:
    """An audit submitted by an auditor of Team A, whose manager may moderate it."""

    auditor: UserRecord
    manager: UserRecord
    audit_id: int


@dataclass(frozen=True)
class Taken:
    """The submitted audit picked by hand and taken by the manager, read in an open app context."""

    audit: Audit
    moderator: User
    selection: ModerationSelection

    def items(self) -> list[GradedItem]:
        return graded_items(self.audit, self.audit.template_version.definition)

    def decide_all(
        self, change: dict[str, str] | None = None
    ) -> tuple[list[GradedItem], dict[str, grading.Decision]]:
        """Return the items and a decision on each: agree, or the grade given in ``change``."""
        change = change or {}
        items = self.items()
        decisions = {
            item.key: grading.Decision(False, change[item.key], "Evidence missing")
            if item.key in change
            else grading.Decision(True)
            for item in items
        }
        return items, decisions

    def save(self, decisions: dict[str, grading.Decision]) -> list[grading.GradeProblem]:
        return grading.save_grades(
            db.session,
            self.selection,
            self.moderator,
            decisions,
            expected_version=self.selection.lock_version,
        )

    def complete(self) -> list[grading.GradeProblem]:
        return grading.complete(
            db.session, self.selection, self.moderator, expected_version=self.selection.lock_version
        )


def _other_grade(item: GradedItem) -> str:
    values = [o.value for o in item.scale.options]
    index = values.index(item.auditor_value)
    return values[index + 1] if index + 1 < len(values) else values[index - 1]


@pytest.fixture
def submitted(make_user, submit_audit) -> Submitted:
    auditor = make_user(Role.AUDITOR)
    manager = make_user(Role.MANAGER)
    return Submitted(auditor, manager, submit_audit(auditor.id))


@pytest.fixture
def taken(app: Flask, submitted: Submitted) -> Iterator[Taken]:
    """The submitted audit in moderation, its manager moderating; the test runs in the context."""
    with app.app_context():
        audit = db.session.get(Audit, submitted.audit_id)
        moderator = db.session.get(User, submitted.manager.id)
        selection = drawing.select_by_hand(db.session, audit, moderator)
        grading.take(db.session, selection, moderator)
        yield Taken(audit, moderator, selection)


def test_a_completed_moderation_keeps_both_grades_and_the_final_is_the_moderators(submitted, taken):
    items = taken.items()
    first, overall = items[0], items[-1]
    changes = {first.key: _other_grade(first), overall.key: _other_grade(overall)}
    _, decisions = taken.decide_all(changes)
    assert taken.save(decisions) == []
    assert taken.complete() == []
    db.session.commit()
    audit = db.session.get(Audit, submitted.audit_id)
    answer = next(a for a in audit.answers if a.criterion_key == first.key)
    assert answer.value == first.auditor_value
    assert answer.moderated_value == changes[first.key]
    assert answer.final_value == changes[first.key]
    assert audit.overall_judgement == overall.auditor_value
    assert audit.moderated_overall_judgement == changes["overall"]
    agreed = next(a for a in audit.answers if a.criterion_key == items[1].key)
    assert agreed.moderated_value == agreed.value  # agreed grades are copied
    assert audit.status == "moderated"
    assert audit.moderator_id == submitted.manager.id and audit.moderated_score is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit_moderated"))
    assert {c["criterion"] for c in event.details["changes"]} == set(changes)
    assert "Evidence missing" not in str(event.details)  # reasons stay out of the log


def test_a_change_without_a_reason_cannot_be_completed(taken):
    items, decisions = taken.decide_all()
    decisions[items[0].key] = grading.Decision(False, _other_grade(items[0]), "  ")
    problems = taken.save(decisions)
    assert [p.key for p in problems] == [items[0].key]
    assert "Enter your reason" in problems[0].message
    assert taken.complete()
    assert taken.audit.status == "in_moderation"
    assert all(a.moderated_value is None for a in taken.audit.answers)


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


def test_a_manager_of_another_team_cannot_moderate(app, make_user, submitted):
    other = make_user(Role.MANAGER, team="Team B")
    with app.app_context():
        audit = db.session.get(Audit, submitted.audit_id)
        selection = drawing.select_by_hand(db.session, audit, db.session.get(User, other.id))
        with pytest.raises(ModerationProblem):
            grading.take(db.session, selection, db.session.get(User, other.id))


def test_returning_an_audit_in_moderation_ends_the_moderation(app, submitted, taken):
    _, decisions = taken.decide_all()
    taken.save(decisions)
    audit_operations.return_audit(db.session, taken.audit, taken.moderator, "Please add the dates")
    db.session.commit()
    selection = db.session.scalar(select(ModerationSelection))
    assert selection.moderator_id is None and selection.grades == []
    assert audit_status(app, submitted.audit_id) == "returned"


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
        blind = Taken(audit, lead, selection)
        mine = "inadequate" if audit.overall_judgement != "inadequate" else "good"
        grading.commit_blind_overall(db.session, selection, lead, mine)
        with pytest.raises(ModerationProblem):
            grading.commit_blind_overall(db.session, selection, lead, "good")
        _, decisions = blind.decide_all()  # tries to agree with the auditor's overall
        problems = blind.save(decisions)
        assert [p.key for p in problems] == ["overall"]  # a changed grade needs its reason
        decisions["overall"] = grading.Decision(True, None, "Risk was not seen")
        blind.save(decisions)
        assert blind.complete() == []
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


def test_only_the_auditor_responds_once_and_a_disagreement_needs_a_comment(app, submitted, taken):
    _, decisions = taken.decide_all()
    taken.save(decisions)
    taken.complete()
    audit, moderator = taken.audit, taken.moderator
    writer = db.session.get(User, submitted.auditor.id)
    with pytest.raises(ModerationProblem):
        closing.respond(db.session, audit, moderator, True, "")
    with pytest.raises(ModerationProblem, match="why you disagree"):
        closing.respond(db.session, audit, writer, False, " ")
    closing.respond(db.session, audit, writer, False, "The plan was timed")
    with pytest.raises(ModerationProblem, match="already"):
        closing.respond(db.session, audit, writer, True, "")
    closing.close(db.session, audit, moderator)
    db.session.commit()
    assert audit_status(app, submitted.audit_id) == "closed"


def test_the_demo_helper_moderates_through_the_same_operations(app, submitted):
    from qa_app.moderation.demo import record_demo_moderation, step_grade

    with app.app_context():
        audit = db.session.get(Audit, submitted.audit_id)
        items = graded_items(audit, audit.template_version.definition)
        overall = items[-1]
        worse = step_grade(overall, 1)
        record_demo_moderation(
            db.session,
            audit,
            db.session.get(User, submitted.manager.id),
            {"overall": worse},
            response=True,
            close=True,
        )
        db.session.commit()
        assert audit.status == "closed"
        assert audit.moderated_overall_judgement == worse


def test_reports_count_the_final_grade_once_moderated(taken):
    from qa_app.reports import queries as report_queries

    audit, moderator = taken.audit, taken.moderator
    before = audit.overall_judgement
    _, decisions = taken.decide_all({"overall": _other_grade(taken.items()[-1])})
    taken.save(decisions)
    taken.complete()
    db.session.commit()
    counts = {c.judgement: c.audits for c in report_queries.judgement_counts(db.session, moderator)}
    assert counts == {audit.moderated_overall_judgement: 1}
    assert before not in counts
    rows = list(report_queries.audit_rows(db.session, moderator))
    assert rows[0].overall_judgement == audit.moderated_overall_judgement
    assert rows[0].score == audit.moderated_score
