"""Reading the access log: who viewed a case's audits, and what a person viewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qa_app.governance.filters import DateRange
from qa_app.models import AccessRecord, Case, User

# Readable names for the pages that record views; others show their endpoint name.
PAGE_NAMES = {
    "audits.view": "Audit (read only)",
    "audits.edit": "Audit task list",
    "audits.section": "Audit section",
    "audits.overall": "Overall judgement",
    "audits.practice": "Working with the practitioner and the family",
    "manage.audit_detail": "Audit detail",
    "manage.return_audit": "Return an audit",
    "follow_up.audit_actions": "Audit actions",
    "follow_up.edit_action": "Change an action",
    "follow_up.raise_concern": "Raise a safeguarding concern",
    "follow_up.concern_raised": "Safeguarding concern raised",
    "follow_up.acknowledge_concern": "Safeguarding concern",
    "governance.case_audits": "A case's audits",
}


def page_name(endpoint: str) -> str:
    """Return the readable name of the page an access was made from."""
    return PAGE_NAMES.get(endpoint, endpoint)


@dataclass(frozen=True)
class AccessFilter:
    user_id: int | None = None
    case_reference: str | None = None
    dates: DateRange = DateRange()


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    user_name: str
    user_email: str
    case_reference: str | None
    audit_id: int | None
    kind: str
    page: str


def _filtered(columns: Select, chosen: AccessFilter) -> Select:
    query = columns
    if chosen.user_id is not None:
        query = query.where(AccessRecord.user_id == chosen.user_id)
    if chosen.case_reference:
        case_id = select(Case.id).where(Case.reference == chosen.case_reference.strip().upper())
        query = query.where(AccessRecord.case_id == case_id.scalar_subquery())
    start, end = chosen.dates.bounds()
    if start is not None:
        query = query.where(AccessRecord.at >= start)
    if end is not None:
        query = query.where(AccessRecord.at < end)
    return query


def count_access(session: Session, chosen: AccessFilter) -> int:
    """Return how many access records the filter matches."""
    return session.scalar(_filtered(select(func.count(AccessRecord.id)), chosen)) or 0


def access_rows_query(chosen: AccessFilter, *, oldest_first: bool = False) -> Select:
    """Return the select of the matching access records, newest first (or oldest first), as
    AccessRow columns."""
    order = (AccessRecord.at, AccessRecord.id)
    return _filtered(
        select(
            AccessRecord.at,
            User.display_name,
            User.email,
            Case.reference,
            AccessRecord.audit_id,
            AccessRecord.kind,
            AccessRecord.page,
        )
        .join(User, User.id == AccessRecord.user_id)
        .outerjoin(Case, Case.id == AccessRecord.case_id),
        chosen,
    ).order_by(*(order if oldest_first else (column.desc() for column in order)))


def list_access(
    session: Session, chosen: AccessFilter, *, limit: int, offset: int, oldest_first: bool = False
) -> list[AccessRow]:
    """Return one page of matching access records, newest first (or oldest first)."""
    query = access_rows_query(chosen, oldest_first=oldest_first)
    rows = session.execute(query.limit(limit).offset(offset))
    return [AccessRow(*row) for row in rows]


def people_choices(session: Session) -> list[tuple[str, str]]:
    """Return (id, "Name (email)") for every user, by name, for the person filters."""
    users = session.execute(
        select(User.id, User.display_name, User.email).order_by(User.display_name)
    )
    return [(str(user_id), f"{name} ({email})") for user_id, name, email in users]
