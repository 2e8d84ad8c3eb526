"""Moderation pages: the queue, taking and picking audits, and giving one to a moderator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.audits.queries import get_visible_audit
from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.follow_up.view_helpers import today
from qa_app.models import MANAGING_ROLES, SelectionReason, User
from qa_app.moderation import drawing, grading, queries
from qa_app.moderation.access import may_run_moderation
from qa_app.moderation.forms import AssignForm, EmptyForm
from qa_app.moderation.problems import ModerationProblem

bp = Blueprint("moderation", __name__, url_prefix="/moderation", template_folder="templates")

PAGE_SIZE = 50


@bp.route("/queue")
@role_required(*MANAGING_ROLES)
def queue():
    page = max(request.args.get("page", 1, type=int), 1)
    total = queries.count_queue(db.session, current_user)
    rows = queries.moderation_queue(
        db.session, current_user, today(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render_template(
        "moderation/queue.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        reasons=SelectionReason.LABELS,
        form=EmptyForm(),
        runs_moderation=may_run_moderation(current_user),
    )


def selection_or_abort(audit_id: int):
    """Return the audit's moderation selection when the signed-in user may see it (else 404)."""
    selection = queries.visible_selection(db.session, current_user, audit_id)
    if selection is None:
        abort(404)
    return selection


@bp.route("/audits/<int:audit_id>/take", methods=["POST"])
@role_required(*MANAGING_ROLES)
def take(audit_id: int):
    selection = selection_or_abort(audit_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        grading.take(db.session, selection, current_user)
    except ModerationProblem as problem:
        db.session.rollback()
        flash(str(problem), "info")
        return redirect(url_for("moderation.queue"))
    db.session.commit()
    return redirect(url_for("moderation.moderate", audit_id=audit_id))


@bp.route("/audits/<int:audit_id>/pick", methods=["POST"])
@role_required(*MANAGING_ROLES)
def pick(audit_id: int):
    audit = get_visible_audit(db.session, current_user, audit_id)
    if audit is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        drawing.select_by_hand(db.session, audit, current_user)
    except ModerationProblem as problem:
        db.session.rollback()
        flash(str(problem), "info")
    else:
        db.session.commit()
        flash(f"Audit of case {audit.case.reference} added to the moderation queue.", "success")
    return redirect(url_for("manage.audit_detail", audit_id=audit_id))


@bp.route("/audits/<int:audit_id>/assign", methods=["GET", "POST"])
@role_required(*MANAGING_ROLES)
def assign(audit_id: int):
    if not may_run_moderation(current_user):
        abort(403)
    selection = selection_or_abort(audit_id)
    audit = selection.audit
    moderators = queries.eligible_moderators(db.session, audit)
    form = AssignForm()
    form.moderator_id.choices = [("", "Choose a moderator")] + [
        (str(user.id), f"{user.display_name} ({user.role})") for user in moderators
    ]
    if form.validate_on_submit():
        chosen = next((u for u in moderators if str(u.id) == form.moderator_id.data), None)
        if chosen is None:
            form.moderator_id.errors.append("Select a moderator who may moderate this audit")
        else:
            try:
                grading.take(
                    db.session, selection, db.session.get(User, chosen.id), by=current_user
                )
            except ModerationProblem as problem:
                db.session.rollback()
                form.moderator_id.errors.append(str(problem))
            else:
                db.session.commit()
                flash(
                    f"Audit of case {audit.case.reference} given to {chosen.display_name}.",
                    "success",
                )
                return redirect(url_for("moderation.queue"))
    return render_template("moderation/assign.html", audit=audit, form=form)


from qa_app.moderation import (  # noqa: E402,F401  (register their pages on bp)
    routes_agreement,
    routes_moderate,
    routes_outcome,
    routes_rules,
)


@bp.app_template_global("audit_history_for")
def audit_history_for(audit) -> dict[str, object]:
    """Return the audit's history for its page, and the changes of the one chosen in the URL."""
    from qa_app.moderation.history import audit_history, field_changes

    chosen = request.args.get("change", type=int)
    return {
        "entries": audit_history(db.session, audit),
        "chosen": chosen,
        "changes": field_changes(db.session, audit, chosen, audit.template_version.definition)
        if chosen
        else [],
    }


@bp.app_template_global("moderation_links_for")
def moderation_links_for(audit) -> dict[str, object]:
    """Return what the audit's page offers about moderation to the signed-in user."""
    from qa_app.moderation.access import may_moderate

    selection = drawing.selection_of(db.session, audit)
    managing = current_user.has_role(*MANAGING_ROLES)
    return {
        "selection": selection,
        "can_pick": managing
        and selection is None
        and audit.status_enum.is_submitted
        and may_moderate(db.session, current_user, audit),
        "outcome": audit.status in ("moderated", "closed") and selection is not None,
        "moderating": selection is not None
        and selection.moderator_id == current_user.id
        and audit.status == "in_moderation",
        "form": EmptyForm(),
    }
