"""The outcome of a moderation, for the auditor and managers: both grades and the reasons, and
the auditor's response."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from qa_app.audits.queries import get_visible_audit
from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import MANAGING_ROLES, AuditStatus, Role, SelectionReason
from qa_app.moderation import closing, drawing, queries
from qa_app.moderation.access import may_moderate, wrote_audit
from qa_app.moderation.forms import EmptyForm, ResponseForm
from qa_app.moderation.items import graded_items
from qa_app.moderation.presentation import outcome_rows
from qa_app.moderation.problems import ModerationProblem
from qa_app.moderation.routes import bp

DONE = (AuditStatus.MODERATED.value, AuditStatus.CLOSED.value)


def _audit_or_abort(audit_id: int):
    audit = get_visible_audit(db.session, current_user, audit_id)
    if audit is None:
        abort(404)
    return audit


@bp.route("/audits/<int:audit_id>/outcome", methods=["GET", "POST"])
@role_required(Role.AUDITOR, *MANAGING_ROLES)
def outcome(audit_id: int):
    audit = _audit_or_abort(audit_id)
    selection = queries.visible_selection(db.session, current_user, audit_id)
    if selection is None:
        selection = drawing.selection_of(db.session, audit)
    if selection is None or audit.status not in DONE:
        abort(404)
    response = queries.response_of(db.session, audit_id)
    is_auditor = audit.auditor_id == current_user.id
    form = ResponseForm() if is_auditor and response is None else None
    if form is not None and form.validate_on_submit():
        try:
            closing.respond(
                db.session, audit, current_user, form.agrees.data == "yes", form.comment.data or ""
            )
        except ModerationProblem as problem:
            db.session.rollback()
            form.comment.errors = [*form.comment.errors, str(problem)]
        else:
            db.session.commit()
            flash("Your response has been kept with the audit.", "success")
            return redirect(url_for("moderation.outcome", audit_id=audit_id))
    definition = audit.template_version.definition
    items = graded_items(audit, definition)
    rows = outcome_rows(audit, items, {g.criterion_key: g for g in selection.grades})
    can_close = (
        audit.status == AuditStatus.MODERATED.value
        and not wrote_audit(db.session, current_user, audit)
        and (
            audit.moderator_id == current_user.id or current_user.has_role(Role.QA_LEAD, Role.ADMIN)
        )
        and may_moderate(db.session, current_user, audit)
    )
    return render_template(
        "moderation/outcome.html",
        audit=audit,
        selection=selection,
        reason_label=SelectionReason.LABELS.get(selection.reason, selection.reason),
        rows=rows,
        changed=sum(1 for r in rows if r.changed),
        response=response,
        form=form,
        close_form=EmptyForm() if can_close else None,
        back_url=url_for("manage.audit_detail", audit_id=audit.id)
        if current_user.has_role(*MANAGING_ROLES) and not is_auditor
        else url_for("audits.view", audit_id=audit.id),
    )
