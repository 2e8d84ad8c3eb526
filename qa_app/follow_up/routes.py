"""The follow-up pages: actions set from audits, and safeguarding concerns.

The views live in ``action_views`` and ``concern_views``; importing them here registers them on
the blueprint the app factory registers.
"""

from __future__ import annotations

from flask import Blueprint, has_request_context
from flask_login import current_user

from qa_app.extensions import db
from qa_app.follow_up.access import is_manager_or_admin
from qa_app.follow_up.presentation import template_helpers
from qa_app.follow_up.queries import concerns_of_audit, count_open_concerns

bp = Blueprint("follow_up", __name__, template_folder="templates")


@bp.app_context_processor
def inject_open_concern_count() -> dict[str, int]:
    """Give every page ``open_concern_count``: how many safeguarding concerns routed to the
    signed-in manager or admin still need a response (0 for everyone else, without a query)."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"open_concern_count": 0}
    if not is_manager_or_admin(current_user):
        return {"open_concern_count": 0}
    return {"open_concern_count": count_open_concerns(db.session, current_user)}


@bp.app_template_global("audit_concerns")
def audit_concerns(audit) -> list:
    """Return the audit's safeguarding concerns the signed-in user may read, for the audit's own
    pages (which belong to the audits area and know nothing of concerns)."""
    return concerns_of_audit(db.session, current_user, audit.id)


@bp.context_processor
def inject_helpers() -> dict[str, object]:
    return template_helpers()


from qa_app.follow_up import action_views, concern_views  # noqa: E402, F401
