"""Sampling at scale: 100,000 open synthetic cases in 40 teams, 20,000 earlier audits.

Times (best of three) and peak Python memory (tracemalloc, measured in a separate run so it does
not slow the timed one) for: the eligible-cases query, ``draw_sample`` (3 per team, stratified by
case type), the preview end to end (query and draw), and confirming and assigning a 5% sample
(about 5,000 round cases and audits, written with executemany). Fresh SQLite database, schema by
the real migrations. Baseline to compare against: the figures printed on the same machine before
a change.
"""

from __future__ import annotations

import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import delete, func, insert, select

from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditEvent,
    AuditRound,
    Case,
    Role,
    RoundCase,
    Team,
    TemplateVersion,
    User,
)
from qa_app.people.operations import create_user
from qa_app.rounds.assigning import assign_round_evenly
from qa_app.rounds.operations import RoundDetails, confirm_round, create_round, draw_preview
from qa_app.rounds.queries import sampling_candidates
from qa_app.sampling.draw import SamplingRule, draw_sample
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files

ROOT = Path(__file__).resolve().parents[2]
CASES = 100_000
TEAMS = 40
AUDITS = 20_000
AUDITORS = 60
CASE_TYPES = (
    "Child in need",
    "Child protection",
    "Looked after",
    "Early help",
    "Care leaver",
    "Disabled children",
    "Youth justice",
    "Private fostering",
)
TODAY = date(2026, 6, 1)
STRATIFIED = SamplingRule(mode="per_team", cases_per_team=3, stratify_by_case_type=True)
FIVE_PERCENT = SamplingRule(mode="percent", percent=5)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "AUDIT_TEMPLATES_DIR": str(ROOT / "audit_templates"),
            }
        )
        with app.app_context():
            started = time.perf_counter()
            upgrade()
            _fill(random.Random(2026))
            print(
                f"set-up: {CASES:,} cases, {TEAMS} teams, {len(CASE_TYPES)} case types, "
                f"{AUDITS:,} earlier audits in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            candidates = sampling_candidates(db.session)
            rows = [
                ("eligible-cases query", lambda: sampling_candidates(db.session)),
                (
                    "draw_sample, 3 per team, stratified",
                    lambda: draw_sample(candidates, STRATIFIED, 7, TODAY),
                ),
                ("preview end to end", lambda: draw_preview(db.session, STRATIFIED, 7, TODAY)),
            ]
            results = [(label, *_measure(work)) for label, work in rows]
            results.append(
                ("confirm + assign 5% sample", *_measure(_confirm_and_assign, reset=_reset))
            )
            sample = draw_sample(candidates, STRATIFIED, 7, TODAY)
            print(
                f"stratified sample: {len(sample.selected)} cases drawn from {sample.eligible:,} "
                f"eligible; {sample.excluded_counts.audited_recently:,} left out as audited "
                f"recently; {len(sample.shortfalls)} shortfalls"
            )
            five = draw_sample(candidates, FIVE_PERCENT, 11, TODAY)
            print(
                f"5% sample: {len(five.selected):,} round cases stored and as many audits "
                f"assigned across {AUDITORS} auditors"
            )
        _print_table(results)


def _fill(rng: random.Random) -> None:
    """Insert the templates, teams, auditors, cases and earlier audits (Core executemany)."""
    plan = plan_template_load(db.session, template_files(ROOT / "audit_templates"))
    apply_template_load(db.session, plan)
    db.session.execute(
        insert(Team), [{"name": f"Team {n:02d} (synthetic)"} for n in range(1, TEAMS + 1)]
    )
    team_ids = list(db.session.scalars(select(Team.id).order_by(Team.id)))
    for n in range(AUDITORS):
        create_user(
            db.session,
            f"auditor{n}@example.org",
            f"Auditor {n} (synthetic)",
            Role.AUDITOR,
            "benchmark-password",
            f"Team {n % TEAMS + 1:02d} (synthetic)",
        )
    weights = [rng.random() + 0.2 for _ in CASE_TYPES]
    db.session.execute(
        insert(Case),
        [
            {
                "reference": f"SYN-{n:06d}",
                "team_id": rng.choice(team_ids),
                "case_type": rng.choices(CASE_TYPES, weights)[0],
                "opened_on": TODAY - timedelta(days=rng.randrange(1, 2000)),
            }
            for n in range(1, CASES + 1)
        ],
    )
    case_ids = list(db.session.scalars(select(Case.id)))
    version_id = db.session.scalar(select(TemplateVersion.id).limit(1))
    auditor_id = db.session.scalar(select(func.min(User.id)))
    now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    db.session.execute(
        insert(Audit),
        [
            {
                "template_version_id": version_id,
                "case_id": case_id,
                "auditor_id": auditor_id,
                "status": "submitted",
                "lock_version": 1,
                # Spread over two years: about half fall inside the 12-month exclusion.
                "created_at": now - timedelta(days=rng.randrange(1, 730)),
            }
            for case_id in rng.sample(case_ids, AUDITS)
        ],
    )
    db.session.commit()


def _confirm_and_assign() -> None:
    version = db.session.scalar(select(TemplateVersion).limit(1))
    details = RoundDetails(
        "Benchmark round (synthetic)",
        version,
        TODAY,
        TODAY + timedelta(days=29),
        TODAY + timedelta(days=44),
        FIVE_PERCENT,
        11,
    )
    audit_round = create_round(db.session, None, details)
    confirm_round(db.session, audit_round, None, today=TODAY)
    auditors = list(db.session.scalars(select(User.id)))
    assign_round_evenly(db.session, audit_round, None, auditors)
    db.session.commit()


def _reset() -> None:
    """Remove what ``_confirm_and_assign`` stored, so each run starts from the same data."""
    round_ids = select(AuditRound.id)
    new_audits = select(Audit.id).where(Audit.round_id.in_(round_ids))
    db.session.execute(delete(RoundCase))
    db.session.execute(delete(AuditEvent).where(AuditEvent.audit_id.in_(new_audits)))
    db.session.execute(delete(AuditEvent).where(AuditEvent.audit_id.is_(None)))
    db.session.execute(delete(Audit).where(Audit.round_id.is_not(None)))
    db.session.execute(delete(AuditRound))
    db.session.commit()
    db.session.expunge_all()


def _measure(work: Callable[[], Any], repeat: int = 3, reset: Callable[[], None] | None = None):
    """Return (best time in seconds, peak traced memory in MiB) of ``work``."""
    times = []
    for _ in range(repeat):
        if reset:
            reset()
        db.session.expire_all()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    if reset:
        reset()
    db.session.expire_all()
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if reset:
        reset()
    return min(times), peak / 2**20


def _print_table(results: list[tuple[str, float, float]]) -> None:
    width = max(len(label) for label, _, _ in results)
    print(f"{'step':<{width}}  {'best time':>10}  {'peak memory':>12}")
    for label, seconds, mebibytes in results:
        print(f"{label:<{width}}  {seconds * 1000:>7.0f} ms  {mebibytes:>8.1f} MiB")


if __name__ == "__main__":
    main()
