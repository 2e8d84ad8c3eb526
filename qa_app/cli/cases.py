"""``flask --app qa_app cases ...``: import case lists."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from qa_app.cases.operations import import_case_list
from qa_app.extensions import db

cases_cli = AppGroup("cases", help="Import case lists.")


@cases_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--create-teams", is_flag=True, help="Create teams the file names that do not exist.")
@click.option("--sheet", default=None, help="The sheet to import, in a workbook with several.")
def import_command(path: Path, create_teams: bool, sheet: str | None) -> None:
    """Import a case list (CSV or .xlsx): all of it, or nothing if any row has a problem."""
    with path.open("rb") as stream:
        try:
            result = import_case_list(
                db.session, stream, path.name, None, create_teams=create_teams, sheet=sheet
            )
        except IntegrityError:
            db.session.rollback()
            click.echo(
                "Cases were changed by someone else during the import, so nothing was imported: "
                "import the file again.",
                err=True,
            )
            sys.exit(1)
    if not result.imported:
        db.session.rollback()
        for problem in result.file_problems:
            click.echo(f"{path}: {problem}")
        for problem in result.row_problems:
            click.echo(f"{path}: row {problem.row}, {problem.column}: {problem.message}")
        rows = len({problem.row for problem in result.row_problems})
        if rows:
            click.echo(f"{rows:,} row(s) have problems.", err=True)
        click.echo("Nothing was imported: fix the problems above and import again.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(
        f"Imported {result.rows:,} case(s) from {path.name}: {result.created:,} created, "
        f"{result.updated:,} updated, {result.unchanged:,} unchanged."
    )
    if result.teams_created:
        click.echo(f"Teams created: {', '.join(result.teams_created)}.")
    if result.ignored_columns:
        click.echo(f"Columns not imported: {', '.join(result.ignored_columns)}.")


@cases_cli.command("records")
@click.argument("reference")
def records_command(reference: str) -> None:
    """List every record held about a case reference (for a subject access request)."""
    from qa_app.governance.subject_access import case_records

    lines = case_records(db.session, reference)
    if lines is None:
        click.echo(f"No case has the reference {reference.strip().upper()}.", err=True)
        sys.exit(1)
    for line in lines:
        click.echo(line)
