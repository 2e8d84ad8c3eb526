"""Admin pages for audit rounds: list, create, preview and redraw, confirm, assign."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.audits import queries as audit_queries
from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.models import AuditRound, Role, RoundStatus
from qa_app.rounds import queries
from qa_app.rounds.assigning import assign_round_by_hand, assign_round_evenly
from qa_app.rounds.forms import AssignEvenlyForm, CreateRoundForm, error_summary, read_round_form
from qa_app.rounds.operations import RoundRefused, confirm_round, create_round, redraw_round
from qa_app.rounds.presentation import (
    by_hand_rows,
    case_type_label,
    long_date,
    round_page_context,
    status_label,
    status_tag,
    with_case_type_labels,
)
from qa_app.sampling.rule import parse_whole_number

bp = Blueprint("rounds", __name__, url_prefix="/admin/rounds", template_folder="templates")

MAX_LISTED_REASONS = 5


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {
        "long_date": long_date,
        "status_label": status_label,
        "status_tag": status_tag,
        "case_type_label": case_type_label,
        "with_case_type_labels": with_case_type_labels,
    }


@bp.route("")
@role_required(Role.ADMIN)
def round_list():
    return render_template("rounds/round_list.html", rounds=queries.round_summaries(db.session))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_round():
    form = CreateRoundForm()
    versions = audit_queries.latest_template_versions(db.session)
    teams = queries.all_teams(db.session)
    form.set_choices(versions, teams)
    if request.method == "GET":
        form.teams.data = [str(t.id) for t in teams]
        return render_template("rounds/new_round.html", form=form, summary=[])
    details, problems = read_round_form(form, {v.id: v for v in versions}, [t.id for t in teams])
    if details is not None:
        try:
            audit_round = create_round(db.session, current_user, details)
        except RoundRefused as refused:
            problems = refused.problems
        else:
            db.session.commit()
            flash(
                f"Round created with seed {audit_round.seed}. Check the sample, then confirm it.",
                "success",
            )
            return redirect(url_for("rounds.round_detail", round_id=audit_round.id))
    db.session.rollback()
    return render_template(
        "rounds/new_round.html", form=form, summary=error_summary(form, problems)
    ), 400


@bp.route("/<int:round_id>")
@role_required(Role.ADMIN)
def round_detail(round_id: int):
    audit_round = _round(round_id)
    return render_template("rounds/round.html", **round_page_context(db.session, audit_round))


@bp.route("/<int:round_id>/redraw", methods=["POST"])
@role_required(Role.ADMIN)
def redraw(round_id: int):
    audit_round = _round(round_id)
    try:
        seed = redraw_round(db.session, audit_round, current_user)
    except RoundRefused as refused:
        return _refused(audit_round, refused)
    db.session.commit()
    flash(f"Sample drawn again with the new seed {seed}.", "success")
    return redirect(url_for("rounds.round_detail", round_id=round_id))


@bp.route("/<int:round_id>/confirm", methods=["POST"])
@role_required(Role.ADMIN)
def confirm(round_id: int):
    audit_round = _round(round_id)
    expected = parse_whole_number(request.form.get("seed", ""))
    try:
        sample = confirm_round(db.session, audit_round, current_user, expected_seed=expected)
    except RoundRefused as refused:
        return _refused(audit_round, refused)
    db.session.commit()
    count = len(sample.selected)
    flash(f"Sample confirmed: {count} {'case' if count == 1 else 'cases'} drawn.", "success")
    return redirect(url_for("rounds.round_detail", round_id=round_id))


@bp.route("/<int:round_id>/assign-evenly", methods=["POST"])
@role_required(Role.ADMIN)
def assign_evenly(round_id: int):
    audit_round = _round(round_id)
    form = AssignEvenlyForm()
    auditor_ids = [i for i in map(parse_whole_number, form.auditors.data or []) if i is not None]
    if not auditor_ids:
        form.auditors.errors = ["Select at least one auditor"]
        context = round_page_context(db.session, audit_round, form)
        summary = [{"text": "Select at least one auditor", "href": "#auditors"}]
        return render_template(
            "rounds/round.html", summary=summary, page_has_errors=True, **context
        ), 400
    try:
        assignment = assign_round_evenly(db.session, audit_round, current_user, auditor_ids)
    except RoundRefused as refused:
        return _refused(audit_round, refused)
    db.session.commit()
    count = len(assignment.pairs)
    message = f"{count} {'audit' if count == 1 else 'audits'} assigned."
    if assignment.unassignable:
        # One banner per page: the cases left over are named in the same message.
        reasons = [f"{u.reference}: {u.reason}" for u in assignment.unassignable]
        more = len(reasons) - MAX_LISTED_REASONS
        listed = "; ".join(reasons[:MAX_LISTED_REASONS]) + (
            f"; and {more} more" if more > 0 else ""
        )
        message += f" {len(reasons)} could not be assigned ({listed})."
    flash(message, "info" if assignment.unassignable else "success")
    return redirect(url_for("rounds.round_detail", round_id=round_id))


@bp.route("/<int:round_id>/assign-by-hand", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def assign_by_hand(round_id: int):
    audit_round = _round(round_id)
    if audit_round.status != RoundStatus.CONFIRMED.value:
        return redirect(url_for("rounds.round_detail", round_id=round_id))
    if request.method == "GET":
        rows = by_hand_rows(db.session, audit_round, {})
        return render_template(
            "rounds/assign_by_hand.html", audit_round=audit_round, rows=rows, errors={}, summary=[]
        )
    posted = {k: v for k, v in request.form.items() if k.startswith("auditor-")}
    choices = {}
    for field, value in posted.items():
        rc_id, user_id = (
            parse_whole_number(field.removeprefix("auditor-")),
            parse_whole_number(value),
        )
        if rc_id is not None and user_id is not None:
            choices[rc_id] = user_id
    try:
        created = assign_round_by_hand(db.session, audit_round, current_user, choices)
    except RoundRefused as refused:
        db.session.rollback()
        rows = by_hand_rows(db.session, audit_round, posted)
        first_row = rows[0]["field"] if rows else "assignments"
        summary = [
            {"text": p.message, "href": f"#{first_row if p.field == 'choices' else p.field}"}
            for p in refused.problems
        ]
        errors = {p.field: p.message for p in refused.problems}
        return render_template(
            "rounds/assign_by_hand.html",
            audit_round=audit_round,
            rows=rows,
            errors=errors,
            summary=summary,
            page_has_errors=True,
        ), 400
    db.session.commit()
    flash(f"{created} {'audit' if created == 1 else 'audits'} assigned.", "success")
    return redirect(url_for("rounds.round_detail", round_id=round_id))


def _round(round_id: int) -> AuditRound:
    audit_round = queries.get_round(db.session, round_id)
    if audit_round is None:
        abort(404)
    return audit_round


def _refused(audit_round: AuditRound, refused: RoundRefused):
    db.session.rollback()
    db.session.refresh(audit_round)
    summary = [{"text": p.message, "href": "#sample"} for p in refused.problems]
    context = round_page_context(db.session, audit_round)
    return render_template(
        "rounds/round.html", summary=summary, page_has_errors=True, **context
    ), 409
