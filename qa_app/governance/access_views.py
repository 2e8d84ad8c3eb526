"""The access log page and its CSV download, for administrators and QA leads; a case's audits."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.governance import access_queries
from qa_app.governance.blueprint import bp
from qa_app.governance.filter_forms import AccessLogFilterForm
from qa_app.governance.log_pages import LogQueries, log_csv, log_page_context
from qa_app.governance.presentation import select_choices
from qa_app.models import MANAGING_ROLES, Role

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


ACCESS_LOG = LogQueries(
    read_filter=_access_filter,
    count=access_queries.count_access,
    page_rows=access_queries.list_access,
    all_rows=access_queries.access_rows_query,
    filter_keys=("user", "case_reference", "date_from", "date_to"),
)


@bp.route("/admin/access-log")
@role_required(*ACCESS_LOG_ROLES)
def access_log():
    return render_template(
        "governance/access_log.html",
        page_name=access_queries.page_name,
        **log_page_context(ACCESS_LOG),
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
    return log_csv(
        ACCESS_LOG,
        "access_log_downloaded",
        f"access-log-{utcnow():%Y-%m-%d}.csv",
        ["When (UTC)", "Name", "Email", "Case reference", "Audit", "Page", "Kind"],
        lambda row: (
            as_utc(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            row.display_name,
            row.email,
            row.reference,
            row.audit_id,
            access_queries.page_name(row.page),
            row.kind,
        ),
        show_page=access_log,
    )
