"""Filling in an audit: the task list, one page per section, the practitioner and family page,
the overall judgement, autosave, and submitting. Nothing typed is ever lost: a failed check keeps
the text, a stale save shows both versions, and a save after the session ended is held."""

from __future__ import annotations

import json

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from qa_app.audits import operations
from qa_app.audits.forms import (
    PracticeForm,
    attach_problems,
    build_overall_form_class,
    form_data_from_responses,
    merge_problems,
    responses_from_form,
)
from qa_app.audits.held_forms import held_form, release_held_form
from qa_app.audits.page_flow import (
    OVERALL_PAGE,
    PRACTICE_PAGE,
    next_page_url,
    page_url,
    section_or_404,
)
from qa_app.audits.presentation import audit_page_context, conflicting_answers, overview_context
from qa_app.audits.question_markup import (
    earlier_answers,
    render_kept_section,
    section_form_class,
)
from qa_app.audits.responses import Response
from qa_app.audits.routes import ANY_ROLE, bp, int_or_zero
from qa_app.auth.login import role_required
from qa_app.display import format_clock
from qa_app.extensions import db
from qa_app.models import Audit

# What an answers page reads of its audit, loaded with it in one query instead of one lazy
# load each: the form page is the busiest page an auditor has. Its answers are read as plain
# rows (``read_stored_responses``); saving loads them as objects only when it needs them.
ANSWERS_PAGE_LOAD = (joinedload(Audit.template_version), joinedload(Audit.case))
# Built once: a statement (or ``session.get`` with options) built per request spent a quarter of
# its time working out its cache key.
_ANSWERS_PAGE_AUDIT = (
    select(Audit).where(Audit.id == bindparam("audit_id")).options(*ANSWERS_PAGE_LOAD)
)
# A section page's GET fills its questions into kept markup; False renders every question
# through WTForms and the GOV.UK macros (the reference the kept markup is checked against).
KEPT_QUESTION_MARKUP = True


def editable_audit(audit_id: int, answers_page: bool = False) -> Audit:
    """Return the signed-in auditor's own audit, or stop with 404/403; for an answers page,
    with its template version and case."""
    if answers_page:
        found = db.session.execute(_ANSWERS_PAGE_AUDIT, {"audit_id": audit_id})
        audit = found.scalar_one_or_none()
    else:
        audit = db.session.get(Audit, audit_id)
    if audit is None:
        abort(404)
    if audit.auditor_id != current_user.id:
        abort(403)
    return audit


@bp.route("/<int:audit_id>")
@role_required(*ANY_ROLE)
def edit(audit_id: int):
    """The audit's task list: each section's progress, and submitting."""
    audit = editable_audit(audit_id)
    if not audit.status_enum.is_editable_by_auditor:
        return redirect(url_for("audits.view", audit_id=audit.id))
    return render_template("audits/overview.html", **overview_context(audit, []))


@bp.route("/<int:audit_id>/submit", methods=["POST"])
@role_required(*ANY_ROLE)
def submit(audit_id: int):
    audit = editable_audit(audit_id)
    if not audit.status_enum.is_editable_by_auditor:
        flash("This audit has already been submitted.", "info")
        return redirect(url_for("audits.view", audit_id=audit.id))
    try:
        result = operations.submit_audit(
            db.session,
            audit,
            current_user,
            expected_version=int_or_zero(request.form.get("lock_version")),
        )
    except operations.AuditConflict:
        db.session.rollback()
        flash(
            "This audit changed since you opened the page. Check the answers, then submit again.",
            "info",
        )
        return redirect(url_for("audits.edit", audit_id=audit.id))
    if not result.saved:
        db.session.rollback()
        return render_template(
            "audits/overview.html", **overview_context(audit, result.problems)
        ), 400
    db.session.commit()
    flash(f"Audit of case {audit.case.reference} submitted.", "success")
    return redirect(url_for("audits.my_audits"))


