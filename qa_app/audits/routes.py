from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.audits import operations, queries
from qa_app.audits.forms import (
    StartAuditForm,
    attach_problems,
    build_audit_form_class,
    form_data_from_responses,
    responses_from_form,
)
from qa_app.audits.presentation import audit_page_context
from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import Audit, Role, Team, TemplateVersion

bp = Blueprint("audits", __name__, url_prefix="/audits", template_folder="templates")

ANY_ROLE = (Role.AUDITOR, Role.MANAGER, Role.ADMIN)


@bp.route("/")
@role_required(*ANY_ROLE)
def my_audits():
    audits = queries.list_audits(db.session, current_user, own_only=True)
    return render_template("audits/my_audits.html", audits=audits)


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


@bp.route("/<int:audit_id>", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def edit(audit_id: int):
    audit = _own_audit(audit_id)
    if not audit.status_enum.is_editable_by_auditor:
        return redirect(url_for("audits.view", audit_id=audit.id))
    definition = audit.template_version.definition
    form_class = build_audit_form_class(definition)
    if request.method == "GET":
        responses, override = operations.stored_responses(audit, definition)
        form = form_class(data=form_data_from_responses(definition, responses, override))
        form.lock_version.data = str(audit.lock_version)
        return render_template(
            "audits/edit.html", **audit_page_context(audit, definition, form, responses, [])
        )

    form = form_class()
    submit = bool(form.action_submit.data)
    responses, override, date_problems = responses_from_form(definition, form)
    if not form.validate():  # only the CSRF token can fail here: the fields have no validators
        abort(400)
    expected = _int(form.lock_version.data)
    try:
        result = operations.save_audit(
            db.session, audit, current_user, responses, override,
            expected_version=expected, submit=submit and not date_problems,
        )
    except operations.AuditConflict:
        db.session.rollback()
        return _render_conflict(audit, definition, form, responses)
    problems = date_problems + result.problems
    if not result.saved or date_problems:
        db.session.rollback()
        summary = attach_problems(definition, form, problems)
        return render_template(
            "audits/edit.html", **audit_page_context(audit, definition, form, responses, summary)
        ), 400 if summary else 200
    db.session.commit()
    if submit:
        flash(f"Audit of case {audit.case.reference} submitted.", "success")
        return redirect(url_for("audits.my_audits"))
    flash("Draft saved.", "success")
    return redirect(url_for("audits.edit", audit_id=audit.id))


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


def _render_conflict(audit: Audit, definition, form, responses):
    db.session.refresh(audit)
    form.lock_version.data = str(audit.lock_version)
    context = audit_page_context(audit, definition, form, responses, [])
    context["conflict"] = True
    return render_template("audits/edit.html", **context), 409


def _own_audit(audit_id: int) -> Audit:
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        abort(404)
    if audit.auditor_id != current_user.id:
        abort(403)
    return audit


def _choices(items, label, prompt):
    from wtforms import SelectChoice

    return [SelectChoice("", prompt)] + [SelectChoice(str(i.id), label(i)) for i in items]


def _chosen(model, field, message):
    item = db.session.get(model, _int(field.data)) if _int(field.data) else None
    if item is None:
        field.errors.append(message)
    return item


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
