"""The home page, the health check and the navigation shown to each role."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from qa_app.extensions import db
from qa_app.models import Role

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


@bp.route("/")
@login_required
def home():
    if current_user.has_role(Role.MANAGER, Role.ADMIN):
        return redirect(url_for("manage.audit_list"))
    return redirect(url_for("audits.my_audits"))


@bp.route("/health")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def navigation_items() -> list[NavItem]:
    """Return the navigation links the signed-in user's role may follow."""
    items = [NavItem(url_for("audits.my_audits"), "My audits")]
    if current_user.has_role(Role.MANAGER, Role.ADMIN):
        items.append(NavItem(url_for("manage.audit_list"), "All audits"))
    return items


@bp.app_context_processor
def inject_navigation() -> dict[str, object]:
    return {"navigation_items": navigation_items}




@bp.app_template_filter("datetime")
def format_datetime(value) -> str:
    """Return a timestamp as people read it, e.g. 3 March 2026, 14:05."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y, %H:%M}"
