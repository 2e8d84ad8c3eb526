"""Reading the whole event log: filtered by who, what, which audit and when."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qa_app.governance.filters import DateRange
from qa_app.models import AuditEvent, User


@dataclass(frozen=True)
class EventFilter:
    user_id: int | None = None
    action: str | None = None
    audit_id: int | None = None
    dates: DateRange = DateRange()


def _filtered(query: Select, chosen: EventFilter) -> Select:
    if chosen.user_id is not None:
        query = query.where(AuditEvent.actor_id == chosen.user_id)
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    if chosen.audit_id is not None:
        query = query.where(AuditEvent.audit_id == chosen.audit_id)
    start, end = chosen.dates.bounds()
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    return query


def count_events(session: Session, chosen: EventFilter) -> int:
    """Return how many events the filter matches."""
    return session.scalar(_filtered(select(func.count(AuditEvent.id)), chosen)) or 0


def event_rows_query(chosen: EventFilter, *, oldest_first: bool = False) -> Select:
    """Return the select of matching events, newest first (or oldest first): id, at, action,
    audit id, details, and the actor's name and email (None for the system)."""
    order = (AuditEvent.at, AuditEvent.id)
    return _filtered(
        select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.audit_id,
            AuditEvent.details,
            User.display_name,
            User.email,
        ).outerjoin(User, User.id == AuditEvent.actor_id),
        chosen,
    ).order_by(*(order if oldest_first else (column.desc() for column in order)))


def list_events(
    session: Session, chosen: EventFilter, *, limit: int, offset: int, oldest_first: bool = False
) -> list:
    """Return one page of matching events, newest first (or oldest first)."""
    query = event_rows_query(chosen, oldest_first=oldest_first)
    return list(session.execute(query.limit(limit).offset(offset)))


def action_names(session: Session) -> list[str]:
    """Return every kind of event the log holds, alphabetically."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
