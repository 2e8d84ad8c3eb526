"""Moderating one audit: the task list, each section's grades, the blind overall judgement,
completing and closing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import MANAGING_ROLES, AuditStatus
from qa_app.moderation import closing, grading
from qa_app.moderation.access import wrote_audit
from qa_app.moderation.forms import (
    BlindOverallForm,
    EmptyForm,
    build_grades_form_class,
    decisions_from,
    fill_from_saved,
    grade_field,
)
from qa_app.moderation.items import graded_items
from qa_app.moderation.presentation import conflict_rows, moderation_pages, page_items
from qa_app.moderation.problems import ModerationConflict, ModerationProblem
from qa_app.moderation.routes import bp, selection_or_abort


def _my_selection(audit_id: int):
    """Return the selection when the signed-in user is moderating the audit now."""
    selection = selection_or_abort(audit_id)
    if wrote_audit(db.session, current_user, selection.audit):
        abort(403)
    if selection.moderator_id != current_user.id:
        abort(403)
    return selection


@bp.route("/audits/<int:audit_id>")
@role_required(*MANAGING_ROLES)
def moderate(audit_id: int):
    selection = _my_selection(audit_id)
    audit = selection.audit
    if audit.status != AuditStatus.IN_MODERATION.value:
        return redirect(url_for("moderation.outcome", audit_id=audit_id))
    definition = audit.template_version.definition
    if selection.blind and selection.blind_committed_at is None:
        form = BlindOverallForm()
        form.set_scale(definition.scale(definition.overall.scale))
        return render_template("moderation/blind.html", audit=audit, form=form)
    return _task_list(selection, [])


def _task_list(selection, problems):
    audit = selection.audit
    items = graded_items(audit, audit.template_version.definition)
    summary = [
        {
            "text": p.message,
            "href": url_for("moderation.section", audit_id=audit.id, page=_page_of(items, p.key))
            + "#"
            + grade_field(p.key),
        }
        for p in problems
    ]
    return render_template(
        "moderation/task_list.html",
        audit=audit,
        selection=selection,
        pages=moderation_pages(selection, items),
        error_summary=summary,
        page_has_errors=bool(summary),
        form=EmptyForm(lock_version=str(selection.lock_version)),
    )


def _page_of(items, key):
    item = next((i for i in items if i.key == key), None)
    return (item.section_key or "overall") if item else "overall"


@bp.route("/audits/<int:audit_id>/blind", methods=["POST"])
@role_required(*MANAGING_ROLES)
def commit_blind(audit_id: int):
    selection = _my_selection(audit_id)
    audit = selection.audit
    definition = audit.template_version.definition
    form = BlindOverallForm()
    form.set_scale(definition.scale(definition.overall.scale))
    if form.validate_on_submit():
        try:
            grading.commit_blind_overall(db.session, selection, current_user, form.overall.data)
        except ModerationProblem as problem:
            db.session.rollback()
            form.overall.errors.append(str(problem))
        else:
            db.session.commit()
            flash(
                "Your overall judgement is recorded. You can now see the auditor's grades.",
                "success",
            )
            return redirect(url_for("moderation.moderate", audit_id=audit_id))
    return render_template("moderation/blind.html", audit=audit, form=form)


@bp.route("/audits/<int:audit_id>/sections/<page>", methods=["GET", "POST"])
@role_required(*MANAGING_ROLES)
def section(audit_id: int, page: str):
    selection = _my_selection(audit_id)
    audit = selection.audit
    if audit.status != AuditStatus.IN_MODERATION.value:
        return redirect(url_for("moderation.outcome", audit_id=audit_id))
    if selection.blind and selection.blind_committed_at is None:
        return redirect(url_for("moderation.moderate", audit_id=audit_id))
    definition = audit.template_version.definition
    all_items = graded_items(audit, definition)
    title, items = page_items(definition, all_items, page)
    if not items:
        abort(404)
    form_class = build_grades_form_class(items, blind_overall=selection.blind)
    form = form_class()
    summary = []
    if request.method == "POST" and form.validate_on_submit():
        decisions = decisions_from(form, items)
        try:
            problems = grading.save_grades(
                db.session,
                selection,
                current_user,
                decisions,
                expected_version=int(form.lock_version.data or 0),
            )
        except ModerationConflict:
            db.session.rollback()
            selection = selection_or_abort(audit_id)
            return render_template(
                "moderation/conflict.html",
                audit=audit,
                page_title=title,
                rows=conflict_rows(
                    items, decisions, {g.criterion_key: g for g in selection.grades}
                ),
                form=form,
                lock_version=selection.lock_version,
                page=page,
            ), 409
        except ModerationProblem as problem:
            db.session.rollback()
            flash(str(problem), "info")
            return redirect(url_for("moderation.queue"))
        db.session.commit()
        if problems:
            summary = [{"text": p.message, "href": "#" + grade_field(p.key)} for p in problems]
            for p in problems:
                name = grade_field(p.key)
                field = form[name] if name in form else form["reason__" + p.key.replace(".", "__")]
                field.errors = [*field.errors, p.message]
            form.lock_version.data = str(selection.lock_version)
        else:
            flash("Your grades are saved.", "success")
            if form.action_continue.data:
                return redirect(url_for("moderation.moderate", audit_id=audit_id))
            return redirect(url_for("moderation.section", audit_id=audit_id, page=page))
    elif request.method == "GET":
        fill_from_saved(form, items, {g.criterion_key: g for g in selection.grades})
        form.lock_version.data = str(selection.lock_version)
    responses_rationale = {a.criterion_key: a.rationale for a in audit.answers}
    responses_rationale["overall"] = audit.overall_rationale
    return render_template(
        "moderation/section.html",
        audit=audit,
        selection=selection,
        page_title=title,
        items=items,
        rationales=responses_rationale,
        form=form,
        error_summary=summary,
        page_has_errors=bool(summary),
        grade_field=grade_field,
    )


@bp.route("/audits/<int:audit_id>/complete", methods=["POST"])
@role_required(*MANAGING_ROLES)
def complete(audit_id: int):
    selection = _my_selection(audit_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        problems = grading.complete(
            db.session, selection, current_user, expected_version=int(form.lock_version.data or 0)
        )
    except ModerationConflict:
        db.session.rollback()
        flash(
            "Someone saved this moderation since you opened it. Check the grades and try again.",
            "info",
        )
        return redirect(url_for("moderation.moderate", audit_id=audit_id))
    except ModerationProblem as problem:
        db.session.rollback()
        flash(str(problem), "info")
        return redirect(url_for("moderation.queue"))
    if problems:
        db.session.rollback()
        return _task_list(selection_or_abort(audit_id), problems)
    db.session.commit()
    flash(
        f"Moderation of case {selection.audit.case.reference} completed. "
        "The auditor has been told.",
        "success",
    )
    return redirect(url_for("moderation.outcome", audit_id=audit_id))


@bp.route("/audits/<int:audit_id>/close", methods=["POST"])
@role_required(*MANAGING_ROLES)
def close(audit_id: int):
    selection = selection_or_abort(audit_id)
    if wrote_audit(db.session, current_user, selection.audit):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        closing.close(db.session, selection.audit, current_user)
    except ModerationProblem as problem:
        db.session.rollback()
        flash(str(problem), "info")
    else:
        db.session.commit()
        flash(
            f"Audit of case {selection.audit.case.reference} closed. The auditor has been told.",
            "success",
        )
    return redirect(url_for("moderation.outcome", audit_id=audit_id))
