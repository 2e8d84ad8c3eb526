"""Changes to audits: starting, saving and submitting. Each writes to the event log.

Views call these functions and commit; nothing here knows about requests or forms. A draft save
keeps everything typed, even answers that still need correcting (they are reported, not refused);
submitting checks the whole audit against the template's rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.audit_changes import audit_changed
from qa_app.audits.change_log import Revisions, answer_change, text_change
from qa_app.audits.responses import (
    JUDGEMENT_SUFFIX,
    OVERALL,
    Response,
    Responses,
    decode_value,
    encode_value,
)
from qa_app.audits.rules import Problem, check_responses
from qa_app.audits.scoring import AuditScore, score_audit
from qa_app.audits.text_history import keep_revisions, latest_text, text_fingerprint
from qa_app.audits.text_limits import TEXT_MAX, too_long_message, too_long_problems
from qa_app.base_model import utcnow
from qa_app.models import Answer, Audit, AuditEvent, AuditStatus, Case, Team, TemplateVersion, User
from qa_app.template_format.definition import TemplateDefinition


class AuditConflict(Exception):
    """Someone saved the audit after this copy of it was opened."""


class AuditNotEditable(Exception):
    """The audit is not in a state its auditor may change."""


class TextTooLong(Exception):
    """Something posted is longer than its limit; nothing was saved. ``problems`` says what."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class AuditNotReturnable(Exception):
    """The audit cannot be returned for changes by this person now; the message says why."""


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    problems: list[Problem]


@dataclass(frozen=True)
class PracticeDetails:
    """Whether the audit was done with the allocated worker, and the family's feedback."""

    with_practitioner: bool | None
    practitioner_reflection: str
    family_feedback_sought: bool | None
    family_feedback: str


# The revision field holding why an audit was last returned for changes.
RETURN_REASON = "return_reason"

# The practice page's written boxes and how their limit messages name them.
PRACTICE_TEXT = {
    "practitioner_reflection": "The worker's reflection",
    "family_feedback": "The family's feedback",
}


def record_event(
    session: Session, action: str, actor: User | None, audit: Audit | None = None, **details: object
) -> AuditEvent:
    """Append an event to the log and return it."""
    event = AuditEvent(action=action, actor=actor, details=details)
    if audit is not None:
        event.audit_id = audit.id
    session.add(event)
    return event


def may_audit(user: User, case_team_id: int | None) -> bool:
    """Return True unless the case is held by the user's own team (nobody audits their own
    team's cases; users without a team may audit any)."""
    return user.team_id is None or user.team_id != case_team_id


def find_case(session: Session, reference: str) -> Case | None:
    """Return the case with this reference (as stored, in capitals), or None."""
    return session.scalar(select(Case).where(Case.reference == reference.strip().upper()))


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
        session,
        "audit_started",
        auditor,
        audit,
        template=template_version.key,
        version=template_version.version,
        case_id=case.id,  # the id, not the reference: the log outlives the reference's retention
    )
    return audit


def stored_responses(audit: Audit, definition: TemplateDefinition) -> tuple[Responses, str]:
    """Return the audit's saved responses and override reason."""
    rows = ((a.criterion_key, a.value, a.rationale) for a in audit.answers)
    return _responses(audit, definition, rows)


# Built once: a statement built per call spent as long again working out its cache key.
_STORED_ANSWERS = (
    select(Answer.criterion_key, Answer.value, Answer.rationale)
    .where(Answer.audit_id == bindparam("audit_id"))
    .order_by(Answer.id)
)


def read_stored_responses(
    session: Session, audit: Audit, definition: TemplateDefinition
) -> tuple[Responses, str]:
    """Return what ``stored_responses`` returns, reading three columns of the answers instead of
    loading each Answer (for pages that only show them)."""
    # On the session's connection, in its transaction: plain rows need none of the ORM's work.
    rows = session.connection().execute(_STORED_ANSWERS, {"audit_id": audit.id})
    return _responses(audit, definition, rows)


def _responses(
    audit: Audit, definition: TemplateDefinition, rows: Iterable[tuple[str, str | None, str | None]]
) -> tuple[Responses, str]:
    tag_keys = {c.key for c in definition.criteria() if c.type == "tags"}
    responses: Responses = {}
    for key, value, rationale in rows:
        response = decode_value(value, key in tag_keys)
        response.rationale = rationale or ""
        responses[key] = response
    responses[OVERALL] = Response(audit.overall_judgement, audit.overall_rationale or "")
    return responses, audit.override_reason or ""


def save_audit(
    session: Session,
    audit: Audit,
    actor: User,
    updates: Responses,
    *,
    expected_version: int,
    override_reason: str | None = None,
) -> SaveResult:
    """Save the updated responses (the others stay as they were) as a draft.

    Everything typed is kept; the problems returned are answers that need correcting before the
    audit can be submitted. Raises AuditConflict when someone saved the audit since
    ``expected_version`` was read, AuditNotEditable when it is not the auditor's to change, and
    TextTooLong (before changing anything) when a box holds more than its limit.
    """
    definition = audit.template_version.definition
    too_long = too_long_problems(definition, updates, override_reason)
    if too_long:
        raise TextTooLong(too_long)
    _check_editable(audit, expected_version)
    responses, stored_override = stored_responses(audit, definition)
    responses.update(updates)
    override = stored_override if override_reason is None else override_reason
    score = score_audit(definition, responses)
    changes, revisions = _apply_responses(audit, definition, responses, score)
    new_override = override.strip() or None
    if new_override != audit.override_reason:
        changes.append(
            {
                "criterion": "override_reason",
                "text": text_change(audit.override_reason, new_override, text_fingerprint),
            }
        )
        revisions.append(("override_reason", new_override))
        audit.override_reason = new_override
    audit.score = score.overall
    if audit.status_enum == AuditStatus.ASSIGNED:
        audit.status = AuditStatus.DRAFT.value
    _flush(session, audit)
    if changes:
        keep_revisions(session, audit, actor, revisions)
        record_event(session, "audit_saved", actor, audit, changes=changes)
    problems = check_responses(definition, responses, override, submitting=False)
    return SaveResult(saved=True, problems=[p for p in problems if p.target in updates])


