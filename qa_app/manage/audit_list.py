"""The *All audits* list: filters, sort orders, one page of rows and the counts, each one query.

A page costs the same whichever page it is: the page's audit ids are found first from narrow,
indexed columns (ORDER BY ... LIMIT/OFFSET over an index, never over wide rows), then only the
columns the list shows are read for those fifty ids. Template definitions and source text are
never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from qa_app.display import ENGLAND
from qa_app.models import (
    MANAGING_ROLES,
    REPORTED_STATUSES,
    Audit,
    AuditRound,
    Case,
    Team,
    TemplateVersion,
    User,
)

FINAL_JUDGEMENT = func.coalesce(Audit.moderated_overall_judgement, Audit.overall_judgement)
FINAL_SCORE = func.coalesce(Audit.moderated_score, Audit.score)
NO_JUDGEMENT = "none"  # the judgement filter's value for audits without one yet


@dataclass(frozen=True)
class AuditFilters:
    """What the list is narrowed to; None (or "") means any."""

    team_id: int | None = None
    template_key: str | None = None
    round_id: int | None = None
    status: str | None = None
    judgement: str | None = None
    auditor_id: int | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    reference: str | None = None


@dataclass(frozen=True)
class SortColumn:
    label: str
    keys: tuple[ColumnElement, ...]
    joins: frozenset[str]
    descending_first: bool = False


# The sortable columns, each with the key it sorts by and the tables that key needs.
SORTS: dict[str, SortColumn] = {
    "audit": SortColumn("Audit", (Audit.id,), frozenset(), descending_first=True),
    "case": SortColumn("Case", (Case.reference,), frozenset({"case"})),
    "team": SortColumn("Team", (Team.name,), frozenset({"case", "team"})),
    "auditor": SortColumn("Auditor", (User.display_name,), frozenset({"auditor"})),
    "status": SortColumn("Status", (Audit.status,), frozenset()),
    "submitted": SortColumn("Submitted", (Audit.submitted_at,), frozenset(), descending_first=True),
    "score": SortColumn("Score", (FINAL_SCORE,), frozenset(), descending_first=True),
    "changed": SortColumn("Last changed", (Audit.updated_at,), frozenset(), descending_first=True),
}
DEFAULT_SORT = "changed"


@dataclass(frozen=True)
class ListOrder:
    sort: str = DEFAULT_SORT
    descending: bool = True

    @classmethod
    def read(cls, sort: str | None, order: str | None) -> ListOrder:
        """Return the order asked for in the URL, or the default for anything unknown."""
        if sort not in SORTS:
            return cls()
        if order not in ("asc", "desc"):
            return cls(sort, SORTS[sort].descending_first)
        return cls(sort, order == "desc")

    def query_args(self) -> dict[str, str]:
        """Return the order as URL arguments (none for the default order)."""
        if self == ListOrder():
            return {}
        return {"sort": self.sort, "order": self.url_value}

    @property
    def url_value(self) -> str:
        return "desc" if self.descending else "asc"


@dataclass(frozen=True)
class AuditListRow:
    id: int
    reference: str
    team: str
    template_title: str
    template_version: int
    template_version_id: int
    auditor: str
    status: str
    overall_judgement: str | None
    moderated_overall_judgement: str | None
    score: float | None
    moderated_score: float | None
    submitted_at: datetime | None
    updated_at: datetime

    @property
    def final_judgement(self) -> str | None:
        """The moderator's overall judgement where there is one, else the auditor's."""
        return self.moderated_overall_judgement or self.overall_judgement

    @property
    def final_score(self) -> float | None:
        return self.moderated_score if self.moderated_score is not None else self.score

    @property
    def changed_by_moderator(self) -> bool:
        """True when a moderator gave a different overall judgement from the auditor's."""
        return (
            self.moderated_overall_judgement is not None
            and self.moderated_overall_judgement != self.overall_judgement
        )


@dataclass(frozen=True)
class ListCounts:
    audits: int  # every audit matching the filters
    by_final_judgement: dict[str | None, int]  # submitted ones, by final overall judgement

    @property
    def submitted(self) -> int:
        return sum(self.by_final_judgement.values())


def _conditions(user: User, filters: AuditFilters) -> list[ColumnElement]:
    """Return the WHERE conditions for the user's scope and the filters.

    Conditions on the case are subqueries on the cases table, so the audits side is read from
    the list index alone, with no join per row.
    """
    conditions: list[ColumnElement] = []
    if not user.has_role(*MANAGING_ROLES):
        conditions.append(Audit.auditor_id == user.id)
    elif not user.sees_all_teams:
        conditions.append(Audit.case_id.in_(select(Case.id).where(Case.team_id == user.team_id)))
    if filters.team_id:
        conditions.append(Audit.case_id.in_(select(Case.id).where(Case.team_id == filters.team_id)))
    if filters.reference:
        pattern = "%" + _escape_like(filters.reference.strip().upper()) + "%"
        conditions.append(
            Audit.case_id.in_(select(Case.id).where(Case.reference.like(pattern, escape="\\")))
        )
    if filters.template_key:
        conditions.append(
            Audit.template_version_id.in_(
                select(TemplateVersion.id).where(TemplateVersion.key == filters.template_key)
            )
        )
    if filters.round_id:
        conditions.append(Audit.round_id == filters.round_id)
    if filters.status:
        conditions.append(Audit.status == filters.status)
    if filters.judgement == NO_JUDGEMENT:
        conditions.append(FINAL_JUDGEMENT.is_(None))
    elif filters.judgement:
        conditions.append(
            or_(
                Audit.moderated_overall_judgement == filters.judgement,
                and_(
                    Audit.moderated_overall_judgement.is_(None),
                    Audit.overall_judgement == filters.judgement,
                ),
            )
        )
    if filters.auditor_id:
        conditions.append(Audit.auditor_id == filters.auditor_id)
    # Dates are days as read in England; submitted_at is stored in UTC.
    if filters.submitted_from:
        conditions.append(Audit.submitted_at >= _england_start(filters.submitted_from))
    if filters.submitted_to:
        conditions.append(
            Audit.submitted_at < _england_start(filters.submitted_to + timedelta(days=1))
        )
    return conditions


