"""The leadership pack against the floor: the same Data rows written with Python's csv module.

Synthetic data (says so in every name) seeded with Core bulk inserts: 2,000 and 20,000 submitted
audits of 40 answers each, over twelve months and twenty teams, a tenth of them moderated. The
floor and the pack run in one fresh process (floor, pack, floor), so both see the same load and
the same warm database file; the summary-only pack runs in its own. Prints, per size:

    BENCH pack audits=<n> answers=<n> seconds=<s> csv_seconds=<s> ratio=<x> peak_mb=<mb>
    BENCH pack_summary audits=<n> seconds=<s> peak_mb=<mb> answers_only_seconds=<s> ratio=<x>
        (de-identified, no Data sheet; seconds with the insight rollup built, answers_only
        before it is built, when every figure comes from the answers; ratio = answers_only /
        seconds)
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.benchmarks.bench_case_import import measure

SIZES = tuple(int(s) for s in os.environ.get("PACK_BENCH_SIZES", "2000,20000").split(","))
ANSWERS_PER_AUDIT = 40
TEMPLATE = "cin-cp"


def _app(database: str):
    from qa_app import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench", "TESTING": True}
    )


def _seed(database: str, audits: int) -> tuple[float, str]:
    """Build the schema, load the templates and bulk-insert synthetic audits and answers."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from qa_app.extensions import db
    from qa_app.models import Answer, Audit, Case, Team, TemplateVersion, User
    from qa_app.template_library.loading import (
        apply_template_load,
        plan_template_load,
        template_files,
    )

    app = _app(database)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        plan = plan_template_load(db.session, template_files(Path("audit_templates")))
        apply_template_load(db.session, plan)
        db.session.commit()
        version = db.session.scalar(select(TemplateVersion).where(TemplateVersion.key == TEMPLATE))
        definition = version.definition
        graded = [c for c in definition.criteria() if c.type == "scale" and c.scale]
        now = datetime(2026, 12, 1, tzinfo=UTC)
        stamp = {"created_at": now, "updated_at": now}
        session = db.session
        session.execute(
            insert(Team), [{"name": f"Synthetic team {t:02d}", **stamp} for t in range(20)]
        )
        team_ids = list(session.scalars(select(Team.id)))
        session.execute(
            insert(User),
            [
                {
                    "email": "bench@example.org",
                    "display_name": "Synthetic auditor",
                    "password_hash": "x",
                    "role": "auditor",
                    "active": True,
                    **stamp,
                }
            ],
        )
        auditor = session.scalar(select(User.id))
        session.execute(
            insert(Case),
            [
                {
                    "reference": f"SYN-{n:07d}",
                    "team_id": team_ids[n % 20],
                    "case_type": "child_in_need",
                    **stamp,
                }
                for n in range(audits)
            ],
        )
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))
        rng = random.Random(7)
        grades = ("outstanding", "good", "requires_improvement", "inadequate")
        audit_rows = []
        for n, case_id in enumerate(case_ids):
            judgement = rng.choice(grades)
            moderated = n % 10 == 0
            audit_rows.append(
                {
                    "template_version_id": version.id,
                    "case_id": case_id,
                    "auditor_id": auditor,
                    "status": "moderated" if moderated else "submitted",
                    "submitted_at": now - timedelta(days=n % 365),
                    "overall_judgement": judgement,
                    "score": rng.random(),
                    "lock_version": 1,
                    "moderated_overall_judgement": rng.choice(grades) if moderated else None,
                    "moderated_score": rng.random() if moderated else None,
                    **stamp,
                }
            )
        for start in range(0, len(audit_rows), 5000):
            session.execute(insert(Audit), audit_rows[start : start + 5000])
        audit_ids = list(session.scalars(select(Audit.id).order_by(Audit.id)))
        batch = []
        for n, audit_id in enumerate(audit_ids):
            for i in range(ANSWERS_PER_AUDIT):
                criterion = graded[i % len(graded)]
                option = rng.choice(definition.scale(criterion.scale).options)
                section = definition.section_of(criterion.key)
                key = criterion.key if i < len(graded) else f"{criterion.key}_{i}"
                batch.append(
                    {
                        "audit_id": audit_id,
                        "criterion_key": key,
                        "lineage_key": definition.lineage_key(criterion.key),
                        "section_key": section.key,
                        "value": option.value,
                        "score": option.score,
                        "rationale": "Synthetic rationale" if option.needs_rationale else None,
                        "moderated_value": option.value if n % 10 == 0 else None,
                        "moderated_score": option.score if n % 10 == 0 else None,
                    }
                )
            if len(batch) >= 20_000:
                session.execute(insert(Answer), batch)
                batch = []
        if batch:
            session.execute(insert(Answer), batch)
        session.commit()
        db.engine.dispose()
    return time.perf_counter() - started, f"{audits:,} audits"


