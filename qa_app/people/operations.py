"""Creating users and teams."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.auth.passwords import password_problems
from qa_app.models import Role, Team, User


class UserProblem(ValueError):
    """The user cannot be created as asked; the message says why."""


def find_or_create_team(session: Session, name: str) -> Team:
    """Return the team with this name, creating it when it does not exist."""
    team = session.scalar(select(Team).where(Team.name == name.strip()))
    if team is None:
        team = Team(name=name.strip())
        session.add(team)
    return team


def create_user(
    session: Session, email: str, display_name: str, role: Role, password: str, team: str | None
) -> User:
    """Return a new user, after checking the email is free and the password acceptable."""
    email = email.strip().lower()
    if "@" not in email:
        raise UserProblem("Enter an email address in the correct format, like name@example.org")
    if session.scalar(select(User).where(func.lower(User.email) == email)) is not None:
        raise UserProblem(f"A user with email {email} already exists")
    problems = password_problems(password, email, display_name)
    if problems:
        raise UserProblem(problems[0])
    user = User(email=email, display_name=display_name.strip(), role=role.value, active=True)
    user.set_password(password)
    if team:
        chosen = find_or_create_team(session, team)
        if chosen.retired_at is not None:
            raise UserProblem(f"{chosen.name} is retired: choose a current team")
        user.team = chosen
    session.add(user)
    session.flush()
    return user
