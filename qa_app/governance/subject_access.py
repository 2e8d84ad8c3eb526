"""Every record held about a case reference, for a subject access request. No Flask here."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.models import (
    AccessRecord,
    Action,
    Answer,
    Audit,
    AuditEvent,
    Case,
    HeldForm,
    ModerationResponse,
    ModerationSelection,
    SafeguardingConcern,
)


def case_records(session: Session, reference: str) -> Iterator[str] | None:
    """Return lines describing every record held about the case (None when no case has it)."""
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        return None
    return _lines(session, case)


def _lines(session: Session, case: Case) -> Iterator[str]:
    yield (
        f"case {case.id}: reference {case.reference}, team {case.team.name}, "
        f"type {case.case_type or '-'}, allocated worker {case.allocated_worker or '-'}, "
        f"opened {case.opened_on or '-'}, closed {case.closed_on or '-'}, "
        f"age band {case.age_band or '-'}"
    )
    audits = list(session.scalars(select(Audit).where(Audit.case_id == case.id).order_by(Audit.id)))
    ids = [a.id for a in audits]
    for audit in audits:
        texts = [
            name
            for name, value in (
                ("overall rationale", audit.overall_rationale),
                ("override reason", audit.override_reason),
                ("practitioner reflection", audit.practitioner_reflection),
                ("family feedback", audit.family_feedback),
            )
            if value
        ]
        yield (
            f"audit {audit.id}: status {audit.status}, auditor {audit.auditor.email}, "
            f"started {audit.created_at:%Y-%m-%d}, submitted "
            f"{audit.submitted_at.strftime('%Y-%m-%d') if audit.submitted_at else '-'}, "
            f"written text: {', '.join(texts) or 'none'}"
        )

    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    yield f"answers: {count(Answer, Answer.audit_id.in_(ids))}, with written rationale: " + str(
        count(Answer, Answer.audit_id.in_(ids), Answer.rationale.is_not(None))
    )
    yield f"actions: {count(Action, Action.audit_id.in_(ids))}"
    concerns = count(SafeguardingConcern, SafeguardingConcern.case_id == case.id)
    yield f"safeguarding concerns: {concerns}"
    yield (
        f"moderations: {count(ModerationSelection, ModerationSelection.audit_id.in_(ids))}, "
        f"responses: {count(ModerationResponse, ModerationResponse.audit_id.in_(ids))}"
    )
    yield f"held forms: {count(HeldForm, HeldForm.audit_id.in_(ids))}"
    yield f"access log rows: {count(AccessRecord, AccessRecord.case_id == case.id)}"
    yield f"event log entries: {count(AuditEvent, AuditEvent.audit_id.in_(ids))}"
