"""``flask --app qa_app demo seed``: synthetic demo data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from qa_app.demo.seed import DEMO_LOGINS, seed_demo_data
from qa_app.extensions import db

demo_cli = AppGroup("demo", help="Synthetic demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create synthetic teams, users, cases and audits (once; running again changes nothing)."""
    created = seed_demo_data(db.session)
    db.session.commit()
    click.echo("Demo data created." if created else "Demo data already present; nothing changed.")
    click.echo("Demo sign-ins (synthetic, for demonstration only):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role.label:<14} {login.email:<22} password: {login.password}")