def _rebuild_rollup(database: str) -> tuple[float, str]:
    from qa_app.extensions import db
    from qa_app.insight.rollup import rebuild_rollup

    app = _app(database)
    with app.app_context():
        started = time.perf_counter()
        counts = rebuild_rollup(db.session)
        db.session.commit()
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds, f"{counts.answers:,} answer facts"


def _admin():
    from qa_app.models import Role, User

    return User(display_name="Benchmark", role=Role.ADMIN.value, email="", password_hash="")


def _pack_rows(database: str, out: str, with_data: bool) -> tuple[float, int]:
    from qa_app.base_model import utcnow
    from qa_app.extensions import db
    from qa_app.reports.pack_filters import PackFilters
    from qa_app.reports.pack_operations import write_pack

    app = _app(database)
    with app.app_context():
        db.session.connection()
        started = time.perf_counter()
        with open(out, "wb") as stream:
            rows = write_pack(
                db.session, _admin(), PackFilters(with_data=with_data), stream, utcnow()
            )
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds, rows


def _pack(database: str, out: str, with_data: bool) -> tuple[float, str]:
    seconds, rows = _pack_rows(database, out, with_data)
    return seconds, f"{rows:,} rows"


def _csv_floor(database: str, out: str) -> tuple[float, int]:
    """The floor: the Data sheet's rows, from the same query and the same row assembly, with
    the same columns in the same order, written with the csv module."""
    from operator import attrgetter

    from qa_app.extensions import db
    from qa_app.reports import pack_queries
    from qa_app.reports.pack_assembly import CriterionLabels, data_rows
    from qa_app.reports.pack_filters import PackFilters
    from qa_app.reports.pack_sheets import data_columns

    app = _app(database)
    with app.app_context():
        db.session.connection()
        started = time.perf_counter()
        user, filters = _admin(), PackFilters()
        columns = data_columns(filters.case_level)
        row_values = attrgetter(*(name for _, name in columns))
        labels = CriterionLabels(pack_queries.template_versions(db.session, user, filters))
        rows = 0
        with open(out, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow([heading for heading, _ in columns])
            for row in data_rows(db.session, user, filters, labels):
                writer.writerow(row_values(row))
                rows += 1
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds, rows


def _floor_and_pack(database: str, folder: str) -> tuple[float, str]:
    """In one process, so both see the same load: the csv floor, the pack, the floor again.

    Returns the pack's seconds and a note "pack_seconds floor_seconds rows" (the floor is the
    faster of the runs either side of the pack).
    """
    first, rows = _csv_floor(database, f"{folder}/floor.csv")
    pack, pack_rows = _pack_rows(database, f"{folder}/pack.xlsx", True)
    second, _ = _csv_floor(database, f"{folder}/floor.csv")
    if pack_rows != rows:
        raise RuntimeError(f"the pack wrote {pack_rows} Data rows, the floor {rows}")
    return pack, f"{pack} {min(first, second)} {rows}"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pack-bench-") as folder_name:
        folder = Path(folder_name)
        for audits in SIZES:
            database = folder / f"synthetic-{audits}.sqlite3"
            seeded = measure(_seed, str(database), audits)
            print(f"Seeded {audits:,} synthetic audits in {seeded[0]:.1f} s", flush=True)
            pack_seconds, peak_kb, _, note, *_ = measure(
                _floor_and_pack, str(database), str(folder)
            )
            _, floor_seconds, rows = note.split()
            floor = float(floor_seconds)
            # Bulk inserts bypass the hook that keeps the insight rollup current: the summary
            # runs once from the answers alone, then with the rollup built as the app keeps it.
            answers_only = measure(_pack, str(database), str(folder / "summary.xlsx"), False)
            built = measure(_rebuild_rollup, str(database))
            print(f"Built the insight rollup in {built[0]:.1f} s", flush=True)
            summary = measure(_pack, str(database), str(folder / "summary.xlsx"), False)
            answers = audits * ANSWERS_PER_AUDIT
            print(
                f"BENCH pack audits={audits} answers={answers} seconds={pack_seconds:.2f} "
                f"csv_seconds={floor:.2f} ratio={pack_seconds / floor:.2f} "
                f"peak_mb={peak_kb / 1024:.0f}",
                flush=True,
            )
            print(
                f"BENCH pack_summary audits={audits} seconds={summary[0]:.2f} "
                f"peak_mb={summary[1] / 1024:.0f} answers_only_seconds={answers_only[0]:.2f} "
                f"ratio={answers_only[0] / summary[0]:.2f}",
                flush=True,
            )
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(exist_ok=True)
    print(
        "ratio = pack seconds / csv seconds for the same Data rows (same query, columns and "
        "process); peak_mb = that process's high-water mark (app, floor and pack together)."
    )


if __name__ == "__main__":
    main()
