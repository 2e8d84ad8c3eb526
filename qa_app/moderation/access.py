"""Who may moderate an audit: a manager of its case's team, a QA lead or an admin, and never
someone who wrote any of it (its auditor, now or before it was returned)."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from qa_app.audits.queries import get_visible_audit
from qa_app.models import MANAGING_ROLES, Audit, AuditEvent, Role, User

# Events that mean the person wrote part of the audit.
AUTHORING_EVENTS = ("audit_started", "audit_saved", "audit_submitted")


def wrote_audit(session: Session, user: User, audit: Audit) -> bool:
    """Return True when the user is, or ever was, an author of the audit."""
    if audit.auditor_id == user.id:
        return True
    return bool(
        session.scalar(
            select(
                exists().where(
                    AuditEvent.audit_id == audit.id,
                    AuditEvent.actor_id == user.id,
                    AuditEvent.action.in_(AUTHORING_EVENTS),
                )
            )
        )
    )


def may_moderate(session: Session, user: User, audit: Audit) -> bool:
    """Return True when the user may take, moderate or close the audit."""
    if not user.has_role(*MANAGING_ROLES):
        return False
    if get_visible_audit(session, user, audit.id) is None:
        return False
    return not wrote_audit(session, user, audit)


def may_run_moderation(user: User) -> bool:
    """Return True for those who set moderation rules and draw: QA leads and admins."""
    return user.has_role(Role.QA_LEAD, Role.ADMIN)
