"""Read-only questions about audits, each one query (no loops over rows in views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from qa_app.models import MANAGING_ROLES, Audit, Case, Team, TemplateVersion, User


def visible_audits(user: User) -> Select[tuple[Audit]]:
    """Return a query for the audits the user may see.

    Auditors see their own; managers see audits of their team's cases (all, when they have no
    team: a head of service); admins see everything.
    """
    query = select(Audit)
    if user.has_role(*MANAGING_ROLES):
        if user.sees_all_teams:
            return query
        return query.join(Audit.case).where(Case.team_id == user.team_id)
    return query.where(Audit.auditor_id == user.id)


def count_visible_audits(session: Session, user: User) -> int:
    """Return how many audits the user may see."""
    return session.scalar(select(func.count()).select_from(visible_audits(user).subquery())) or 0


def list_audits(
    session: Session,
    user: User,
    *,
    own_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Audit]:
    """Return the audits for a list page, newest first, with what the page shows loaded."""
    query = select(Audit).where(Audit.auditor_id == user.id) if own_only else visible_audits(user)
    query = query.options(
        joinedload(Audit.case).joinedload(Case.team),
        joinedload(Audit.template_version),
        joinedload(Audit.auditor),
    ).order_by(Audit.updated_at.desc(), Audit.id.desc())
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.scalars(query).unique())


def get_visible_audit(session: Session, user: User, audit_id: int) -> Audit | None:
    """Return the audit when it exists and the user may see it."""
    query = visible_audits(user).where(Audit.id == audit_id)
    return session.scalar(query)


def latest_template_versions(session: Session) -> list[TemplateVersion]:
    """Return the newest version of each template, by title."""
    versions = session.scalars(
        select(TemplateVersion).order_by(TemplateVersion.key, TemplateVersion.version.desc())
    )
    latest: dict[str, TemplateVersion] = {}
    for version in versions:
        latest.setdefault(version.key, version)
    return sorted(latest.values(), key=lambda v: v.title)


def all_teams(session: Session) -> list[Team]:
    """Return every team by name."""
    return list(session.scalars(select(Team).order_by(Team.name)))


@dataclass(frozen=True)
class DashboardGroup:
    key: str
    title: str
    audits: list[Audit]


def dashboard_groups(audits: list[Audit], today: date) -> list[DashboardGroup]:
    """Return the auditor's audits grouped by what to do next, each group by due date.

    Overdue comes first: an audit past its due date and not yet submitted.
    """

    def overdue(audit: Audit) -> bool:
        return (
            audit.due_date is not None
            and audit.due_date < today
            and not audit.status_enum.is_submitted
        )

    buckets: dict[str, list[Audit]] = {key: [] for key, _ in DASHBOARD_GROUPS}
    for audit in audits:
        if overdue(audit):
            buckets["overdue"].append(audit)
        else:
            buckets[
                audit.status_enum.value if audit.status_enum.value in buckets else "submitted"
            ].append(audit)
    far = date.max
    return [
        DashboardGroup(key, title, sorted(buckets[key], key=lambda a: (a.due_date or far, a.id)))
        for key, title in DASHBOARD_GROUPS
    ]


DASHBOARD_GROUPS = (
    ("overdue", "Overdue"),
    ("returned", "Returned for changes"),
    ("assigned", "Assigned to you, not started"),
    ("draft", "In progress"),
    ("submitted", "Submitted"),
)
