"""Read-only queries about cases: counts by team and case type, a page of cases, imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.cases.operations import IMPORT_EVENT
from qa_app.models import AuditEvent, Case, Team
from qa_app.template_format.definition import CASE_TYPES

NO_CASE_TYPE = ""


@dataclass(frozen=True)
class TeamCaseCounts:
    team: str
    by_type: dict[str, int]  # case type key -> cases ("" for cases without a type)
    total: int


@dataclass(frozen=True)
class CaseListRow:
    reference: str
    team: str
    case_type: str | None
    allocated_worker: str | None
    opened_on: date | None
    closed_on: date | None

    @property
    def case_type_label(self) -> str:
        """Return the case type as people read it."""
        return CASE_TYPES.get(self.case_type or "", self.case_type or "Not recorded")


def case_counts_by_team(session: Session) -> list[TeamCaseCounts]:
    """Return each team's number of cases of each type, counted in the database, by team name."""
    # Counted by team id before the names are joined: grouping every case row joined to its
    # team's name took most of the case list's time on PostgreSQL at 24,000 cases. Case type
    # first, so SQLite scans the table rather than walking it in team index order (twice as
    # slow).
    per_team = (
        select(Case.team_id, Case.case_type, func.count(Case.id).label("cases"))
        .group_by(Case.case_type, Case.team_id)
        .subquery()
    )
    rows = session.execute(
        select(Team.name, per_team.c.case_type, per_team.c.cases)
        .join(per_team, per_team.c.team_id == Team.id)
        .order_by(Team.name)
    )
    teams: dict[str, dict[str, int]] = {}
    for team, case_type, count in rows:
        counts = teams.setdefault(team, {})
        key = case_type or NO_CASE_TYPE
        counts[key] = counts.get(key, 0) + count
    return [TeamCaseCounts(team, counts, sum(counts.values())) for team, counts in teams.items()]


def count_cases(session: Session) -> int:
    """Return the number of cases."""
    return session.scalar(select(func.count(Case.id))) or 0


def list_cases(
    session: Session, *, limit: int, offset: int, total: int | None = None
) -> list[CaseListRow]:
    """Return a page of cases ordered by team and reference.

    Given the total, a page past the middle is read from the other end in the opposite order
    and turned round (references are unique, so the orders mirror): no OFFSET exceeds half the
    list, and the last page costs what the first does.
    """
    reverse = total is not None and offset + limit / 2 > total / 2
    if reverse:
        limit, offset = max(min(limit, total - offset), 0), max(total - offset - limit, 0)
    keys = [Team.name, Case.reference]
    rows = session.execute(
        select(
            Case.reference,
            Team.name,
            Case.case_type,
            Case.allocated_worker,
            Case.opened_on,
            Case.closed_on,
        )
        .join(Team, Case.team_id == Team.id)
        .order_by(*[key.desc() if reverse else key for key in keys])
        .limit(limit)
        .offset(offset)
    )
    found = [CaseListRow(*row) for row in rows]
    return found[::-1] if reverse else found


def get_import_event(session: Session, event_id: int) -> AuditEvent | None:
    """Return the event recording a case list import, or None when there is no such import."""
    return session.scalar(
        select(AuditEvent).where(AuditEvent.id == event_id, AuditEvent.action == IMPORT_EVENT)
    )
