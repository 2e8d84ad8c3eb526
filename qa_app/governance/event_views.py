"""The event log viewer and its CSV download, for administrators and QA leads."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from qa_app.audits.operations import record_event
from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.display import as_utc
from qa_app.extensions import db
from qa_app.governance import event_queries
from qa_app.governance.access_queries import people_choices
from qa_app.governance.blueprint import bp
from qa_app.governance.csv_download import csv_response, streamed_rows
from qa_app.governance.event_details import action_name, details_text, readable_details
from qa_app.governance.filter_forms import EventLogFilterForm
from qa_app.governance.presentation import error_summary, page_count, select_choices
from qa_app.models import Role

PAGE_SIZE = 50
EVENT_LOG_ROLES = (Role.ADMIN, Role.QA_LEAD)
FILTER_KEYS = ("user", "action", "audit", "date_from", "date_to")


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


def _filter_query() -> dict[str, str]:
    return {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}


@bp.route("/admin/event-log")
@role_required(*EVENT_LOG_ROLES)
def event_log():
    form, chosen = _event_filter()
    page = max(request.args.get("page", 1, type=int), 1)
    total = event_queries.count_events(db.session, chosen) if chosen else 0
    rows = (
        event_queries.list_events(
            db.session, chosen, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        if chosen
        else []
    )
    return render_template(
        "governance/event_log.html",
        form=form,
        errors=error_summary(form),
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, PAGE_SIZE),
        query=_filter_query(),
        action_name=action_name,
        readable_details=readable_details,
    )


@bp.route("/admin/event-log.csv")
@role_required(*EVENT_LOG_ROLES)
def event_log_csv():
    form, chosen = _event_filter()
    if chosen is None:
        return event_log()
    record_event(db.session, "event_log_downloaded", current_user, filters=sorted(_filter_query()))
    db.session.commit()
    rows = streamed_rows(event_queries.event_rows_query(chosen))
    return csv_response(
        f"event-log-{utcnow():%Y-%m-%d}.csv",
        ["Event", "When (UTC)", "Who", "Email", "What happened", "Audit", "Details"],
        (
            (
                row.id,
                as_utc(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.display_name or "System",
                row.email,
                action_name(row.action),
                row.audit_id,
                details_text(row.details),
            )
            for row in rows
        ),
    )
