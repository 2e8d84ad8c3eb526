"""After moderation: signing an audit off, the auditor's response, and what returning an audit
to its auditor does to its moderation.

Closing calls ``audit_changed``: it changes reported figures.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.audit_changes import audit_changed, on_audit_changed
from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.models import Audit, AuditStatus, ModerationResponse, ModerationSelection, User
from qa_app.moderation.access import wrote_audit
from qa_app.moderation.problems import ModerationProblem


def close(session: Session, audit: Audit, actor: User) -> None:
    """Sign a moderated audit off: its moderator, a QA lead or an admin may."""
    from qa_app.models import Role

    if audit.status != AuditStatus.MODERATED.value:
        raise ModerationProblem("Only a moderated audit can be closed")
    if wrote_audit(session, actor, audit):
        raise ModerationProblem("You cannot close an audit you wrote")
    if audit.moderator_id != actor.id and not actor.has_role(Role.QA_LEAD, Role.ADMIN):
        raise ModerationProblem("Only the moderator or a QA lead can close this audit")
    audit.status = AuditStatus.CLOSED.value
    audit.closed_at = utcnow()
    audit.updated_at = audit.closed_at
    session.flush()
    record_event(session, "audit_closed", actor, audit)
    audit_changed(session, audit.id, "closed")


def respond(
    session: Session, audit: Audit, auditor: User, agrees: bool, comment: str
) -> ModerationResponse:
    """Keep the auditor's response to the moderation of their audit (one per audit)."""
    if audit.auditor_id != auditor.id:
        raise ModerationProblem("Only the audit's auditor can respond to its moderation")
    if audit.status not in (AuditStatus.MODERATED.value, AuditStatus.CLOSED.value):
        raise ModerationProblem("The audit has not been moderated yet")
    if session.scalar(select(ModerationResponse.id).where(ModerationResponse.audit_id == audit.id)):
        raise ModerationProblem("You have already responded to this moderation")
    comment = comment.strip()
    if not agrees and not comment:
        raise ModerationProblem("Enter why you disagree with the moderation")
    response = ModerationResponse(
        audit_id=audit.id, author_id=auditor.id, agrees=agrees, comment=comment or None
    )
    session.add(response)
    session.flush()
    record_event(session, "moderation_responded", auditor, audit, agrees=agrees)
    return response


def _end_moderation_on_return(session: Session, audit_id: int, change: str) -> None:
    """Returning an audit ends its moderation: the draft is discarded and it waits again."""
    if change != "returned":
        return
    selection = session.scalar(
        select(ModerationSelection).where(ModerationSelection.audit_id == audit_id)
    )
    if selection is None:
        return
    selection.grades.clear()
    selection.moderator_id = None
    selection.taken_at = None
    selection.blind_overall = None
    selection.blind_committed_at = None
    session.flush()


def register() -> None:
    """Listen for audit changes (called once per app)."""
    on_audit_changed("moderation", _end_moderation_on_return)
