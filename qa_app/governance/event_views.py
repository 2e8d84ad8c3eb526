"""The event log viewer and its CSV download, for administrators and QA leads."""

from __future__ import annotations

from flask import render_template, request

from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.governance import event_queries
from qa_app.governance.access_queries import people_choices
from qa_app.governance.blueprint import bp
from qa_app.governance.event_details import action_name, details_text, readable_details
from qa_app.governance.filter_forms import EventLogFilterForm
from qa_app.governance.log_pages import LogQueries, log_csv, log_page_context
from qa_app.governance.presentation import select_choices
from qa_app.models import Role

EVENT_LOG_ROLES = (Role.ADMIN, Role.QA_LEAD)


def _event_filter() -> tuple[EventLogFilterForm, event_queries.EventFilter | None]:
    form = EventLogFilterForm(request.args)
    form.user.choices = select_choices([("", "Anyone"), *people_choices(db.session)])
    form.action.choices = select_choices(
        [("", "Anything")]
        + [(name, action_name(name)) for name in event_queries.action_names(db.session)]
    )
    if request.args and not form.validate():
        return form, None
    return form, event_queries.EventFilter(
        user_id=form.user_id(),
        action=form.action.data or None,
        audit_id=form.audit_id(),
        dates=form.date_range(),
    )


EVENT_LOG = LogQueries(
    read_filter=_event_filter,
    count=event_queries.count_events,
    page_rows=event_queries.list_events,
    all_rows=event_queries.event_rows_query,
    filter_keys=("user", "action", "audit", "date_from", "date_to"),
)


@bp.route("/admin/event-log")
@role_required(*EVENT_LOG_ROLES)
def event_log():
    return render_template(
        "governance/event_log.html",
        action_name=action_name,
        readable_details=readable_details,
        **log_page_context(EVENT_LOG),
    )


@bp.route("/admin/event-log.csv")
@role_required(*EVENT_LOG_ROLES)
def event_log_csv():
    return log_csv(
        EVENT_LOG,
        "event_log_downloaded",
        f"event-log-{utcnow():%Y-%m-%d}.csv",
        ["Event", "When (UTC)", "Who", "Email", "What happened", "Audit", "Details"],
        lambda row: (
            row.id,
            as_utc(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            row.display_name or "System",
            row.email,
            action_name(row.action),
            row.audit_id,
            details_text(row.details),
        ),
        show_page=event_log,
    )
