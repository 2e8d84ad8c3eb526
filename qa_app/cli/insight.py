"""``flask --app qa_app insight rebuild``: rebuild the dashboards' rollup from the audits."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from qa_app.extensions import db
from qa_app.insight.rollup import rebuild_rollup

insight_cli = AppGroup("insight", help="Dashboards and their rollup.")


@insight_cli.command("rebuild")
def rebuild() -> None:
    """Empty the dashboards' rollup and rebuild it from every submitted audit, at once."""
    started = time.perf_counter()
    counts = rebuild_rollup(db.session)
    db.session.commit()
    click.echo(
        f"Rollup rebuilt from {counts.audits} audits: {counts.answers} graded answers in "
        f"{counts.cells} monthly cells, {counts.audit_cells} audit cells, "
        f"{counts.agreement_pairs} agreement pair cells ({time.perf_counter() - started:.1f} s)."
    )
