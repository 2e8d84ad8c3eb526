"""The auditor's pages: the dashboard, starting an audit and reading one."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from qa_app.audits import operations, queries
from qa_app.audits.forms import StartAuditForm
from qa_app.audits.presentation import audit_page_context
from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import MANAGING_ROLES, Role, Team, TemplateVersion

bp = Blueprint("audits", __name__, url_prefix="/audits", template_folder="templates")

ANY_ROLE = (Role.AUDITOR, *MANAGING_ROLES)


@bp.route("/")
@role_required(*ANY_ROLE)
def my_audits():
    audits = queries.my_audit_rows(db.session, current_user)
    groups = queries.dashboard_groups(audits, date.today())
    return render_template("audits/my_audits.html", groups=groups, has_audits=bool(audits))


@bp.route("/new", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def start():
    form = StartAuditForm()
    versions = queries.latest_template_versions(db.session)
    teams = queries.all_teams(db.session)
    form.template_version_id.choices = _choices(versions, lambda v: v.title, "Select a template")
    form.team_id.choices = _choices(teams, lambda t: t.name, "Select a team")
    if form.validate_on_submit():
        version = _chosen(TemplateVersion, form.template_version_id, "Select an audit template")
        team = _chosen(Team, form.team_id, "Select the team holding the case")
        if version is not None and team is not None:
            case = operations.find_or_create_case(db.session, form.case_reference.data, team)
            if case.team_id is not None and case.team_id != team.id:
                form.team_id.errors.append(
                    f"Case {case.reference} is held by {case.team.name}. Select that team"
                )
            else:
                audit = operations.start_audit(db.session, version, case, current_user)
                db.session.commit()
                return redirect(url_for("audits.edit", audit_id=audit.id))
        db.session.rollback()
    return render_template("audits/start.html", form=form)


@bp.route("/<int:audit_id>/view")
@role_required(*ANY_ROLE)
def view(audit_id: int):
    audit = queries.get_visible_audit(db.session, current_user, audit_id)
    if audit is None:
        abort(404)
    definition = audit.template_version.definition
    responses, _ = operations.stored_responses(audit, definition)
    return render_template(
        "audits/view.html", **audit_page_context(audit, definition, None, responses, [])
    )


def _choices(items, label, prompt) -> list[SelectChoice]:
    return [SelectChoice("", prompt)] + [SelectChoice(str(i.id), label(i)) for i in items]


def _chosen(model, field, message):
    item = db.session.get(model, int_or_zero(field.data)) if int_or_zero(field.data) else None
    if item is None:
        field.errors.append(message)
    return item


def int_or_zero(text: str | None) -> int:
    """Return the whole number in the text, or 0."""
    try:
        return int(text or 0)
    except ValueError:
        return 0


# Registered on bp: the form pages, and the answer to saves that arrive signed out.
from qa_app.audits import routes_form, session_end  # noqa: E402,F401
