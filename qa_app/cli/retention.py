"""``flask --app qa_app retention run [--dry-run]``: purge case detail past its period."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.governance.retention import plan_purge, run_purge
from qa_app.governance.retention_policy import RetentionSettings

retention_cli = AppGroup("retention", help="Purge case detail kept longer than its period.")


def _settings() -> RetentionSettings:
    try:
        return RetentionSettings.from_config(current_app.config)
    except ValueError as problem:
        click.echo(f"Error: {problem} (in instance/config.py)", err=True)
        sys.exit(1)


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Print what would be purged; change nothing.")
def run_command(dry_run: bool) -> None:
    """Purge case references, written text and allocated workers past the retention period,
    and held forms, export files and access log rows past theirs. Grades and figures stay.
    Safe to run again: a run that was stopped carries on where it left off."""
    settings = _settings()
    if dry_run:
        for line in plan_purge(db.session, settings, utcnow()).lines():
            click.echo(line)
        click.echo("Dry run: nothing was changed.")
        return

    def progress(step: str, done: int, total: int) -> None:
        if total:
            click.echo(f"{step}: {done:,} of {total:,}")

    run = run_purge(db.session, settings, started_by="command", progress=progress)
    click.echo(f"Retention run {run.id} finished.")
    for name, number in sorted(run.counts.items()):
        click.echo(f"  {name.replace('_', ' ')}: {number:,}")
