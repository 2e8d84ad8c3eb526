"""Governance at the scale of a large council: the retention purge of a year of audits, and the
access log page over a million recorded views.

The database holds the shared synthetic year (``scale_seed``: 20,000 audits, their answers,
actions and concerns) with the dashboards' rollup built, plus 1,000,000 access records spread
over two years (Core bulk inserts). Then:

- the access log page as an administrator: the first page of everything, one person's views,
  one case's views, and the last page of everything (median of several requests);
- the retention purge run a year and a day after the seeded year ends, with a 12-month period,
  so every submitted or closed audit of that year is purged, in batches of 500.

Prints ``BENCH governance db=<db> audits=<n> purge_s=<n> access_rows=<n> access_page_ms=<n>
...`` for SQLite and, when its binaries are installed, PostgreSQL (``BENCH_DATABASES`` picks).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from qa_app.extensions import db
from qa_app.governance.access_queries import PAGE_NAMES
from qa_app.governance.retention import run_purge
from qa_app.governance.retention_policy import RetentionSettings
from qa_app.insight.rollup import rebuild_rollup
from qa_app.models import AccessRecord, Audit, Case, User
from tests.benchmarks.council_seed import bench_app, bench_databases
from tests.benchmarks.scale_seed import AUDITS, NOW, PASSWORD, seed_large_council

ACCESS_ROWS = int(os.environ.get("BENCH_ACCESS_ROWS", 1_000_000))
ACCESS_BATCH = 50_000
PAGE_RUNS = 7
# A year and a day after the seeded year's last day, keeping case detail 12 months: every
# audit submitted or closed in the seeded year is past its period.
PURGE_AT = NOW + timedelta(days=366)
SETTINGS = RetentionSettings(case_detail_months=12, access_log_months=36, batch_size=500)


def main() -> None:
    for name, url in bench_databases("governance"):
        _run(name, url)


def _run(name: str, url: str) -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = bench_app(
            url,
            WTF_CSRF_ENABLED=False,
            JOBS_IMMEDIATE=True,
            EXPORTS_DIR=str(Path(instance) / "exports"),
            SIGN_IN_ACCOUNT_LIMIT=1000,
            SIGN_IN_ADDRESS_LIMIT=1000,
        )
        app.instance_path = instance
        with app.app_context():
            seeded = seed_large_council(db.session)
            rebuild_rollup(db.session)
            db.session.commit()
            started = time.perf_counter()
            _seed_access_records(random.Random(2026))
            print(
                f"set-up db={name}: {AUDITS:,} audits in {seeded.seconds:.1f} s, "
                f"{ACCESS_ROWS:,} access records in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            probe_user = db.session.scalar(
                select(AccessRecord.user_id).order_by(AccessRecord.id).limit(1)
            )
            probe_case = db.session.scalar(
                select(Case.reference)
                .join(AccessRecord, AccessRecord.case_id == Case.id)
                .order_by(AccessRecord.id)
                .limit(1)
            )
            db.engine.dispose()

        client = app.test_client()
        response = client.post("/sign-in", data={"email": seeded.admin_email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        last_page = -(-ACCESS_ROWS // 50)
        pages = {
            "access_page_ms": "/admin/access-log",
            "access_user_ms": f"/admin/access-log?user={probe_user}",
            "access_case_ms": f"/admin/access-log?case_reference={probe_case}",
            "access_last_page_ms": f"/admin/access-log?page={last_page}",
        }
        times = {}
        for key, path in pages.items():
            times[key] = _median_ms(client, path)
            print(f"  {key}: {times[key]:.0f} ms", flush=True)

        with app.app_context():
            due = db.session.scalar(
                select(func.count(Audit.id)).where(
                    func.coalesce(Audit.closed_at, Audit.submitted_at).is_not(None)
                )
            )
            started = time.perf_counter()
            run = run_purge(
                db.session,
                SETTINGS,
                now=PURGE_AT,
                started_by="benchmark",
                progress=_report_progress,
            )
            purge_s = time.perf_counter() - started
            purged = run.counts.get("audits_purged", 0)
            assert purged == due, (purged, due)
            db.engine.dispose()
        figures = " ".join(f"{key}={value:.0f}" for key, value in times.items())
        print(
            f"BENCH governance db={name} audits={purged} purge_s={purge_s:.1f} "
            f"cases_purged={run.counts.get('cases_purged', 0)} "
            f"access_rows={ACCESS_ROWS} {figures}",
            flush=True,
        )


_STARTED = [0.0]


def _report_progress(step: str, done: int, total: int) -> None:
    if not done:
        _STARTED[0] = time.perf_counter()
    elif total and (done == total or done % 2_000 == 0):
        seconds = time.perf_counter() - _STARTED[0]
        print(f"  purge {step}: {done:,} of {total:,} in {seconds:.1f} s", flush=True)


def _seed_access_records(rng: random.Random) -> None:
    """Insert the access records, two years of views by every user, with Core."""
    users = list(db.session.scalars(select(User.id)))
    audits = list(db.session.execute(select(Audit.id, Audit.case_id)))
    pages = sorted(PAGE_NAMES)
    span = int(timedelta(days=730).total_seconds())
    written = 0
    while written < ACCESS_ROWS:
        size = min(ACCESS_BATCH, ACCESS_ROWS - written)
        rows = []
        for _ in range(size):
            audit_id, case_id = rng.choice(audits)
            rows.append(
                {
                    "at": NOW - timedelta(seconds=rng.randrange(span)),
                    "user_id": rng.choice(users),
                    "audit_id": audit_id,
                    "case_id": case_id,
                    "kind": "view",
                    "page": rng.choice(pages),
                }
            )
        db.session.execute(insert(AccessRecord), rows)
        db.session.commit()
        written += size


def _median_ms(client: FlaskClient, path: str) -> float:
    times = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


if __name__ == "__main__":
    main()
