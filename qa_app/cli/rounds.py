"""``flask --app qa_app rounds draw``: draw an audit sample, and optionally store and assign it."""

from __future__ import annotations

import sys
from datetime import date
from typing import NoReturn

import click
from flask.cli import AppGroup

from qa_app.extensions import db
from qa_app.models import Role
from qa_app.rounds import queries
from qa_app.rounds.assigning import assign_round_evenly
from qa_app.rounds.operations import (
    RoundDetails,
    RoundRefused,
    check_round,
    confirm_round,
    create_round,
    draw_preview,
    new_seed,
)
from qa_app.sampling.draw import Sample
from qa_app.sampling.rule import PER_TEAM, PERCENT, SamplingRule

rounds_cli = AppGroup("rounds", help="Draw audit samples and assign them.")

# Longer samples are summarised by stratum rather than listed case by case.
LIST_LIMIT = 60


@rounds_cli.command("draw")
@click.option("--name", required=True, help="The round's name.")
@click.option("--template", "template_key", required=True, help="The audit template's key.")
@click.option("--version", type=int, default=None, help="Template version (default: the latest).")
@click.option("--period-start", required=True, help="YYYY-MM-DD")
@click.option("--period-end", required=True, help="YYYY-MM-DD")
@click.option("--due", required=True, help="Due date of the audits, YYYY-MM-DD.")
@click.option("--per-team", type=int, default=None, help="Number of cases per team.")
@click.option("--percent", type=float, default=None, help="Percentage of each team's open cases.")
@click.option("--stratify", is_flag=True, help="Spread each team's cases across case types.")
@click.option(
    "--exclude-months",
    type=int,
    default=12,
    show_default=True,
    help="Leave out cases audited in the last N months (0: none).",
)
@click.option("--include-closed", is_flag=True, help="Draw closed cases too.")
@click.option("--seed", type=int, default=None, help="Repeat an earlier draw (default: random).")
@click.option("--confirm", is_flag=True, help="Store the round and its sample.")
@click.option(
    "--assign-evenly",
    is_flag=True,
    help="After confirming, spread the cases across every active auditor.",
)
def draw(
    name: str,
    template_key: str,
    version: int | None,
    period_start: str,
    period_end: str,
    due: str,
    per_team: int | None,
    percent: float | None,
    stratify: bool,
    exclude_months: int,
    include_closed: bool,
    seed: int | None,
    confirm: bool,
    assign_evenly: bool,
) -> None:
    """Draw a sample and print it; store it only with --confirm."""
    if (per_team is None) == (percent is None):
        _fail("give exactly one of --per-team N or --percent P")
    if assign_evenly and not confirm:
        _fail("--assign-evenly needs --confirm: only a confirmed sample can be assigned")
    dates = {
        flag: _date(flag, text)
        for flag, text in (
            ("--period-start", period_start),
            ("--period-end", period_end),
            ("--due", due),
        )
    }
    template_version = queries.template_version_by_key(db.session, template_key, version)
    if template_version is None:
        which = f"version {version} of " if version is not None else ""
        _fail(f"no {which}template with key {template_key!r} is loaded")
    rule = SamplingRule(
        mode=PER_TEAM if per_team is not None else PERCENT,
        cases_per_team=per_team,
        percent=percent,
        stratify_by_case_type=stratify,
        exclude_audited_within_months=exclude_months,
        exclude_closed=not include_closed,
    )
    details = RoundDetails(
        name,
        template_version,
        dates["--period-start"],
        dates["--period-end"],
        dates["--due"],
        rule,
        seed if seed is not None else new_seed(),
    )
    problems = check_round(details)
    if problems:
        _fail("; ".join(p.message for p in problems))

    click.echo(f"Rule: {rule.describe()}")
    click.echo(f"Seed: {details.seed}")
    if not confirm:
        _print_sample(draw_preview(db.session, rule, details.seed))
        db.session.rollback()
        click.echo("Preview only: nothing was stored. Add --confirm to store this sample.")
        return
    try:
        audit_round = create_round(db.session, None, details)
        sample = confirm_round(db.session, audit_round, None)
    except RoundRefused as refused:
        db.session.rollback()
        _fail("; ".join(p.message for p in refused.problems))
    _print_sample(sample)
    click.echo(f"Stored round {audit_round.id} ({audit_round.name}): {len(sample.selected)} cases.")
    if assign_evenly:
        auditors = [
            u.id for u in queries.possible_auditors(db.session) if u.role == Role.AUDITOR.value
        ]
        assignment = assign_round_evenly(db.session, audit_round, None, auditors)
        click.echo(
            f"Assigned {len(assignment.pairs)} audits across {len(auditors)} auditors, "
            f"due {details.due_date.isoformat()}."
        )
        for case in assignment.unassignable:
            click.echo(f"  not assigned: {case.reference}: {case.reason}")
    db.session.commit()


def _print_sample(sample: Sample) -> None:
    excluded = sample.excluded_counts
    click.echo(
        f"{sample.eligible} eligible cases; {len(sample.selected)} drawn; left out: "
        f"{excluded.closed} closed, {excluded.audited_recently} audited recently."
    )
    if len(sample.selected) <= LIST_LIMIT:
        for case in sample.selected:
            click.echo(f"  {case.reference:<20} {case.stratum}")
    else:
        counts: dict[str, int] = {}
        for case in sample.selected:
            counts[case.stratum] = counts.get(case.stratum, 0) + 1
        click.echo(f"  (more than {LIST_LIMIT} cases: counts by stratum)")
        for stratum, count in counts.items():
            click.echo(f"  {count:>5}  {stratum}")
    for shortfall in sample.shortfalls:
        click.echo(f"Shortfall: {shortfall.message}")


def _date(flag: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        _fail(f"{flag} must be a real date written YYYY-MM-DD, not {text!r}")


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)
