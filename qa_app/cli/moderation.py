"""``flask --app qa_app moderation draw|agreement``: draw audits for moderation by a round's rule
and print the agreement figures the Moderation page shows."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup

from qa_app.agreement import AgreementFigures, KappaEstimate
from qa_app.exports.safe_cells import csv_writer, write_csv_row
from qa_app.extensions import db
from qa_app.models import AuditRound
from qa_app.moderation import drawing
from qa_app.moderation.agreement_report import AgreementFilters, AgreementReport, agreement_report
from qa_app.moderation.problems import ModerationProblem

moderation_cli = AppGroup("moderation", help="Draw audits for moderation and report agreement.")


@moderation_cli.command("draw")
@click.option(
    "--round", "round_id", type=int, default=None, help="Round id (default: audits outside rounds)."
)
@click.option(
    "--percent", type=float, default=None, help="Percentage per auditor (default: the rule's)."
)
@click.option(
    "--seed", type=int, default=None, help="Seed for the draw (default: a new random one)."
)
def draw_command(round_id: int | None, percent: float | None, seed: int | None) -> None:
    """Draw submitted audits for moderation by the round's rule; print what was drawn."""
    if round_id is not None and db.session.get(AuditRound, round_id) is None:
        raise click.ClickException(f"There is no round {round_id}")
    try:
        record = drawing.draw(db.session, round_id, None, seed=seed, percent=percent)
    except ModerationProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    scope = f"round {round_id}" if round_id is not None else "audits outside rounds"
    click.echo(
        f"Drew {record.selected} {'audit' if record.selected == 1 else 'audits'} for moderation "
        f"from {scope} at {record.rule['percent']:g}% per auditor (seed {record.seed})."
    )


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD, for example 2026-04-01") from error


@moderation_cli.command("agreement")
@click.option("--round", "round_id", type=int, default=None, help="Only this round.")
@click.option("--since", default=None, help="Moderated on or after YYYY-MM-DD.")
@click.option(
    "--format", "output", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def agreement_command(round_id: int | None, since: str | None, output: str) -> None:
    """Print the agreement between auditors and moderators, as on the Moderation page."""
    report = agreement_report(db.session, AgreementFilters(since=_date(since), round_id=round_id))
    rows = report_rows(report)
    if output == "csv":
        # Auditors' names are typed by people: written through the formula-safe writer.
        writer = csv_writer(sys.stdout)
        for row in [HEADINGS, *rows]:
            write_csv_row(writer, row)
        return
    click.echo(f"Moderated audits: {report.audits}")
    widths = [max(len(str(r[i])) for r in [HEADINGS, *rows]) for i in range(len(HEADINGS))]
    for row in [HEADINGS, *rows]:
        click.echo(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        )


HEADINGS = (
    "figure",
    "pairs",
    "exact_%",
    "within_one_%",
    "kappa_linear",
    "linear_95_ci",
    "kappa_quadratic",
    "quadratic_95_ci",
    "mean_difference",
)


def _kappa(estimate: KappaEstimate) -> tuple[str, str]:
    if estimate.kappa is None:
        return "", ""
    return f"{estimate.kappa:.3f}", f"{estimate.low:.3f} to {estimate.high:.3f}"


def _row(name: str, figures: AgreementFigures) -> tuple[str, ...]:
    def number(value: float | None, pattern: str) -> str:
        return "" if value is None else pattern.format(value)

    return (
        name,
        str(figures.pairs),
        number(figures.exact_percent, "{:.1f}"),
        number(figures.within_one_percent, "{:.1f}"),
        *_kappa(figures.linear)[:1],
        _kappa(figures.linear)[1],
        *_kappa(figures.quadratic)[:1],
        _kappa(figures.quadratic)[1],
        number(figures.mean_signed_difference, "{:+.3f}"),
    )


def report_rows(report: AgreementReport) -> list[tuple[str, ...]]:
    """Return the report as rows: overall judgement, criteria by scale, then each auditor."""
    rows = [_row(f"Overall judgement ({t.scale})", t.figures) for t in report.overall]
    rows += [_row(f"Criteria ({t.scale})", t.figures) for t in report.criteria]
    if report.criteria_all is not None and report.criteria_all.pairs:
        rows.append(_row("All graded questions", report.criteria_all))
    rows += [_row(f"Auditor: {a.name}", a.criteria) for a in report.auditors]
    return rows
