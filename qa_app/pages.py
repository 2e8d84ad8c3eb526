"""The home page, the health check and the navigation shown to each role."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from qa_app.display import format_date, format_moment
from qa_app.extensions import db
from qa_app.models import MANAGING_ROLES, Role
from qa_app.pagination import page_numbers

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


@bp.route("/")
@login_required
def home():
    if current_user.has_role(Role.LEADER):
        return redirect(url_for("insight.dashboard"))
    if current_user.has_role(*MANAGING_ROLES):
        return redirect(url_for("manage.audit_list"))
    return redirect(url_for("audits.my_audits"))


@bp.route("/health")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


# Each area's entry page, the roles that see it, in menu order.
NAVIGATION: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    ("audits.my_audits", "My audits", (Role.AUDITOR, *MANAGING_ROLES)),
    ("manage.audit_list", "All audits", MANAGING_ROLES),
    ("moderation.queue", "Moderation", MANAGING_ROLES),
    ("follow_up.concern_list", "Safeguarding concerns", MANAGING_ROLES),
    ("follow_up.action_list", "Actions", MANAGING_ROLES),
    ("rounds.round_list", "Audit rounds", (Role.ADMIN,)),
    ("cases.import_cases", "Case lists", (Role.ADMIN,)),
    ("template_admin.template_list", "Templates", MANAGING_ROLES),
    ("governance.access_log", "Access log", (Role.ADMIN, Role.QA_LEAD)),
    ("insight.dashboard", "Dashboard", (*MANAGING_ROLES, Role.LEADER)),
)


def navigation_items() -> list[NavItem]:
    """Return the navigation links the signed-in user's role may follow."""
    return [
        NavItem(url_for(endpoint), text)
        for endpoint, text, roles in NAVIGATION
        if current_user.has_role(*roles) and endpoint in current_app.view_functions
    ]


@bp.app_context_processor
def inject_navigation() -> dict[str, object]:
    return {"navigation_items": navigation_items}


@bp.app_template_filter("datetime")
def format_datetime(value) -> str:
    """Return a timestamp as read on a clock in England, e.g. 3 March 2026 at 2:05pm."""
    return format_moment(value, weekday=False)


@bp.app_template_filter("date")
def date_filter(value) -> str:
    """Return a date as people read it, e.g. 3 March 2026."""
    return format_date(value)


STATUS_TAG_CLASSES = {
    "assigned": "govuk-tag--grey",
    "draft": "govuk-tag--blue",
    "returned": "govuk-tag--orange",
    "submitted": "govuk-tag--green",
    "resubmitted": "govuk-tag--green",
    "in_moderation": "govuk-tag--purple",
    "moderated": "govuk-tag--turquoise",
    "closed": "govuk-tag--grey",
}


@bp.app_template_global("status_tag_class")
def status_tag_class(audit) -> str:
    """Return the GOV.UK tag colour for an audit's status."""
    return STATUS_TAG_CLASSES.get(audit.status, "govuk-tag--grey")


@bp.app_template_global("has_endpoint")
def has_endpoint(endpoint: str) -> bool:
    """Return True when the app has a view for the endpoint (areas can be switched off)."""
    return endpoint in current_app.view_functions


@bp.app_template_global("yes_no")
def yes_no(value: bool | None) -> str:
    """Return Yes, No or Not recorded."""
    return "Not recorded" if value is None else ("Yes" if value else "No")


bp.add_app_template_global(page_numbers, "page_numbers")