def save_practice_details(
    session: Session, audit: Audit, actor: User, details: PracticeDetails, *, expected_version: int
) -> None:
    """Save who took part in the audit and the family's feedback (TextTooLong, before changing
    anything, when a box holds more than its limit)."""
    too_long = [
        Problem(name, "answer", too_long_message(label))
        for name, label in PRACTICE_TEXT.items()
        if len(getattr(details, name) or "") > TEXT_MAX
    ]
    if too_long:
        raise TextTooLong(too_long)
    _check_editable(audit, expected_version)
    changes = []
    revisions: Revisions = []
    for name in (
        "with_practitioner",
        "practitioner_reflection",
        "family_feedback_sought",
        "family_feedback",
    ):
        new = getattr(details, name)
        new = (new.strip() or None) if isinstance(new, str) else new
        old = getattr(audit, name)
        if old != new:
            if name in PRACTICE_TEXT:  # written text: only that it changed goes in the log
                changes.append({"field": name, "text": text_change(old, new, text_fingerprint)})
                revisions.append((name, new))
            else:
                changes.append({"field": name, "old": old, "new": new})
            setattr(audit, name, new)
    if changes:
        if audit.status_enum == AuditStatus.ASSIGNED:
            audit.status = AuditStatus.DRAFT.value
        _flush(session, audit)
        keep_revisions(session, audit, actor, revisions)
        record_event(session, "audit_saved", actor, audit, changes=changes)


def submit_audit(
    session: Session, audit: Audit, actor: User, *, expected_version: int
) -> SaveResult:
    """Submit the audit when the template's rules allow; return the problems otherwise."""
    _check_editable(audit, expected_version)
    definition = audit.template_version.definition
    responses, override = stored_responses(audit, definition)
    problems = check_responses(definition, responses, override, submitting=True)
    if problems:
        return SaveResult(saved=False, problems=problems)
    returned = audit.status_enum == AuditStatus.RETURNED
    audit.status = (AuditStatus.RESUBMITTED if returned else AuditStatus.SUBMITTED).value
    audit.submitted_at = utcnow()
    audit.score = score_audit(definition, responses).overall
    _flush(session, audit)
    record_event(session, "audit_submitted", actor, audit, status=audit.status, score=audit.score)
    audit_changed(session, audit.id, "submitted")
    return SaveResult(saved=True, problems=[])


def return_audit(session: Session, audit: Audit, actor: User, reason: str) -> None:
    """Send a submitted audit back to its auditor for changes, recording why.

    An audit in moderation can be returned too: that ends the moderation (the moderation area
    listens for the "returned" change).
    """
    if not (audit.status_enum.is_submitted or audit.status_enum == AuditStatus.IN_MODERATION):
        raise AuditNotReturnable("Only a submitted audit can be returned for changes")
    if audit.auditor_id == actor.id:
        raise AuditNotReturnable("You cannot return your own audit: another manager must do it")
    audit.status = AuditStatus.RETURNED.value
    _flush(session, audit)
    reason = reason.strip()
    keep_revisions(session, audit, actor, [(RETURN_REASON, reason)])
    record_event(
        session, "audit_returned", actor, audit, reason=text_change(None, reason, text_fingerprint)
    )
    audit_changed(session, audit.id, "returned")


def latest_return_reason(session: Session, audit: Audit) -> str | None:
    """Return why the audit was last returned for changes, or None."""
    return latest_text(session, audit, RETURN_REASON)


def _check_editable(audit: Audit, expected_version: int) -> None:
    if not audit.status_enum.is_editable_by_auditor:
        raise AuditNotEditable(audit.status)
    if audit.lock_version != expected_version:
        raise AuditConflict()


def _flush(session: Session, audit: Audit) -> None:
    audit.updated_at = utcnow()  # always bumps lock_version, so every save is seen by others
    try:
        session.flush()
    except StaleDataError as error:
        raise AuditConflict() from error


def _apply_responses(
    audit: Audit, definition: TemplateDefinition, responses: Responses, score: AuditScore
) -> tuple[list[dict], Revisions]:
    """Write the responses onto the audit's answers; return what changed, field by field (for
    the log: grades, and only the lengths of written text) and the written text to keep."""
    changes: list[dict] = []
    revisions: Revisions = []
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
            change, kept = answer_change(
                definition, key, (answer.value, answer.rationale), (value, rationale),
                text_fingerprint,
            )  # fmt: skip
            changes.append(change)
            revisions += kept
        answer.value, answer.rationale = value, rationale
        answer.score = score.answers.get(key)
    overall = responses.get(OVERALL, Response())
    value, rationale = (overall.value or None), overall.rationale.strip() or None
    if (audit.overall_judgement, audit.overall_rationale) != (value, rationale):
        change, kept = answer_change(
            definition, OVERALL, (audit.overall_judgement, audit.overall_rationale),
            (value, rationale), text_fingerprint,
        )  # fmt: skip
        changes.append(change)
        revisions += kept
    audit.overall_judgement, audit.overall_rationale = value, rationale
    return changes, revisions


def _section_key(definition: TemplateDefinition, key: str) -> str:
    if key.endswith(JUDGEMENT_SUFFIX):
        return key.removesuffix(JUDGEMENT_SUFFIX)
    section = definition.section_of(key)
    return section.key if section else ""
