"""``flask --app qa_app users ...`` and ``teams ...``: people and teams from the command line."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.governance import people_operations, people_queries
from qa_app.governance.people_operations import PeopleProblem
from qa_app.models import Role, Team, User
from qa_app.people.operations import UserProblem, create_user

users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="The name shown in the app.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--team", default=None, help="Team name; created if it does not exist.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input, not a prompt."
)
def create(
    email: str, display_name: str, role: str, team: str | None, password_stdin: bool
) -> None:
    """Create a user. The password is read from a prompt or standard input, never an argument."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, email, display_name, Role(role), password, team)
    except UserProblem as problem:
        db.session.rollback()
        click.echo(f"Error: {problem}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        _fail(f"No user has the email {email}")
    return user


def _team(name: str) -> Team:
    team = db.session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))
    if team is None:
        _fail(f"No team is called {name}")
    return team


def _fail(message: str) -> NoReturn:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _apply(change) -> None:
    try:
        change()
    except PeopleProblem as problem:
        _fail(str(problem))
    db.session.commit()


@users_cli.command("list")
def list_users() -> None:
    """List every user: email, name, role, team, status and last sign-in."""
    for row in people_queries.user_rows(db.session):
        last = row.last_sign_in.strftime("%Y-%m-%d %H:%M") if row.last_sign_in else "never"
        status = "active" if row.active else "deactivated"
        click.echo(
            f"{row.email}\t{row.display_name}\t{row.role}\t{row.team or '-'}\t{status}\t{last}"
        )


@users_cli.command("deactivate")
@click.argument("email")
@click.option("--reassign-to", default=None, help="Email of the person who takes their open work.")
def deactivate_command(email: str, reassign_to: str | None) -> None:
    """Deactivate a user: they cannot sign in and their sessions end at once."""
    user = _user(email)
    heir = _user(reassign_to) if reassign_to else None
    moved: dict[str, int] = {}
    _apply(lambda: moved.update(people_operations.deactivate(db.session, user, None, heir)))
    click.echo(
        f"Deactivated {user.email}; reassigned {moved['audits']} audits "
        f"and {moved['actions']} actions."
    )


@users_cli.command("reactivate")
@click.argument("email")
def reactivate_command(email: str) -> None:
    """Let a deactivated user sign in again."""
    user = _user(email)
    _apply(lambda: people_operations.reactivate(db.session, user, None))
    click.echo(f"Reactivated {user.email}.")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role_command(email: str, role: str) -> None:
    """Give a user another role."""
    user = _user(email)
    _apply(lambda: people_operations.set_role(db.session, user, Role(role), None))
    click.echo(f"{user.email} is now {Role(role).label}.")


@users_cli.command("set-team")
@click.argument("email")
@click.argument("team", required=False)
def set_team_command(email: str, team: str | None) -> None:
    """Move a user to a team (leave TEAM out for no team)."""
    user = _user(email)
    chosen = _team(team) if team else None
    _apply(lambda: people_operations.set_team(db.session, user, chosen, None))
    click.echo(f"{user.email} is now in {chosen.name if chosen else 'no team'}.")


teams_cli = AppGroup("teams", help="Manage teams.")


@teams_cli.command("list")
def list_teams() -> None:
    """List every team with its people, cases and audits."""
    for row in people_queries.team_rows(db.session):
        status = "retired" if row.retired_at else "current"
        click.echo(
            f"{row.name}\t{status}\t{row.people} people\t{row.cases} cases\t{row.audits} audits"
        )


@teams_cli.command("add")
@click.argument("name")
def add_team_command(name: str) -> None:
    """Add a team."""
    _apply(lambda: people_operations.add_team(db.session, name, None))
    click.echo(f"Added {' '.join(name.split())}.")


@teams_cli.command("rename")
@click.argument("name")
@click.argument("new_name")
def rename_team_command(name: str, new_name: str) -> None:
    """Rename a team."""
    team = _team(name)
    _apply(lambda: people_operations.rename_team(db.session, team, new_name, None))
    click.echo(f"Renamed {name} to {team.name}.")


@teams_cli.command("merge")
@click.argument("source")
@click.argument("target")
def merge_teams_command(source: str, target: str) -> None:
    """Move SOURCE's cases, audits and people into TARGET and retire SOURCE."""
    from_team, into = _team(source), _team(target)
    counts: dict[str, int] = {}
    _apply(lambda: counts.update(people_operations.merge_teams(db.session, from_team, into, None)))
    click.echo(
        f"Merged {source} into {target}: "
        f"{counts['cases']} cases and {counts['people']} people moved."
    )


@teams_cli.command("retire")
@click.argument("name")
@click.option("--people-to", default=None, help="The team its people join (none if left out).")
def retire_team_command(name: str, people_to: str | None) -> None:
    """Retire a team: it takes no new cases or people; its cases and audits stay in it."""
    team = _team(name)
    into = _team(people_to) if people_to else None
    moved: dict[str, int] = {}
    _apply(lambda: moved.update(people_operations.retire_team(db.session, team, None, into)))
    where = into.name if into else "no team"
    click.echo(f"Retired {team.name}; {moved['people']} people moved to {where}.")
