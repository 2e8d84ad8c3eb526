"""The leadership pack's download page and the export log."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import func, select

from qa_app.auth.login import role_required
from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.jobs import start_job
from qa_app.models import (
    ALL_TEAM_ROLES,
    MANAGING_ROLES,
    AuditEvent,
    AuditRound,
    Role,
    Team,
    TemplateVersion,
)
from qa_app.reports import pack_queries
from qa_app.reports.forms import PackForm, read_pack_form
from qa_app.reports.pack_job import PACK_JOB
from qa_app.reports.pack_operations import (
    EXPORT_EVENTS,
    pack_filename,
    pack_size,
    record_export,
    write_pack,
)

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")

PACK_ROLES = (*MANAGING_ROLES, Role.LEADER)
CASE_LEVEL_ROLES = ALL_TEAM_ROLES  # QA leads and admins
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choices(form: PackForm) -> None:
    teams = select(Team.id, Team.name).order_by(Team.name)
    if not pack_queries.sees_every_team(current_user):
        teams = teams.where(Team.id == current_user.team_id)
    form.teams.choices = [(team_id, name) for team_id, name in db.session.execute(teams)]
    form.templates.choices = [
        (key, title)
        for key, title in db.session.execute(
            select(TemplateVersion.key, func.min(TemplateVersion.title))
            .group_by(TemplateVersion.key)
            .order_by(func.min(TemplateVersion.title))
        )
    ]
    form.rounds.choices = [
        (round_id, name)
        for round_id, name in db.session.execute(
            select(AuditRound.id, AuditRound.name).order_by(AuditRound.period_start.desc())
        )
    ]


@bp.route("/pack", methods=["GET", "POST"])
@role_required(*PACK_ROLES)
def pack():
    form = PackForm()
    _choices(form)
    may_use_case_level = current_user.has_role(*CASE_LEVEL_ROLES)
    problems: list[tuple[str, str]] = []
    if form.validate_on_submit():
        filters, problems = read_pack_form(form, may_use_case_level)
        if filters is not None:
            rows = pack_size(db.session, current_user, filters)
            if rows > current_app.config["PACK_JOB_ANSWERS"]:
                job = start_job(
                    db.session,
                    PACK_JOB,
                    current_user,
                    "Making the leadership pack",
                    {"filters": filters.to_params()},
                )
                return redirect(url_for("jobs.job_progress", job_id=job.id))
            return _send_pack_now(filters)
    return render_template(
        "reports/pack.html",
        form=form,
        may_use_case_level=may_use_case_level,
        summary=[{"text": message, "href": f"#{anchor}"} for anchor, message in problems],
        page_has_errors=bool(problems),
    )


def _send_pack_now(filters):
    now = utcnow()
    # Small packs (a few MB at most, see PACK_JOB_ANSWERS) are made in the request.
    stream = BytesIO()
    rows = write_pack(db.session, current_user, filters, stream, now)
    record_export(db.session, current_user, filters, rows, how="download")
    db.session.commit()
    stream.seek(0)
    return send_file(
        stream, mimetype=XLSX, as_attachment=True, download_name=pack_filename(now, filters)
    )


@bp.route("/exports")
@role_required(*CASE_LEVEL_ROLES)
def export_log():
    page = max(request.args.get("page", 1, type=int), 1)
    condition = AuditEvent.action.in_(EXPORT_EVENTS)
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(condition)) or 0
    events = db.session.scalars(
        select(AuditEvent)
        .where(condition)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "reports/export_log.html",
        events=events,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
    )
