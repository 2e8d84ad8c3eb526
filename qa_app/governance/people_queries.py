"""People and teams as the lists show them: one query each, last sign-in included."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.models import Audit, Case, SafeguardingConcern, SignIn, Team, User


def user_rows(session: Session) -> list:
    """Return every user by name: email, name, role, team name, active, last sign-in."""
    last = (
        select(SignIn.user_id, func.max(SignIn.at).label("last_sign_in"))
        .group_by(SignIn.user_id)
        .subquery()
    )
    query = (
        select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            Team.name.label("team"),
            User.active,
            last.c.last_sign_in,
        )
        .outerjoin(Team, Team.id == User.team_id)
        .outerjoin(last, last.c.user_id == User.id)
        .order_by(User.display_name, User.id)
    )
    return list(session.execute(query))


def team_rows(session: Session) -> list:
    """Return every team, current ones first then by name, with how many people, cases and
    audits (of its cases) it holds: one query, counts grouped in SQL."""
    people = select(User.team_id, func.count(User.id).label("n")).group_by(User.team_id).subquery()
    cases = select(Case.team_id, func.count(Case.id).label("n")).group_by(Case.team_id).subquery()
    audits = (
        select(Case.team_id, func.count(Audit.id).label("n"))
        .join(Audit, Audit.case_id == Case.id)
        .group_by(Case.team_id)
        .subquery()
    )
    query = (
        select(
            Team.id,
            Team.name,
            Team.retired_at,
            func.coalesce(people.c.n, 0).label("people"),
            func.coalesce(cases.c.n, 0).label("cases"),
            func.coalesce(audits.c.n, 0).label("audits"),
        )
        .outerjoin(people, people.c.team_id == Team.id)
        .outerjoin(cases, cases.c.team_id == Team.id)
        .outerjoin(audits, audits.c.team_id == Team.id)
        .order_by(Team.retired_at.is_not(None), Team.name)
    )
    return list(session.execute(query))


def team_holdings(session: Session, team_id: int) -> dict[str, int]:
    """Return what a merge would move out of the team: its cases, their audits, its people and
    the safeguarding concerns routed to it."""

    def count(query) -> int:
        return session.scalar(query) or 0

    return {
        "cases": count(select(func.count(Case.id)).where(Case.team_id == team_id)),
        "audits": count(
            select(func.count(Audit.id))
            .join(Case, Case.id == Audit.case_id)
            .where(Case.team_id == team_id)
        ),
        "people": count(select(func.count(User.id)).where(User.team_id == team_id)),
        "concerns": count(
            select(func.count(SafeguardingConcern.id)).where(SafeguardingConcern.team_id == team_id)
        ),
    }


def team_people(session: Session, team_id: int) -> list[str]:
    """Return the names of the team's people, by name."""
    return list(
        session.scalars(
            select(User.display_name).where(User.team_id == team_id).order_by(User.display_name)
        )
    )


def recent_sign_ins(session: Session, user_id: int, limit: int = 10) -> list:
    """Return the user's latest sign-in times, newest first."""
    return list(
        session.scalars(
            select(SignIn.at)
            .where(SignIn.user_id == user_id)
            .order_by(SignIn.at.desc())
            .limit(limit)
        )
    )
