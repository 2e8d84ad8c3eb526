"""People and teams as the lists show them: one query each, last sign-in included."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.models import Case, SignIn, Team, User


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
    """Return every team by name with how many people and cases it holds."""
    people = select(func.count(User.id)).where(User.team_id == Team.id).scalar_subquery()
    cases = select(func.count(Case.id)).where(Case.team_id == Team.id).scalar_subquery()
    query = select(
        Team.id, Team.name, Team.retired_at, people.label("people"), cases.label("cases")
    ).order_by(Team.name)
    return list(session.execute(query))


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
