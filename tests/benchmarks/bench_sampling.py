"""Sampling at scale: 100,000 open synthetic cases in 40 teams, 20,000 earlier audits.

For each engine (SQLite, and PostgreSQL when its binaries are present), best of three, wall
clock and this process's CPU time (the machine is shared: CPU time moves less with other work):

- the eligible-cases query (``sampling_pool``: every case of the rule's teams, marked eligible,
  closed or audited recently by the database);
- ``draw_from_candidates`` (3 per team, stratified by case type) on those candidates;
- the preview end to end (query and draw);
- confirming and assigning a 5% sample: about 4,500 round cases and as many audits and events.

Prints ``BENCH sampling db=<db> cases=100000 eligible_ms=<n> confirm_assign_ms=<n> ...``.
Targets: eligible_ms under 500 and confirm_assign_ms under 2,000 on each engine.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select

from qa_app.extensions import db
from qa_app.models import Audit, AuditEvent, AuditRound, Case, RoundCase, TemplateVersion, User
from qa_app.rounds.assigning import assign_round_evenly
from qa_app.rounds.operations import RoundDetails, confirm_round, create_round, draw_preview
from qa_app.rounds.queries import sampling_pool
from qa_app.sampling.draw import SamplingRule, draw_from_candidates
from tests.benchmarks.council_seed import bench_app, bench_databases, seed_teams_and_auditors

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
    for name, url in bench_databases("sampling"):
        _run(name, url)


def _run(name: str, url: str) -> None:
    app = bench_app(url)
    with app.app_context():
        started = time.perf_counter()
        _fill(random.Random(2026))
        print(
            f"set-up ({name}): {CASES:,} cases, {TEAMS} teams, {len(CASE_TYPES)} case types, "
            f"{AUDITS:,} earlier audits in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        pool = sampling_pool(db.session, STRATIFIED, TODAY)
        figures = {
            "eligible": _measure(lambda: sampling_pool(db.session, STRATIFIED, TODAY)),
            "draw": _measure(
                lambda: draw_from_candidates(pool.candidates, pool.team_names, STRATIFIED, 7)
            ),
            "preview": _measure(lambda: draw_preview(db.session, STRATIFIED, 7, TODAY)),
            "confirm_assign": _measure(_confirm_and_assign, reset=_reset),
        }
        sample = draw_preview(db.session, STRATIFIED, 7, TODAY)
        five = draw_preview(db.session, FIVE_PERCENT, 11, TODAY)
        db.session.rollback()
        db.engine.dispose()
    print(
        f"stratified sample: {len(sample.selected)} cases drawn from {sample.eligible:,} "
        f"eligible; {sample.excluded_counts.audited_recently:,} left out as audited recently; "
        f"5% sample: {len(five.selected):,} round cases and audits across {AUDITORS} auditors"
    )
    times = " ".join(
        f"{key}_ms={wall * 1000:.0f} {key}_cpu_ms={cpu * 1000:.0f}"
        for key, (wall, cpu) in figures.items()
    )
    print(f"BENCH sampling db={name} cases={CASES} round_cases={len(five.selected)} {times}")


def _fill(rng: random.Random) -> None:
    """Insert the templates, teams, auditors, cases and earlier audits (Core executemany)."""
    team_ids, auditor_ids = seed_teams_and_auditors(TEAMS, AUDITORS)
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
    case_ids = list(db.session.scalars(select(Case.id).order_by(Case.id)))
    version_id = db.session.scalar(select(func.min(TemplateVersion.id)))
    now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    db.session.execute(
        insert(Audit),
        [
            {
                "template_version_id": version_id,
                "case_id": case_id,
                "auditor_id": auditor_ids[0],
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
    version = db.session.scalar(select(TemplateVersion).order_by(TemplateVersion.id).limit(1))
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
    new_audits = select(Audit.id).where(Audit.round_id.is_not(None))
    db.session.execute(delete(RoundCase))
    db.session.execute(delete(AuditEvent).where(AuditEvent.audit_id.in_(new_audits)))
    db.session.execute(delete(AuditEvent).where(AuditEvent.audit_id.is_(None)))
    db.session.execute(delete(Audit).where(Audit.round_id.is_not(None)))
    db.session.execute(delete(AuditRound))
    db.session.commit()
    db.session.expunge_all()


def _measure(
    work: Callable[[], Any], repeat: int = 3, reset: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Return the best wall-clock time and the best CPU time of ``work``, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        if reset:
            reset()
        db.session.expire_all()
        # Each run starts from the same heap: garbage left by the set-up or the last run is not
        # collected inside the next one's timing (a full collection here costs 130-190 ms).
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
        db.session.rollback()  # a read leaves no transaction open between runs
    if reset:
        reset()
    return min(walls), min(cpus)


if __name__ == "__main__":
    main()
