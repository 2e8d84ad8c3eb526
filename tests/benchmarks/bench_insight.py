"""Dashboards on a year of a large council: 25,000 synthetic audits, 1,000,000 answers.

For SQLite (and PostgreSQL where its binaries are present) the schema is built by the
migrations, the shipped templates are loaded, a year of audits is written with Core bulk inserts
(20 teams, 12 monthly rounds, a fifth moderated, actions and concerns) and the rollup is rebuilt
(``flask --app qa_app insight rebuild`` does the same). Then each dashboard view is requested
through the Flask test client, signed in as an administrator, several times:

    BENCH insight view=<name> db=<db> median_ms=<n> p95_ms=<n> queries=<n> cold_ms=<n> ratio=<r>

``cold_ms`` is the first request of the view (charts not yet drawn for those figures);
``ratio`` is the median against the slowest raw GROUP BY over the answers a dashboard would need
without the rollup, timed in the same run (``BENCH insight raw=...`` lines).
Run with ``python -m tests.benchmarks bench_insight``; ``INSIGHT_BENCH_AUDITS`` makes it smaller;
``INSIGHT_BENCH_SQLITE`` (a file) and ``INSIGHT_BENCH_POSTGRES_URL`` keep the seeded databases
for the next run instead of throwaway ones.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import and_, event, func, insert, select

from qa_app import create_app
from qa_app.extensions import db
from qa_app.insight.filters import add_months
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import (
    Action,
    Answer,
    Audit,
    AuditRound,
    Case,
    Role,
    SafeguardingConcern,
    Team,
    TemplateVersion,
    User,
)
from qa_app.people.operations import create_user
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files

AUDITS = int(os.environ.get("INSIGHT_BENCH_AUDITS", "25000"))
ANSWERS_PER_AUDIT = 40
TEAMS = 20
REPEATS = 7
PASSWORD = "bench synthetic insight pass"
ROOT = Path(__file__).resolve().parents[2]
CASE_TYPES = ("contact_referral", "early_help", "child_in_need", "child_protection")


def main() -> None:
    kept_sqlite = os.environ.get("INSIGHT_BENCH_SQLITE")
    if kept_sqlite:
        run("sqlite", f"sqlite:///{kept_sqlite}", Path(kept_sqlite).parent)
    else:
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{folder}/bench.sqlite3", Path(folder))
    kept_postgres = os.environ.get("INSIGHT_BENCH_POSTGRES_URL")
    if kept_postgres:
        run("postgresql", kept_postgres, Path(tempfile.gettempdir()))
        return
    try:
        from tests.postgres import PostgresUnavailable, throwaway_cluster

        with throwaway_cluster() as url, tempfile.TemporaryDirectory() as folder:
            run("postgresql", url, Path(folder))
    except (PostgresUnavailable, FileNotFoundError) as error:
        print(f"BENCH insight db=postgresql skipped: {error}")


def run(name: str, url: str, folder: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "AUDIT_TEMPLATES_DIR": str(ROOT / "audit_templates"),
        }
    )
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        # A database kept from an earlier run (INSIGHT_BENCH_SQLITE, INSIGHT_BENCH_POSTGRES_URL)
        # is used as it is: seeding PostgreSQL takes many minutes on a busy machine.
        already = db.session.scalar(select(func.count(Answer.id)))
        answers = already or seed(db.session)
        db.session.commit()
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        counts = rebuild_rollup(db.session)
        db.session.commit()
        rebuilt = time.perf_counter() - started
        print(
            f"BENCH insight db={name} seeded_answers={answers} seed_s={seeded:.1f} "
            f"rebuild_s={rebuilt:.1f} facts={counts.answers} cells={counts.cells}",
            flush=True,
        )
        slowest = max(raw_group_bys(db.session, name).values())
        team_id = db.session.scalar(select(Team.id).order_by(Team.id))
        round_id = db.session.scalar(select(AuditRound.id).order_by(AuditRound.id.desc()))
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": "bench-admin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    views = {
        "dashboard": "/insight",
        "dashboard_team": f"/insight?team={team_id}",
        "dashboard_3_months_auditor": "/insight?period=3&grade=auditor",
        "dashboard_template_round": f"/insight?template=front-door&version-from=1&round={round_id}",
        "dashboard_case_type": "/insight?case-type=child_protection&period=6",
        "dashboard_template": "/insight?template=cin-cp",
        "dashboard_round_6_months": f"/insight?round={round_id}&period=6",
        "finding": "/insight/findings/strategy-timescales",
        "api_heat_map": "/api/insight/heat-map",
        "api_findings": "/api/insight/findings",
        "api_programme": "/api/insight/programme",
        "api_follow_up": "/api/insight/follow-up",
        "api_moderation": "/api/insight/moderation",
    }
    with app.app_context():
        engine = db.engine
    for view, url in views.items():
        statements: list[str] = []

        def count(*args, statements=statements) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        cold = (time.perf_counter() - started) * 1000
        event.remove(engine, "before_cursor_execute", count)
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        p95 = sorted(times)[max(int(len(times) * 0.95) - 1, 0)]
        print(
            f"BENCH insight view={view} db={name} median_ms={median:.0f} p95_ms={p95:.0f} "
            f"queries={len(statements)} cold_ms={cold:.0f} ratio={median / slowest:.2f}",
            flush=True,
        )
    with app.app_context():
        db.engine.dispose()


def raw_group_bys(session, name: str) -> dict[str, float]:
    """Time the GROUP BYs a dashboard would run over the answers themselves; return ms each."""
    year_ago = datetime.now(UTC) - timedelta(days=365)
    reported = and_(Audit.submitted_at >= year_ago, Audit.status.in_(["submitted", "moderated"]))
    queries = {
        "team_x_criterion": select(
            Case.team_id, Answer.lineage_key, func.count(), func.avg(Answer.score)
        )
        .join(Audit, Audit.id == Answer.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .where(reported, Answer.score.is_not(None))
        .group_by(Case.team_id, Answer.lineage_key),
        "criterion_by_month": select(
            Answer.lineage_key, Audit.round_id, func.count(), func.avg(Answer.score)
        )
        .join(Audit, Audit.id == Answer.audit_id)
        .where(reported, Answer.score.is_not(None))
        .group_by(Answer.lineage_key, Audit.round_id),
        "judgement_by_team": select(Case.team_id, Audit.overall_judgement, func.count())
        .join(Case, Case.id == Audit.case_id)
        .where(reported)
        .group_by(Case.team_id, Audit.overall_judgement),
    }
    times = {}
    for key, query in queries.items():
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            session.execute(query).all()
            runs.append((time.perf_counter() - started) * 1000)
        times[key] = statistics.median(runs)
        print(f"BENCH insight raw={key} db={name} median_ms={times[key]:.0f}", flush=True)
    return times


def seed(session) -> int:
    """Write a synthetic year: teams, users, rounds, cases, audits, answers, actions, concerns."""
    rng = random.Random(7)
    plan = plan_template_load(session, template_files(ROOT / "audit_templates"))
    assert not plan.problems, plan.problems
    apply_template_load(session, plan)
    create_user(
        session, "bench-admin@example.org", "Bench admin (synthetic)", Role.ADMIN, PASSWORD, None
    )
    auditor = create_user(
        session,
        "bench-auditor@example.org",
        "Bench auditor (synthetic)",
        Role.AUDITOR,
        PASSWORD,
        None,
    )
    session.flush()
    versions = {v.key: v for v in session.scalars(select(TemplateVersion))}
    graded = {key: _answer_plan(version.definition) for key, version in versions.items()}
    team_ids = (
        session.execute(
            insert(Team).returning(Team.id, sort_by_parameter_order=True),
            [{"name": f"Bench team {n} (synthetic)"} for n in range(TEAMS)],
        )
        .scalars()
        .all()
    )
    this_month = date.today().replace(day=1)
    months = [add_months(this_month, n - 12) for n in range(12)]
    round_ids = (
        session.execute(
            insert(AuditRound).returning(AuditRound.id, sort_by_parameter_order=True),
            [
                {
                    "name": f"Bench round {month:%B %Y} (synthetic)",
                    "template_version_id": versions["front-door"].id,
                    "period_start": month,
                    "period_end": add_months(month, 1) - timedelta(days=1),
                    "due_date": add_months(month, 1),
                    "rule": {"synthetic": True},
                    "seed": 1,
                    "status": "confirmed",
                }
                for month in months
            ],
        )
        .scalars()
        .all()
    )
    case_ids = (
        session.execute(
            insert(Case).returning(Case.id, sort_by_parameter_order=True),
            [
                {
                    "reference": f"SYN-B{n:07d}",
                    "team_id": team_ids[n % TEAMS],
                    "case_type": CASE_TYPES[n % 4],
                }
                for n in range(AUDITS)
            ],
        )
        .scalars()
        .all()
    )
    keys = ("front-door", "cin-cp")
    audits = []
    for n, case_id in enumerate(case_ids):
        month_index = n % 12
        key = keys[n % 2]
        moderated = n % 5 == 0
        submitted = datetime(
            months[month_index].year, months[month_index].month, 1 + n % 27, 12, tzinfo=UTC
        )
        judgement = ("outstanding", "good", "requires_improvement", "inadequate")[
            rng.choices(range(4), (1, 4, 4, 2))[0]
        ]
        audits.append(
            {
                "template_version_id": versions[key].id,
                "case_id": case_id,
                "auditor_id": auditor.id,
                "status": "moderated" if moderated else "submitted",
                "submitted_at": submitted,
                "overall_judgement": judgement,
                "score": rng.random(),
                "round_id": round_ids[month_index] if key == "front-door" else None,
                "due_date": submitted.date(),
                "lock_version": 1,
                "moderated_at": submitted + timedelta(days=5) if moderated else None,
                "moderated_overall_judgement": judgement if moderated else None,
                "moderated_score": rng.random() if moderated else None,
                "created_at": submitted,
                "updated_at": submitted,
            }
        )
    audit_ids = []
    for start in range(0, len(audits), 5000):
        audit_ids += (
            session.execute(
                insert(Audit).returning(Audit.id, sort_by_parameter_order=True),
                audits[start : start + 5000],
            )
            .scalars()
            .all()
        )
    total = 0
    batch: list[dict] = []
    for n, audit_id in enumerate(audit_ids):
        moderated = n % 5 == 0
        for key, section, lineage, options in graded[keys[n % 2]][:ANSWERS_PER_AUDIT]:
            value, score = options[rng.randrange(len(options))] if options else ("text", None)
            batch.append(
                {
                    "audit_id": audit_id,
                    "criterion_key": key,
                    "lineage_key": lineage,
                    "section_key": section,
                    "value": value,
                    "score": score,
                    "moderated_value": value if moderated else None,
                    "moderated_score": score if moderated else None,
                }
            )
        if len(batch) >= 20000:
            session.execute(insert(Answer), batch)
            total += len(batch)
            batch = []
    if batch:
        session.execute(insert(Answer), batch)
        total += len(batch)
    session.execute(
        insert(Action),
        [
            {
                "audit_id": audit_id,
                "description": "Synthetic bench action",
                "owner_role": "Team manager",
                "due_date": audits[4 * n]["submitted_at"].date() + timedelta(days=30),
                "status": "done" if n % 3 else "open",
                # Raised with the audit, done within three weeks: spread over the year.
                "created_at": audits[4 * n]["submitted_at"],
                "completed_at": audits[4 * n]["submitted_at"] + timedelta(days=n % 21)
                if n % 3
                else None,
            }
            for n, audit_id in enumerate(audit_ids[::4])
        ],
    )
    now = datetime.now(UTC)
    session.execute(
        insert(SafeguardingConcern),
        [
            {
                "audit_id": audit_id,
                "case_id": case_ids[n * 200],
                "team_id": team_ids[n % TEAMS],
                "raised_by_id": auditor.id,
                "description": "Synthetic bench concern",
                "raised_at": now - timedelta(days=n * 3),
                "respond_by": now - timedelta(days=n * 3 - 1),
                "acknowledged_at": now - timedelta(days=n * 3, hours=-5),
            }
            for n, audit_id in enumerate(audit_ids[::200])
        ],
    )
    session.flush()
    assert session.scalar(select(func.count(User.id))) == 2
    return total


def _answer_plan(definition):
    """Return (key, section, lineage, [(value, score), ...]) for 40 answers of the template:
    its criteria (unscored ones as text) and section judgements."""
    plan = []
    for section in definition.sections:
        for criterion in section.criteria:
            options = (
                [(o.value, o.score) for o in definition.scale(criterion.scale).options]
                if criterion.type == "scale" and criterion.scale
                else []
            )
            plan.append(
                (criterion.key, section.key, definition.lineage_key(criterion.key), options)
            )
        if section.judgement is not None:
            scale = definition.scale(section.judgement.scale)
            key = f"{section.key}.judgement"
            plan.append((key, section.key, key, [(o.value, None) for o in scale.options]))
    while len(plan) < ANSWERS_PER_AUDIT:  # pad with the graded ones again under new keys
        key, section, lineage, options = plan[len(plan) % len(plan)]
        plan.append((f"{key}_{len(plan)}", section, f"{lineage}_{len(plan)}", options))
    return plan
