"""Changes to audits: starting, saving and submitting. Each writes to the event log.

Views call these functions and commit; nothing here knows about requests or forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.audits.responses import (
    OVERALL,
    JUDGEMENT_SUFFIX,
    Response,
    Responses,
    decode_value,
    encode_value,
)
from qa_app.audits.rules import Problem, check_responses
from qa_app.audits.scoring import AuditScore, score_audit
from qa_app.models import Answer, Audit, AuditEvent, AuditStatus, Case, Team, TemplateVersion, User
from qa_app.base_model import utcnow
from qa_app.template_format.definition import TemplateDefinition


class AuditConflict(Exception):
    """Someone saved the audit after this copy of it was opened."""


class AuditNotEditable(Exception):
    """The audit is not in a state its auditor may change."""


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    problems: list[Problem]


def record_event(
    session: Session, action: str, actor: User | None, audit: Audit | None = None, **details: object
) -> AuditEvent:
    """Append an event to the log and return it."""
    event = AuditEvent(action=action, actor=actor, details=details)
    if audit is not None:
        event.audit_id = audit.id
    session.add(event)
    return event


def find_or_create_case(session: Session, reference: str, team: Team) -> Case:
    """Return the case with this reference, creating it in the team when it is new."""
    reference = reference.strip().upper()
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        case = Case(reference=reference, team=team)
        session.add(case)
    return case


def start_audit(
    session: Session, template_version: TemplateVersion, case: Case, auditor: User
) -> Audit:
    """Return a new draft audit of the case against the template version."""
    audit = Audit(template_version=template_version, case=case, auditor=auditor)
    session.add(audit)
    session.flush()
    record_event(
        session, "audit_started", auditor, audit,
        template=template_version.key, version=template_version.version, case=case.reference,
    )
    return audit


def stored_responses(audit: Audit, definition: TemplateDefinition) -> tuple[Responses, str]:
    """Return the audit's saved responses and override reason."""
    responses: Responses = {}
    for answer in audit.answers:
        criterion = definition.criterion(answer.criterion_key)
        response = decode_value(answer.value, criterion is not None and criterion.type == "tags")
        response.rationale = answer.rationale or ""
        responses[answer.criterion_key] = response
    responses[OVERALL] = Response(audit.overall_judgement, audit.overall_rationale or "")
    return responses, audit.override_reason or ""


def save_audit(
    session: Session,
    audit: Audit,
    actor: User,
    responses: Responses,
    override_reason: str,
    *,
    expected_version: int,
    submit: bool,
) -> SaveResult:
    """Save the responses (and submit the audit when asked and the template's rules allow).

    Returns the problems found; nothing is changed when there are any. Raises AuditConflict when
    the audit was saved by someone else since ``expected_version`` was read.
    """
    if not audit.status_enum.is_editable_by_auditor:
        raise AuditNotEditable(audit.status)
    if audit.lock_version != expected_version:
        raise AuditConflict()
    definition = audit.template_version.definition
    problems = check_responses(definition, responses, override_reason, submitting=submit)
    if problems:
        return SaveResult(saved=False, problems=problems)

    score = score_audit(definition, responses)
    changes = _apply_responses(audit, definition, responses, score)
    override = override_reason.strip() or None
    if override != audit.override_reason:
        changes.append({"criterion": "override_reason", "old": audit.override_reason, "new": override})
        audit.override_reason = override
    audit.score = score.overall
    if submit:
        returned = audit.status_enum == AuditStatus.RETURNED
        audit.status = (AuditStatus.RESUBMITTED if returned else AuditStatus.SUBMITTED).value
        audit.submitted_at = utcnow()
    audit.updated_at = utcnow()  # bumps lock_version even when only the status changed
    try:
        session.flush()
    except StaleDataError as error:
        raise AuditConflict() from error
    record_event(session, "audit_submitted" if submit else "audit_saved", actor, audit, changes=changes)
    return SaveResult(saved=True, problems=[])


def _apply_responses(
    audit: Audit, definition: TemplateDefinition, responses: Responses, score: AuditScore
) -> list[dict]:
    """Write the responses onto the audit's answers; return what changed, field by field."""
    changes: list[dict] = []
    existing = {answer.criterion_key: answer for answer in audit.answers}
    for key, response in responses.items():
        if key == OVERALL:
            continue
        value, rationale = encode_value(response), response.rationale.strip() or None
        answer = existing.get(key)
        if answer is None:
            if value is None and rationale is None:
                continue
            answer = Answer(
                criterion_key=key,
                lineage_key=definition.lineage_key(key),
                section_key=_section_key(definition, key),
            )
            audit.answers.append(answer)
        if (answer.value, answer.rationale) != (value, rationale):
            changes.append({"criterion": key, "old": answer.value, "new": value,
                            "rationale_changed": answer.rationale != rationale})
        answer.value, answer.rationale = value, rationale
        answer.score = score.answers.get(key)
    overall = responses.get(OVERALL, Response())
    value, rationale = (overall.value or None), overall.rationale.strip() or None
    if (audit.overall_judgement, audit.overall_rationale) != (value, rationale):
        changes.append({"criterion": OVERALL, "old": audit.overall_judgement, "new": value,
                        "rationale_changed": audit.overall_rationale != rationale})
    audit.overall_judgement, audit.overall_rationale = value, rationale
    return changes


def _section_key(definition: TemplateDefinition, key: str) -> str:
    if key.endswith(JUDGEMENT_SUFFIX):
        return key.removesuffix(JUDGEMENT_SUFFIX)
    section = definition.section_of(key)
    return section.key if section else ""
