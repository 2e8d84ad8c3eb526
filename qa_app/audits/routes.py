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
    # Nobody audits a case held by their own team, so that team is not offered.
    teams = [t for t in queries.all_teams(db.session) if t.id != current_user.team_id]
    form.template_version_id.choices = _choices(versions, lambda v: v.title, "Select a template")
    form.team_id.choices = _choices(teams, lambda t: t.name, "Select a team")
    if form.validate_on_submit():
        version = _chosen(TemplateVersion, form.template_version_id, "Select an audit template")
        team = _chosen(Team, form.team_id, "Select the team holding the case")
        if version is not None and team is not None:
            audit = _start_if_allowed(form, version, team)
            if audit is not None:
                db.session.commit()
                return redirect(url_for("audits.edit", audit_id=audit.id))
        db.session.rollback()
    return render_template("audits/start.html", form=form)


def _start_if_allowed(form: StartAuditForm, version: TemplateVersion, team: Team):
    """Start the audit when the signed-in user may audit the case; otherwise put the reason on
    the form and return None. The messages say only whether this person may audit the case,
    never which team holds a case."""
    reference = form.case_reference.data.strip().upper()
    case = operations.find_case(db.session, reference)
    if case is not None and not operations.may_audit(current_user, case.team_id):
        form.case_reference.errors.append(
            f"You cannot start an audit of case {reference}: choose another case"
        )
        return None
    if not operations.may_audit(current_user, team.id):
        form.team_id.errors.append(
            "You cannot audit a case held by your own team: select the team holding the case"
        )
        return None
    if case is not None and case.team_id != team.id:
        form.team_id.errors.append(
            f"Check the case reference and the team: case {reference} is not held by the team "
            "you selected"
        )
        return None
    case = case or operations.find_or_create_case(db.session, reference, team)
    return operations.start_audit(db.session, version, case, current_user)


@bp.route("/<int:audit_id>/view")
@role_required(*ANY_ROLE)
def view(audit_id: int):
    audit = queries.get_visible_audit(db.session, current_user, audit_id)
    if audit is None:
        abort(404)
    definition = audit.template_version.definition
    responses, _ = operations.stored_responses(audit, definition)
    context = audit_page_context(audit, definition, None, responses, [])
    if audit.auditor_id != current_user.id:  # a manager reading someone else's audit
        context |= {"back_url": url_for("manage.audit_list"), "back_text": "All audits"}
    return render_template("audits/view.html", **context)


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
