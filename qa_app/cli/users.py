"""``flask --app qa_app users ...``: create users."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from qa_app.extensions import db
from qa_app.models import Role
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
