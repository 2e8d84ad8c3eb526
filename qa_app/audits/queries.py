"""Read-only questions about audits, each one query (no loops over rows in views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from qa_app.models import MANAGING_ROLES, Audit, AuditStatus, Case, Team, TemplateVersion, User


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


@dataclass(frozen=True)
class MyAuditRow:
    """What *My audits* shows of one audit (no template definition, no written text)."""

    id: int
    status: str
    due_date: date | None
    updated_at: datetime
    reference: str
    team: str
    template_title: str

    @property
    def status_enum(self) -> AuditStatus:
        return AuditStatus(self.status)


def my_audit_rows(session: Session, user: User) -> list[MyAuditRow]:
    """Return the user's own audits with the columns *My audits* shows, newest change first."""
    query = (
        select(
            Audit.id,
            Audit.status,
            Audit.due_date,
            Audit.updated_at,
            Case.reference,
            Team.name,
            TemplateVersion.title,
        )
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .where(Audit.auditor_id == user.id)
        .order_by(Audit.updated_at.desc(), Audit.id.desc())
    )
    return [MyAuditRow(*row) for row in session.execute(query)]


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
    audits: list[MyAuditRow]


def dashboard_groups(audits: list[MyAuditRow], today: date) -> list[DashboardGroup]:
    """Return the auditor's audits grouped by what to do next, each group by due date.

    Overdue comes first: an audit past its due date and not yet submitted.
    """

    def overdue(audit: MyAuditRow) -> bool:
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
