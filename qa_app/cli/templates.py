"""``flask --app qa_app templates ...``: check and load audit template files."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from qa_app.extensions import db
from qa_app.template_format.parser import check_template_files
from qa_app.template_library.loading import (
    apply_template_load,
    describe_plan,
    plan_template_load,
    template_files,
)

templates_cli = AppGroup("templates", help="Check and load audit templates.")


@templates_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check template files; print each problem as file:line:column: message."""
    problems = check_template_files(paths)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"{len(paths)} file(s) checked: no problems.")


@templates_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change without storing anything.")
def load(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Load template files (by default every file in audit_templates/) in one transaction."""
    files = list(paths) or template_files(Path(current_app.config["AUDIT_TEMPLATES_DIR"]))
    if not files:
        click.echo("No template files found.", err=True)
        sys.exit(1)
    plan = plan_template_load(db.session, files)
    for line in describe_plan(plan):
        click.echo(line)
    if plan.problems:
        for problem in plan.problems:
            click.echo(problem)
        click.echo("Nothing was loaded: fix the problems above and load again.", err=True)
        db.session.rollback()
        sys.exit(1)
    if dry_run:
        click.echo(
            f"Dry run: {len(plan.to_store)} version(s) would be stored; nothing was changed."
        )
        db.session.rollback()
        return
    apply_template_load(db.session, plan)
    db.session.commit()
    click.echo(f"{len(plan.to_store)} version(s) stored.")
