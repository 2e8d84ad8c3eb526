"""Demo data with two completed moderations, for the pack's tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from qa_app.extensions import db
from qa_app.models import Answer, Audit


@pytest.fixture
def demo_data(app, seeded_demo):
    app.config["PACK_JOB_ANSWERS"] = 10**9  # made in the request here; tests/jobs covers jobs
    with app.app_context():
        _moderate_some_audits()
        db.session.commit()


def _moderate_some_audits() -> None:
    """Record completed moderations on two audits: one agreed, one re-graded down."""
    audits = db.session.scalars(
        select(Audit).where(Audit.status == "submitted").order_by(Audit.id)
    ).all()
    assert len(audits) >= 2
    first, second = audits[0], audits[1]
    db.session.execute(
        update(Audit)
        .where(Audit.id == first.id)
        .values(moderated_overall_judgement=first.overall_judgement, moderated_score=first.score)
    )
    db.session.execute(
        update(Audit)
        .where(Audit.id == second.id)
        .values(moderated_overall_judgement="inadequate", moderated_score=0.1)
    )
    answer = db.session.scalars(
        select(Answer).where(Answer.audit_id == second.id, Answer.score.is_not(None))
    ).first()
    db.session.execute(update(Answer).where(Answer.id == answer.id).values(moderated_score=0.0))