def _england_start(day: date) -> datetime:
    """Return the UTC moment a day starts on a clock in England."""
    return datetime.combine(day, time(), ENGLAND).astimezone(UTC)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _with_joins(query: Select, joins: frozenset[str]) -> Select:
    if "case" in joins:
        query = query.join(Case, Case.id == Audit.case_id)
    if "team" in joins:
        query = query.join(Team, Team.id == Case.team_id)
    if "auditor" in joins:
        query = query.join(User, User.id == Audit.auditor_id)
    return query


def _order_by(order: ListOrder, *, reverse: bool = False) -> list[ColumnElement]:
    descending = order.descending != reverse
    keys = [*SORTS[order.sort].keys, Audit.id]
    return [key.desc() if descending else key.asc() for key in keys]


def audit_list_counts(session: Session, user: User, filters: AuditFilters) -> ListCounts:
    """Return how many audits match, and the submitted ones by final overall judgement.

    One query grouped by the stored columns themselves (status, the auditor's and the
    moderator's judgement), which the list index holds in that order: the database counts from
    the index without sorting; the few groups are then folded into final judgements.
    """
    query = (
        select(
            Audit.status,
            Audit.overall_judgement,
            Audit.moderated_overall_judgement,
            func.count(),
        )
        .where(*_conditions(user, filters))
        .group_by(Audit.status, Audit.overall_judgement, Audit.moderated_overall_judgement)
    )
    total = 0
    by_judgement: dict[str | None, int] = {}
    for status, judgement, moderated, count in session.execute(query):
        total += count
        if status in REPORTED_STATUSES:
            final = moderated or judgement
            by_judgement[final] = by_judgement.get(final, 0) + count
    return ListCounts(total, by_judgement)


def audit_list_page(
    session: Session,
    user: User,
    filters: AuditFilters,
    order: ListOrder,
    *,
    limit: int,
    offset: int,
    total: int,
) -> list[AuditListRow]:
    """Return one page of the audits matching the filters, in the order asked for.

    Past the middle of the list the page is read from the other end, in the opposite order, and
    turned round: an OFFSET is never more than half the list, so the last page costs what the
    first does. Every sort key ends with the audit id, so both orders are exact mirrors.
    """
    reverse = offset + limit / 2 > total / 2
    if reverse:
        limit, offset = max(min(limit, total - offset), 0), max(total - offset - limit, 0)
    sort = SORTS[order.sort]
    page_ids = (
        _with_joins(select(Audit.id.label("id")), sort.joins)
        .where(*_conditions(user, filters))
        .order_by(*_order_by(order, reverse=reverse))
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    query = (
        select(
            Audit.id,
            Case.reference,
            Team.name,
            TemplateVersion.title,
            TemplateVersion.version,
            Audit.template_version_id,
            User.display_name,
            Audit.status,
            Audit.overall_judgement,
            Audit.moderated_overall_judgement,
            Audit.score,
            Audit.moderated_score,
            Audit.submitted_at,
            Audit.updated_at,
        )
        .select_from(page_ids)
        .join(Audit, Audit.id == page_ids.c.id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(User, User.id == Audit.auditor_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .order_by(*_order_by(order, reverse=reverse))
    )
    rows = [AuditListRow(*row) for row in session.execute(query)]
    return rows[::-1] if reverse else rows


@dataclass(frozen=True)
class FilterChoices:
    teams: list[tuple[int, str]]
    templates: list[tuple[str, str]]
    rounds: list[tuple[int, str]]
    auditors: list[tuple[int, str]]


def filter_choices(session: Session, user: User) -> FilterChoices:
    """Return what the filters offer: teams the user sees, templates, rounds and auditors."""
    teams = select(Team.id, Team.name).order_by(Team.name)
    if not user.sees_all_teams:
        teams = teams.where(Team.id == user.team_id)
    templates = (
        select(TemplateVersion.key, func.max(TemplateVersion.title))
        .group_by(TemplateVersion.key)
        .order_by(func.max(TemplateVersion.title))
    )
    rounds = select(AuditRound.id, AuditRound.name).order_by(AuditRound.id.desc())
    auditors = (
        select(User.id, User.display_name)
        .where(User.id.in_(select(Audit.auditor_id).distinct()))
        .order_by(User.display_name, User.id)
    )
    return FilterChoices(
        teams=[tuple(row) for row in session.execute(teams)],
        templates=[tuple(row) for row in session.execute(templates)],
        rounds=[tuple(row) for row in session.execute(rounds)],
        auditors=[tuple(row) for row in session.execute(auditors)],
    )


def judgement_options(session: Session) -> list[tuple[str, str]]:
    """Return every overall judgement the stored templates offer, as (value, label), best first
    as the scales order them (the latest version's label where versions differ)."""
    versions = session.scalars(
        select(TemplateVersion).order_by(TemplateVersion.key, TemplateVersion.version.desc())
    )
    options: dict[str, str] = {}
    for version in versions:  # each definition is parsed once per process, then kept
        definition = version.definition
        for option in definition.scale(definition.overall.scale).options:
            options.setdefault(option.value, option.label)
    return list(options.items())
