"""The access log page and its CSV download, for administrators and QA leads; a case's audits."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from qa_app.audits.operations import record_event
from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.governance import access_queries
from qa_app.governance.blueprint import bp
from qa_app.governance.csv_download import csv_response, streamed_rows
from qa_app.governance.filter_forms import AccessLogFilterForm
from qa_app.governance.presentation import error_summary, page_count, select_choices
from qa_app.models import MANAGING_ROLES, Role

PAGE_SIZE = 50
ACCESS_LOG_ROLES = (Role.ADMIN, Role.QA_LEAD)


def _access_filter() -> tuple[AccessLogFilterForm, access_queries.AccessFilter | None]:
    form = AccessLogFilterForm(request.args)
    form.user.choices = select_choices([("", "Anyone"), *access_queries.people_choices(db.session)])
    if request.args and not form.validate():
        return form, None
    return form, access_queries.AccessFilter(
        user_id=form.user_id(),
        case_reference=(form.case_reference.data or "").strip() or None,
        dates=form.date_range(),
    )


def _filter_query() -> dict[str, str]:
    return {
        key: request.args[key]
        for key in ("user", "case_reference", "date_from", "date_to")
        if request.args.get(key)
    }


@bp.route("/admin/access-log")
@role_required(*ACCESS_LOG_ROLES)
def access_log():
    form, chosen = _access_filter()
    page = max(request.args.get("page", 1, type=int), 1)
    total = access_queries.count_access(db.session, chosen) if chosen else 0
    rows = (
        access_queries.list_access(
            db.session, chosen, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        if chosen
        else []
    )
    return render_template(
        "governance/access_log.html",
        form=form,
        errors=error_summary(form),
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, PAGE_SIZE),
        query=_filter_query(),
        page_name=access_queries.page_name,
    )


@bp.route("/cases/<int:case_id>/audits")
@role_required(*MANAGING_ROLES)
def case_audits(case_id: int):
    from qa_app.governance import case_queries

    case = case_queries.get_visible_case(db.session, current_user, case_id)
    if case is None:
        abort(404)
    audits = case_queries.case_audits(db.session, case)
    return render_template("governance/case_audits.html", case=case, audits=audits)


@bp.route("/admin/access-log.csv")
@role_required(*ACCESS_LOG_ROLES)
def access_log_csv():
    form, chosen = _access_filter()
    if chosen is None:
        return access_log()
    record_event(
        db.session,
        "access_log_downloaded",
        current_user,
        filters=sorted(_filter_query()),
    )
    db.session.commit()
    rows = streamed_rows(access_queries.access_rows_query(chosen))
    return csv_response(
        f"access-log-{utcnow():%Y-%m-%d}.csv",
        ["When (UTC)", "Name", "Email", "Case reference", "Audit", "Page", "Kind"],
        (
            (
                as_utc(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.display_name,
                row.email,
                row.reference,
                row.audit_id,
                access_queries.page_name(row.page),
                row.kind,
            )
            for row in rows
        ),
    )
