from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from qa_app.audits import operations, queries
from qa_app.audits.presentation import audit_page_context
from qa_app.audits.scoring import format_score
from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.manage import audit_list as list_queries
from qa_app.manage.forms import AuditFiltersForm, ReturnAuditForm
from qa_app.manage.presentation import judgement_summary, sort_columns
from qa_app.models import MANAGING_ROLES, AuditStatus
from qa_app.reports import queries as report_queries
from qa_app.reports.summary_workbook import (
    WorkbookContext,
    build_summary_workbook,
)

bp = Blueprint("manage", __name__, url_prefix="/manage", template_folder="templates")

PAGE_SIZE = 50


@bp.route("/audits")
@role_required(*MANAGING_ROLES)
def audit_list():
    form = AuditFiltersForm(request.args)
    judgements = list_queries.judgement_options(db.session)
    form.set_choices(
        list_queries.filter_choices(db.session, current_user), judgements, list(AuditStatus)
    )
    filters = form.read()
    order = list_queries.ListOrder.read(request.args.get("sort"), request.args.get("order"))
    counts = list_queries.audit_list_counts(db.session, current_user, filters)
    pages = max((counts.audits + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    rows = list_queries.audit_list_page(
        db.session,
        current_user,
        filters,
        order,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        total=counts.audits,
    )
    return render_template(
        "manage/audit_list.html",
        form=form,
        rows=rows,
        counts=counts,
        labels=dict(judgements),
        summary=judgement_summary(counts, judgements),
        columns=sort_columns(order, form.query_args()),
        order=order,
        format_score=format_score,
        page=page,
        pages=pages,
        query={**form.query_args(), **order.query_args()},
        filtered=bool(form.query_args()),
        status_labels={status.value: status.label for status in AuditStatus},
        error_summary=[
            {"text": field.errors[0], "href": f"#{field.id}-day"} for field in form if field.errors
        ],
    )


@bp.route("/audits/<int:audit_id>")
@role_required(*MANAGING_ROLES)
def audit_detail(audit_id: int):
    audit = queries.get_visible_audit(db.session, current_user, audit_id)
    if audit is None:
        abort(404)
    definition = audit.template_version.definition
    responses, _ = operations.stored_responses(audit, definition)
    context = audit_page_context(audit, definition, None, responses, [])
    return render_template(
        "audits/view.html", back_url=url_for("manage.audit_list"), back_text="All audits", **context
    )


@bp.route("/audits/<int:audit_id>/return", methods=["GET", "POST"])
@role_required(*MANAGING_ROLES)
def return_audit(audit_id: int):
    audit = queries.get_visible_audit(db.session, current_user, audit_id)
    if audit is None:
        abort(404)
    form = ReturnAuditForm()
    if form.validate_on_submit():
        try:
            operations.return_audit(db.session, audit, current_user, form.reason.data)
        except operations.AuditNotReturnable as problem:
            db.session.rollback()
            form.reason.errors.append(str(problem))
        else:
            db.session.commit()
            flash(
                f"Audit of case {audit.case.reference} returned to {audit.auditor.display_name}.",
                "success",
            )
            return redirect(url_for("manage.audit_detail", audit_id=audit.id))
    return render_template("manage/return_audit.html", audit=audit, form=form)


@bp.route("/audits/summary.xlsx")
@role_required(*MANAGING_ROLES)
def download_summary():
    versions = report_queries.template_versions_in_use(db.session, current_user)
    context = WorkbookContext(
        title="Case audit summary",
        scope=_scope_text(),
        data_as_at=utcnow(),
        template_versions=[f"{v.title} v{v.version}" for v in versions],
    )
    stream = BytesIO()
    build_summary_workbook(
        stream,
        context,
        report_queries.judgement_counts(db.session, current_user),
        report_queries.audit_rows(db.session, current_user),
        report_queries.answer_rows(db.session, current_user),
        report_queries.definitions_by_version(versions),
    )
    operations.record_event(
        db.session,
        "export_downloaded",
        current_user,
        report="summary",
        scope=context.scope,
        de_identified=True,
    )
    db.session.commit()
    stream.seek(0)
    filename = f"case-audit-summary-{context.data_as_at:%Y-%m-%d}.xlsx"
    return send_file(
        stream,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=filename,
    )


def _scope_text() -> str:
    if not current_user.sees_all_teams and current_user.team is not None:
        return f"Submitted audits of cases held by {current_user.team.name}"
    return "Submitted audits of all teams"