@bp.route("/<int:audit_id>/sections/<section_key>", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def section(audit_id: int, section_key: str):
    audit = editable_audit(audit_id, answers_page=True)
    definition = audit.template_version.definition
    section_or_404(definition, section_key)
    form_class = section_form_class(audit.template_version, section_key)
    return _answers_page(audit, section_key, form_class)


@bp.route("/<int:audit_id>/overall", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def overall(audit_id: int):
    audit = editable_audit(audit_id, answers_page=True)
    return _answers_page(
        audit, OVERALL_PAGE, build_overall_form_class(audit.template_version.definition)
    )


@bp.route("/<int:audit_id>/practice", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def practice(audit_id: int):
    audit = editable_audit(audit_id)
    if not audit.status_enum.is_editable_by_auditor:
        return redirect(url_for("audits.view", audit_id=audit.id))
    held = held_form(db.session, request.args.get("held"), audit.id, PRACTICE_PAGE, current_user.id)
    if request.method == "GET" and held is None:
        form = PracticeForm(data=_practice_data(audit))
        form.lock_version.data = str(audit.lock_version)
        return render_template("audits/practice.html", audit=audit, form=form, error_summary=[])
    form = PracticeForm(formdata=held) if held is not None else PracticeForm()
    if held is not None:
        form.held_token.data = request.args.get("held")
        return render_template(
            "audits/practice.html", audit=audit, form=form, error_summary=[], held=True
        )
    if not form.validate():
        if "csrf_token" in form and form.csrf_token.errors:
            abort(400)
        return _render_practice_problems(audit, form)
    details = operations.PracticeDetails(
        with_practitioner=_yes_no(form.with_practitioner.data),
        practitioner_reflection=form.practitioner_reflection.data or "",
        family_feedback_sought=_yes_no(form.family_feedback_sought.data),
        family_feedback=form.family_feedback.data or "",
    )
    try:
        operations.save_practice_details(
            db.session,
            audit,
            current_user,
            details,
            expected_version=int_or_zero(form.lock_version.data),
        )
    except operations.AuditConflict:
        db.session.rollback()
        form.lock_version.data = str(audit.lock_version)
        return render_template(
            "audits/practice.html", audit=audit, form=form, error_summary=[], conflict=True
        ), 409
    except operations.TextTooLong:
        db.session.rollback()
        return _render_practice_problems(audit, form)
    release_held_form(db.session, form.held_token.data)
    db.session.commit()
    return _after_save(audit, PRACTICE_PAGE, bool(form.action_continue.data))


@bp.route("/<int:audit_id>/autosave/<page>", methods=["POST"])
@role_required(*ANY_ROLE)
def autosave(audit_id: int, page: str):
    """Save a page's answers in the background; answer in JSON for the page's script."""
    audit = editable_audit(audit_id)
    definition = audit.template_version.definition
    if page == OVERALL_PAGE:
        form = build_overall_form_class(definition)()
    else:
        section_or_404(definition, page)
        form = section_form_class(audit.template_version, page)()
    if not form.validate():
        return jsonify(status="refused"), 400
    updates, _ = responses_from_form(definition, form)  # a draft keeps dates as typed
    try:
        operations.save_audit(
            db.session,
            audit,
            current_user,
            updates,
            expected_version=int_or_zero(form.lock_version.data),
            override_reason=form.override_reason.data if page == OVERALL_PAGE else None,
        )
    except operations.AuditConflict:
        db.session.rollback()
        return jsonify(status="conflict"), 409
    except operations.AuditNotEditable:
        db.session.rollback()
        return jsonify(status="not_editable"), 409
    except operations.TextTooLong as error:
        db.session.rollback()
        message = error.problems[0].message + ". Nothing on this page was saved: shorten it."
        return jsonify(status="too_long", message=message), 400
    db.session.commit()
    return jsonify(
        status="saved",
        lock_version=audit.lock_version,
        saved_at=audit.updated_at.isoformat(),
        # Formatted here so the page reads the time the way every other page does ("6:36pm").
        saved_at_text=format_clock(audit.updated_at),
    )


def _answers_page(audit: Audit, page: str, form_class):
    """GET shows a section (or the overall judgement); POST saves it, keeping everything typed."""
    if not audit.status_enum.is_editable_by_auditor:
        return redirect(url_for("audits.view", audit_id=audit.id))
    definition = audit.template_version.definition
    stored, override = operations.read_stored_responses(db.session, audit, definition)
    held = held_form(db.session, request.args.get("held"), audit.id, page, current_user.id)
    if request.method == "GET" and held is None:
        data = form_data_from_responses(definition, stored, override)
        if KEPT_QUESTION_MARKUP and page != OVERALL_PAGE:
            # The questions come from kept markup (see question_markup), and so do the hidden
            # fields and buttons: no form is built.
            return render_kept_section(audit, page, form_class, stored, data)
        form = form_class(data=data)
        form.lock_version.data = str(audit.lock_version)
        return _render_answers(audit, page, form, stored, [])
    form = form_class(formdata=held) if held is not None else form_class()
    if held is not None:
        form.held_token.data = request.args.get("held")
        typed, _ = responses_from_form(definition, form)
        return _render_answers(audit, page, form, stored | typed, [], held=True)
    if not form.validate():  # only the CSRF token can fail: the fields have no validators
        abort(400)
    if request.form.get("resolve"):
        return _resolve_conflict(audit, page)
    updates, date_problems = responses_from_form(definition, form)
    override = form.override_reason.data if page == OVERALL_PAGE else None
    try:
        result = operations.save_audit(
            db.session,
            audit,
            current_user,
            updates,
            expected_version=int_or_zero(form.lock_version.data),
            override_reason=override,
        )
    except operations.AuditConflict:
        db.session.rollback()
        db.session.refresh(audit)
        return _render_conflict(audit, page, updates, override)
    except operations.TextTooLong as error:
        db.session.rollback()
        summary = attach_problems(definition, form, error.problems)
        flash("Your answers have not been saved: shorten the text marked below.", "info")
        return _render_answers(audit, page, form, stored | updates, summary), 400
    release_held_form(db.session, form.held_token.data)
    db.session.commit()
    problems = merge_problems(date_problems, result.problems)
    if problems:
        form.lock_version.data = str(audit.lock_version)
        summary = attach_problems(definition, form, problems)
        flash("Draft saved. Some answers need correcting before you can submit.", "info")
        return _render_answers(audit, page, form, stored | updates, summary), 400
    return _after_save(audit, page, bool(form.action_continue.data))


def _render_answers(audit, page, form, responses, summary, held: bool = False):
    definition = audit.template_version.definition
    only_section = None if page == OVERALL_PAGE else page
    context = audit_page_context(audit, definition, form, responses, summary, only_section)
    context |= {
        "page": page,
        "held": held,
        "autosave_url": url_for("audits.autosave", audit_id=audit.id, page=page),
        "questions_html": None,
    }
    if page == OVERALL_PAGE:
        return render_template("audits/overall.html", **context)
    context["section"] = context["sections"][0]
    context["earlier_answers"] = earlier_answers(audit.template_version, page, responses)
    return render_template("audits/section.html", **context)


def _render_conflict(audit, page, mine, override):
    definition = audit.template_version.definition
    theirs, their_override = operations.stored_responses(audit, definition)
    rows = conflicting_answers(definition, mine, theirs)
    mine_json = json.dumps(
        {k: {"value": r.value, "rationale": r.rationale, "tags": r.tags} for k, r in mine.items()}
    )
    return render_template(
        "audits/conflict.html",
        audit=audit,
        page=page,
        rows=rows,
        mine_json=mine_json,
        override=override,
        lock_version=audit.lock_version,
        back_url=page_url(audit.id, page),
    ), 409


def _resolve_conflict(audit: Audit, page: str):
    """Save the version of each answer the auditor chose on the conflict page."""
    try:
        mine = {
            k: Response(v.get("value"), v.get("rationale") or "", list(v.get("tags") or []))
            for k, v in json.loads(request.form.get("mine", "{}")).items()
        }
    except (ValueError, AttributeError):
        abort(400)
    updates = {k: r for k, r in mine.items() if request.form.get(f"choice__{k}", "mine") == "mine"}
    override = request.form.get("override_reason") if page == OVERALL_PAGE else None
    try:
        operations.save_audit(
            db.session,
            audit,
            current_user,
            updates,
            expected_version=int_or_zero(request.form.get("lock_version")),
            override_reason=override,
        )
    except operations.AuditConflict:
        db.session.rollback()
        db.session.refresh(audit)
        return _render_conflict(audit, page, mine, override)
    except operations.TextTooLong:
        db.session.rollback()
        abort(400)  # the conflict page only posts back what was already within the limits
    db.session.commit()
    flash("Your choices have been saved.", "success")
    return redirect(page_url(audit.id, page))


def _after_save(audit: Audit, page: str, go_on: bool):
    if go_on:
        return redirect(next_page_url(audit, page))
    flash("Draft saved.", "success")
    return redirect(page_url(audit.id, page))


def _render_practice_problems(audit: Audit, form):
    """Show the practice page again with what was typed and each box over its limit."""
    summary = [
        {"text": error, "href": f"#{field.id}"}
        for field in form
        if field.name != "csrf_token"
        for error in field.errors
    ]
    flash("Your answers have not been saved: shorten the text marked below.", "info")
    return render_template(
        "audits/practice.html", audit=audit, form=form, error_summary=summary
    ), 400


def _practice_data(audit: Audit) -> dict:
    def yes_no(value: bool | None) -> str | None:
        return None if value is None else ("yes" if value else "no")

    return {
        "with_practitioner": yes_no(audit.with_practitioner),
        "practitioner_reflection": audit.practitioner_reflection or "",
        "family_feedback_sought": yes_no(audit.family_feedback_sought),
        "family_feedback": audit.family_feedback or "",
    }


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def holdable_page(endpoint: str | None, view_args: dict) -> tuple[int, str] | None:
    """Return (audit id, page) when a POST to this endpoint carries answers worth holding."""
    if endpoint == "audits.section":
        return view_args["audit_id"], view_args["section_key"]
    if endpoint == "audits.overall":
        return view_args["audit_id"], OVERALL_PAGE
    if endpoint == "audits.practice":
        return view_args["audit_id"], PRACTICE_PAGE
    return None
