"""Who may set actions, raise safeguarding concerns and respond to them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa_app.audits.queries import get_visible_audit
from qa_app.models import MANAGING_ROLES, Audit, SafeguardingConcern, User


def is_manager_or_admin(user: User) -> bool:
    """Return True when the user holds the manager, QA lead or admin role."""
    return user.has_role(*MANAGING_ROLES)


def can_see_audit(session: Session, user: User, audit: Audit) -> bool:
    """Return True when the user is the audit's auditor or may see it as a manager or admin."""
    if audit.auditor_id == user.id:
        return True
    return is_manager_or_admin(user) and get_visible_audit(session, user, audit.id) is not None


def can_change_actions(session: Session, user: User, audit: Audit) -> bool:
    """Return True when the user may add and change the audit's actions.

    The auditor may while the audit is still theirs to edit; managers and admins who can see the
    audit may at any time (actions are followed up long after an audit is submitted).
    """
    if audit.auditor_id == user.id and audit.status_enum.is_editable_by_auditor:
        return True
    return is_manager_or_admin(user) and get_visible_audit(session, user, audit.id) is not None


def can_raise_concern(session: Session, user: User, audit: Audit) -> bool:
    """Return True when the user may raise a safeguarding concern from the audit.

    Its auditor may at any moment, whatever the audit's status: a child at risk cannot wait for
    a draft to be finished.
    """
    return can_see_audit(session, user, audit)


def can_respond_to_concern(user: User, concern: SafeguardingConcern) -> bool:
    """Return True when the user is one of the managers the concern is routed to.

    Those are the managers of the case's team, managers without a team (heads of service) and
    admins.
    """
    if not user.has_role(*MANAGING_ROLES):
        return False
    return user.sees_all_teams or user.team_id == concern.team_id
