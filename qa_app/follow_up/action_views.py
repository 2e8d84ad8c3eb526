"""Pages for actions: an audit's actions, changing one, and every action a manager may see."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.follow_up import access, operations, queries
from qa_app.follow_up.forms import ActionFilterForm, ActionForm, ActionStatusForm, error_summary
from qa_app.follow_up.routes import bp
from qa_app.follow_up.view_helpers import ANY_ROLE, MANAGERS, audit_or_abort, audit_url, today
from qa_app.models import Action, Audit

PAGE_SIZE = 50


@bp.route("/audits/<int:audit_id>/actions", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def audit_actions(audit_id: int):
    audit = audit_or_abort(audit_id)
    can_change = access.can_change_actions(db.session, current_user, audit)
    if request.method == "POST" and not can_change:
        abort(403)
    on_day = today()
    form = _action_form(on_day) if can_change else None
    status = 200
    if form is not None and request.method == "POST":
        if form.validate_on_submit():
            try:
                operations.add_action(db.session, audit, current_user, form.details(), today=on_day)
            except operations.FollowUpProblem as problem:
                db.session.rollback()
                form.form_errors.append(str(problem))
            else:
                db.session.commit()
                flash("Action added.", "success")
                return redirect(url_for("follow_up.audit_actions", audit_id=audit.id))
        status = 400
    return render_template(
        "follow_up/audit_actions.html",
        audit=audit,
        rows=queries.actions_of_audit(db.session, audit.id, on_day),
        form=form,
        errors=_summary(form),
        can_change=can_change,
        audit_url=audit_url(audit),
    ), status


@bp.route("/audits/<int:audit_id>/actions/<int:action_id>", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def edit_action(audit_id: int, action_id: int):
    audit = audit_or_abort(audit_id)
    if not access.can_change_actions(db.session, current_user, audit):
        abort(403)
    action = queries.get_action(db.session, audit.id, action_id)
    if action is None:
        abort(404)
    if request.method == "POST" and {"complete", "reopen"} & set(request.form):
        return _change_status(audit, action)

    on_day = today()
    conflict = False
    if request.method == "GET":
        form = _action_form(on_day, action)
    else:
        form = _action_form(on_day, action, from_request=True)
        if form.validate_on_submit():
            if form.seen_version.data != _version(action):
                conflict = True
                form.seen_version.data = _version(action)
            else:
                try:
                    changes = operations.change_action(
                        db.session, action, current_user, form.details(), today=on_day
                    )
                except operations.FollowUpProblem as problem:
                    db.session.rollback()
                    form.form_errors.append(str(problem))
                else:
                    db.session.commit()
                    flash("Action updated." if changes else "Nothing was changed.", "success")
                    return redirect(url_for("follow_up.audit_actions", audit_id=audit.id))
    status = 409 if conflict else 400 if form.errors else 200
    return render_template(
        "follow_up/edit_action.html",
        audit=audit,
        action=action,
        form=form,
        errors=_summary(form),
        conflict=conflict,
        audit_url=audit_url(audit),
    ), status


def _change_status(audit: Audit, action: Action):
    form = ActionStatusForm()
    if not form.validate_on_submit():  # only the CSRF token can fail
        abort(400)
    if form.complete.data:
        done = operations.complete_action(db.session, action, current_user)
        message = "Action marked as done." if done else "The action was already done."
    else:
        reopened = operations.reopen_action(db.session, action, current_user)
        message = "Action reopened." if reopened else "The action was already open."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("follow_up.audit_actions", audit_id=audit.id))


@bp.route("/actions")
@role_required(*MANAGERS)
def action_list():
    filters = ActionFilterForm(formdata=request.args)
    status, scope = filters.chosen_status(), filters.chosen_scope()
    on_day = today()
    counts = queries.count_actions(db.session, current_user, on_day, scope)
    total = {"open": counts.open, "done": counts.done}.get(status or "", counts.all)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    rows = queries.list_actions(
        db.session,
        current_user,
        on_day,
        status=status,
        scope=scope,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        total=total,
    )
    query = {"status": status or "all", "scope": scope or ""}
    return render_template(
        "follow_up/action_list.html",
        filters=filters,
        counts=counts,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        query=query,
        status=status,
    )


def _action_form(on_day: date, action: Action | None = None, *, from_request: bool = False):
    """Return the action form with its owner choices; filled from the action on a GET."""
    if action is None or from_request:
        form = ActionForm()
    else:
        form = ActionForm(
            formdata=None,
            data={
                "description": action.description,
                "owner_user_id": str(action.owner_user_id or ""),
                "owner_role": action.owner_role or "",
                "due_date": action.due_date,
                "priority": action.priority,
                "scope": action.scope,
                "seen_version": _version(action),
            },
        )
    form.today = on_day
    users = queries.active_users(db.session)
    if action is not None:
        form.saved_due_date = action.due_date
        owner = action.owner_user
        if owner is not None and owner not in users:
            users.append(owner)  # a person who has since left still shows as the owner
    form.set_owner_choices(users)
    return form


def _version(action: Action) -> str:
    return action.updated_at.isoformat() if action.updated_at else ""


def _summary(form: ActionForm | None) -> list[dict[str, str]]:
    if form is None:
        return []
    summary = error_summary(form)
    summary += [{"text": text, "href": "#description"} for text in form.form_errors]
    return summary
