"""Retention settings (read only) and the data protection page, for administrators."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select

from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.governance.blueprint import bp
from qa_app.governance.markdown_page import render_markdown
from qa_app.governance.retention import plan_purge
from qa_app.governance.retention_policy import RetentionSettings, nightly_time
from qa_app.models import RetentionRun, Role

DATA_PROTECTION_DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"


@bp.route("/admin/retention")
@role_required(Role.ADMIN)
def retention():
    try:
        settings = RetentionSettings.from_config(current_app.config)
        nightly_at = nightly_time(current_app.config)
        problem = None
    except ValueError as error:
        settings, nightly_at, problem = None, None, str(error)
    plan = plan_purge(db.session, settings, utcnow()) if settings else None
    runs = db.session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(10))
    return render_template(
        "governance/retention.html",
        settings=settings,
        nightly_at=nightly_at,
        problem=problem,
        plan=plan,
        runs=list(runs),
    )


@bp.route("/admin/data-protection")
@role_required(Role.ADMIN, Role.QA_LEAD)
def data_protection():
    title, html = render_markdown(DATA_PROTECTION_DOC.read_text(encoding="utf-8"))
    return render_template("governance/document.html", title=title, body=Markup(html))
