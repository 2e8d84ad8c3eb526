"""Making a pack: naming its filters, writing the workbook, and recording the export.

Used by the download page, the background job and ``flask pack build`` alike.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.display import format_date
from qa_app.models import AuditEvent, AuditRound, Team, TemplateVersion, User
from qa_app.reports import pack_queries
from qa_app.reports.pack_assembly import collect_pack_content
from qa_app.reports.pack_builder import Progress, build_leadership_pack
from qa_app.reports.pack_filters import PackFilters

EXPORT_EVENT = "pack_exported"
# Stands for the command line, which acts for every team (never stored).
_SERVICE = User(display_name="Command line", role="admin", email="", password_hash="")
# Older exports (the summary workbook) are listed on the export log too.
EXPORT_EVENTS = (EXPORT_EVENT, "export_downloaded")


def describe_filters(session: Session, user: User, filters: PackFilters) -> list[tuple[str, str]]:
    """Return the filters in words, as the pack's sheets print them."""
    if filters.period_start and filters.period_end:
        period = f"{format_date(filters.period_start)} to {format_date(filters.period_end)}"
    elif filters.period_start:
        period = f"From {format_date(filters.period_start)}"
    elif filters.period_end:
        period = f"Up to {format_date(filters.period_end)}"
    else:
        period = "All dates"
    if filters.team_ids:
        names = session.scalars(
            select(Team.name).where(Team.id.in_(filters.team_ids)).order_by(Team.name)
        )
        teams = ", ".join(names)
    elif pack_queries.sees_every_team(user):
        teams = "All teams"
    else:
        teams = user.team.name if user.team else "Your team"
    if filters.template_keys:
        titles = session.scalars(
            select(func.min(TemplateVersion.title))
            .where(TemplateVersion.key.in_(filters.template_keys))
            .group_by(TemplateVersion.key)
        )
        templates = ", ".join(sorted(titles))
    else:
        templates = "All templates"
    if filters.round_ids:
        rounds = ", ".join(
            session.scalars(
                select(AuditRound.name)
                .where(AuditRound.id.in_(filters.round_ids))
                .order_by(AuditRound.name)
            )
        )
    else:
        rounds = "Any round, or none"
    tier = "Case-level" if filters.case_level else "De-identified"
    described = [
        ("Submitted", period),
        ("Teams", teams),
        ("Templates", templates),
        ("Rounds", rounds),
        ("Tier", tier),
    ]
    if filters.case_level:
        described.append(("Purpose", filters.purpose or ""))
    return described


def pack_size(session: Session, user: User, filters: PackFilters) -> int:
    """Return the rows the pack's Data sheet would hold (0 without one)."""
    return pack_queries.data_row_count(session, user, filters) if filters.with_data else 0


def write_pack(
    session: Session,
    user: User,
    filters: PackFilters,
    stream: IO[bytes],
    now: datetime,
    progress: Progress | None = None,
) -> int:
    """Write the pack to the stream; return how many Data rows it holds."""
    content = collect_pack_content(
        session, user, filters, describe_filters(session, user, filters), now
    )
    build_leadership_pack(stream, content, progress)
    return content.data_total


def record_export(
    session: Session, user: User | None, filters: PackFilters, rows: int, how: str
) -> AuditEvent:
    """Append the export to the event log: who, when (the event's time), filters and purpose."""
    return record_event(
        session,
        EXPORT_EVENT,
        user,
        report="leadership pack",
        tier="case-level" if filters.case_level else "de-identified",
        filters=describe_filters(session, user or _SERVICE, filters),
        filter_ids=filters.to_params(),
        purpose=filters.purpose,
        rows=rows,
        made=how,
    )


def pack_filename(now: datetime, filters: PackFilters) -> str:
    """Return the download name: case-audit-pack-2026-03-14.xlsx (case-level says so)."""
    tier = "-case-level" if filters.case_level else ""
    return f"case-audit-pack{tier}-{now:%Y-%m-%d}.xlsx"


def private_file(folder: str, name: str) -> IO[bytes]:
    """Open a new file only the app's own user can read (mode 0600) for writing."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    descriptor = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(descriptor, "wb")
