"""What the follow-up views share: finding the audit a page is about, and today's date."""

from __future__ import annotations

from datetime import date

from flask import abort, url_for
from flask_login import current_user

from qa_app.audits.queries import get_visible_audit
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.follow_up.access import can_see_audit, is_manager_or_admin
from qa_app.follow_up.working_days import date_in_england
from qa_app.models import MANAGING_ROLES, Audit, Role

ANY_ROLE = (Role.AUDITOR, *MANAGING_ROLES)
MANAGERS = MANAGING_ROLES


def audit_or_abort(audit_id: int) -> Audit:
    """Return the audit when the signed-in user may see it.

    Aborts with 404 when it does not exist or a manager cannot see it (as the manager pages do),
    and with 403 when it is another auditor's (as the audit form does).
    """
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        abort(404)
    if not can_see_audit(db.session, current_user, audit):
        abort(404 if is_manager_or_admin(current_user) else 403)
    return audit


def audit_url(audit: Audit) -> str:
    """Return the page of the audit the signed-in user goes back to: the form while it is theirs
    to edit, the manager's view for managers, otherwise the read-only view."""
    if audit.auditor_id == current_user.id and audit.status_enum.is_editable_by_auditor:
        return url_for("audits.edit", audit_id=audit.id)
    if is_manager_or_admin(current_user) and get_visible_audit(db.session, current_user, audit.id):
        return url_for("manage.audit_detail", audit_id=audit.id)
    return url_for("audits.view", audit_id=audit.id)


def today() -> date:
    """Return today's date in England."""
    return date_in_england(utcnow())
