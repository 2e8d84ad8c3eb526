"""An audit's history, read from the append-only event log: each state change with who and
when, and for a chosen change its field-level differences (criterion, from, to).

Written text never appears: a change to a free-text answer, a rationale or a reflection is
shown as "changed", and reasons are shown only where the log holds them (the return reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qa_app.audits.responses import OVERALL, judgement_key
from qa_app.models import Audit, AuditEvent
from qa_app.template_format.definition import NOT_APPLICABLE, TemplateDefinition

LABELS = {
    "audit_started": "Started",
    "audits_assigned": "Assigned",
    "audit_saved": "Saved",
    "audit_submitted": "Submitted",
    "audit_returned": "Returned for changes",
    "moderation_selected": "Picked for moderation",
    "moderation_taken": "Taken for moderation",
    "moderation_blind_committed": "Moderator's blind overall judgement committed",
    "audit_moderated": "Moderated",
    "moderation_responded": "Auditor responded to the moderation",
    "audit_closed": "Closed",
    "concern_raised": "Safeguarding concern raised",
    "concern_acknowledged": "Safeguarding concern acknowledged",
    "action_added": "Action added",
    "action_changed": "Action changed",
    "action_completed": "Action completed",
    "action_reopened": "Action reopened",
}
TEXT_FIELDS = {"practitioner_reflection", "family_feedback", "override_reason"}
FIELD_NAMES = {
    "with_practitioner": "Done with the allocated worker",
    "practitioner_reflection": "The worker's reflection",
    "family_feedback_sought": "Family's feedback sought",
    "family_feedback": "The family's feedback",
    "override_reason": "Reason the overall judgement is better than a limiting answer",
}


@dataclass(frozen=True)
class HistoryEntry:
    event_id: int
    at: datetime
    who: str
    what: str
    note: str
    changes: int


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def audit_history(session: Session, audit: Audit) -> list[HistoryEntry]:
    """Return the audit's events, oldest first, as people read them."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.audit_id == audit.id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    entries = []
    for event in events:
        details = event.details or {}
        note = ""
        if event.action == "audit_returned" and details.get("reason"):
            note = str(details["reason"])
        elif event.action == "moderation_responded":
            note = "Agrees" if details.get("agrees") else "Disagrees"
        elif event.action == "audit_moderated":
            changed = len(details.get("changes", []))
            note = f"{details.get('agreed', 0)} grades agreed, {changed} changed"
        entries.append(
            HistoryEntry(
                event.id,
                event.at,
                event.actor.display_name if event.actor else "The system",
                LABELS.get(event.action, event.action.replace("_", " ").capitalize()),
                note,
                len(details.get("changes", []) or []),
            )
        )
    return entries


def field_changes(
    session: Session, audit: Audit, event_id: int, definition: TemplateDefinition
) -> list[FieldChange]:
    """Return what one event changed, field by field (text shown only as "changed")."""
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.id == event_id, AuditEvent.audit_id == audit.id)
    )
    if event is None:
        return []
    rows = []
    for change in (event.details or {}).get("changes", []) or []:
        key = change.get("criterion") or change.get("field") or ""
        name, old, new = _describe(definition, key, change.get("old"), change.get("new"))
        rows.append(FieldChange(name, old, new))
        if change.get("rationale_changed"):
            rows.append(FieldChange(f"{name}: reasons", "", "changed"))
    return rows


def _describe(definition: TemplateDefinition, key: str, old, new) -> tuple[str, str, str]:
    if key in FIELD_NAMES:
        if key in TEXT_FIELDS:
            return FIELD_NAMES[key], "", "changed"
        return FIELD_NAMES[key], _yes_no(old), _yes_no(new)
    if key == OVERALL:
        scale = definition.scale(definition.overall.scale)
        return definition.overall.question, _label(scale, old), _label(scale, new)
    for section in definition.sections:
        if section.judgement is not None and judgement_key(section.key) == key:
            scale = definition.scale(section.judgement.scale)
            return section.judgement.question, _label(scale, old), _label(scale, new)
    criterion = definition.criterion(key)
    if criterion is None:
        return key, "", "changed"
    if criterion.type == "scale" and criterion.scale:
        scale = definition.scale(criterion.scale)
        return criterion.question, _label(scale, old), _label(scale, new)
    if criterion.type == "text":
        return criterion.question, "", "changed"
    return criterion.question, str(old or "Not answered"), str(new or "Not answered")


def _label(scale, value) -> str:
    if not value:
        return "Not answered"
    if value == NOT_APPLICABLE:
        return "Not applicable"
    option = scale.option(value)
    return option.label if option else str(value)


def _yes_no(value) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")
