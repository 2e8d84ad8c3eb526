"""``flask --app qa_app pack build``: the leadership pack from the command line."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.models import AuditRound, Role, Team, User
from qa_app.reports.pack_filters import PackFilters
from qa_app.reports.pack_operations import pack_size, record_export, write_pack

pack_cli = AppGroup("pack", help="Make the leadership Excel pack.")


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not a date written YYYY-MM-DD"
        raise click.BadParameter(message, param_hint=name) from None


@pack_cli.command("build")
@click.option("--from", "start", help="Audits submitted on or after this date (YYYY-MM-DD).")
@click.option("--to", "end", help="Audits submitted on or before this date (YYYY-MM-DD).")
@click.option("--team", "teams", multiple=True, help="A team's name (repeat for several).")
@click.option("--template", "templates", multiple=True, help="A template key (repeat).")
@click.option("--round", "rounds", multiple=True, help="An audit round's name (repeat).")
@click.option("--case-level", is_flag=True, help="Add case references and written rationales.")
@click.option("--purpose", help="Why a case-level pack is needed (required with --case-level).")
@click.option("--no-data", is_flag=True, help="Leave out the Data sheet.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The workbook to write.",
)
def build_command(start, end, teams, templates, rounds, case_level, purpose, no_data, out: Path):
    """Write the pack for every team (as an administrator sees it), with a progress bar.

    Each pack is recorded in the event log, made from the command line.
    """
    if case_level and not (purpose or "").strip():
        raise click.UsageError("A case-level pack needs --purpose: say why it is needed.")
    team_ids = _ids(Team, Team.name, teams, "team")
    round_ids = _ids(AuditRound, AuditRound.name, rounds, "round")
    filters = PackFilters(
        period_start=_day(start, "--from"),
        period_end=_day(end, "--to"),
        team_ids=tuple(team_ids),
        template_keys=tuple(templates),
        round_ids=tuple(round_ids),
        case_level=case_level,
        purpose=purpose.strip() if case_level and purpose else None,
        with_data=not no_data,
    )
    # The command line acts for the service as a whole: every team, like an administrator.
    service = User(display_name="Command line", role=Role.ADMIN.value, email="", password_hash="")
    total = pack_size(db.session, service, filters)
    with (
        out.open("wb") as stream,
        click.progressbar(length=max(total, 1), label="Writing the pack", file=sys.stderr) as bar,
    ):
        shown = [0]

        def progress(done: int, _total: int | None, _message: str) -> None:
            bar.update(done - shown[0])
            shown[0] = done

        rows = write_pack(db.session, service, filters, stream, utcnow(), progress)
    record_export(db.session, None, filters, rows, how="command line")
    db.session.commit()
    click.echo(f"Wrote {out} ({rows:,} data rows).")


def _ids(model, name_column, names: tuple[str, ...], what: str) -> list[int]:
    query = select(name_column, model.id).where(name_column.in_(names))
    found = {name: found_id for name, found_id in db.session.execute(query)}
    missing = [n for n in names if n not in found]
    if missing:
        raise click.BadParameter(f"no {what} called {', '.join(missing)}", param_hint=f"--{what}")
    return [found[n] for n in names]
