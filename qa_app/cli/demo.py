"""``flask --app qa_app demo seed``: synthetic demo data; ``demo sign-ins``: how to sign in."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request

import click
from flask.cli import AppGroup

from qa_app.demo.seed import DEMO_LOGINS, seed_demo_data
from qa_app.extensions import db

demo_cli = AppGroup("demo", help="Synthetic demo data.")


def _echo_sign_ins() -> None:
    click.echo("Demo sign-ins (synthetic, for demonstration only):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role.label:<14} {login.email:<22} password: {login.password}")


@demo_cli.command("seed")
def seed() -> None:
    """Create synthetic teams, users, cases and audits (once; running again changes nothing)."""
    created = seed_demo_data(db.session)
    db.session.commit()
    click.echo("Demo data created." if created else "Demo data already present; nothing changed.")
    _echo_sign_ins()


@demo_cli.command("sign-ins")
@click.option(
    "--wait-for",
    "url",
    metavar="URL",
    help="Wait until the service answers at this address (up to a minute), then print it too.",
)
def sign_ins(url: str | None) -> None:
    """Print the demo sign-ins (and, with --wait-for, the address once the service answers)."""
    if url:
        if not _answers(url.rstrip("/") + "/health", seconds=60):
            click.echo(f"The service did not answer at {url}: see the messages above.", err=True)
            sys.exit(1)
        click.echo("")
        click.echo(f"The service is running: open {url} in a browser (Ctrl+C stops it).")
    _echo_sign_ins()


def _answers(url: str, seconds: float) -> bool:
    """Return True once the URL answers 200, trying every half second for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False
