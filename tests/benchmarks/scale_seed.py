"""A year of a large council, synthetic: 20,000 audits with their answers, written with Core.

12 teams, 48 auditors, 24,000 cases, 20,000 audits (most submitted, a fifth of those moderated,
some closed), about 37 answers each, 6,000 actions and 300 safeguarding concerns. Every row is
inserted with Core ``executemany`` in batches (no ORM objects), so seeding takes seconds, not
minutes. All data is synthetic; references look like ``SYN-000123``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from qa_app.audits.operations import _section_key
from qa_app.audits.responses import OVERALL, encode_value
from qa_app.audits.scoring import score_audit
from qa_app.demo.synthetic import synthetic_responses
from qa_app.models import (
    Action,
    Answer,
    Audit,
    Case,
    Role,
    SafeguardingConcern,
    Team,
    TemplateVersion,
    User,
)
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files

ROOT = Path(__file__).resolve().parents[2]
TEAMS = 12
AUDITORS_PER_TEAM = 4
CASES = 24_000
AUDITS = 20_000
ACTIONS = 6_000
CONCERNS = 300
RESPONSE_SETS = 12  # distinct synthetic answer sets per template, shared between audits
BATCH = 10_000
PASSWORD = "benchmark-password-synthetic"
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
REPORTED = ("submitted", "resubmitted", "in_moderation", "moderated", "closed")
CASE_TYPES = ("child_in_need", "child_protection", "looked_after", "early_help", "care_leaver")


@dataclass(frozen=True)
class Seeded:
    seconds: float
    manager_email: str  # a QA lead: sees every team
    admin_email: str
    team_manager_email: str
    auditor_email: str
    auditor_id: int
    draft_audit_id: int  # the auditor's own draft, for the form page
    form_section: str  # the section of that draft with the most questions
    submitted_audit_id: int  # for the audit's page
    answers: int


@dataclass(frozen=True)
class AnswerSet:
    overall: str | None
    overall_rationale: str | None
    override_reason: str | None
    score: float | None
    rows: list[dict]  # Answer columns without audit_id


def _batches(rows: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    while batch := list(islice(rows, size)):
        yield batch


def _insert_plain_rows(session: Session, table: str, rows: list[dict]) -> None:
    """Insert rows of plain values the fastest way the driver has: PostgreSQL's COPY (one
    stream, no statement per row), else the driver's own executemany. For half a million
    answers SQLAlchemy's per-row parameter handling, or PostgreSQL running one INSERT per row,
    is most of the seeding time."""
    columns = list(rows[0])
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in columns))
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})"
    connection.exec_driver_sql(sql, [tuple(row[c] for c in columns) for row in rows])


@contextmanager
def _indexes_built_after(session: Session, table: str) -> Iterator[None]:
    """On PostgreSQL, drop the table's secondary indexes, unique and foreign key constraints
    for a bulk load and build them again after it: one sorted pass (and one join to check the
    keys) instead of updating every index and firing a key check for each row. Elsewhere, or
    if anything fails, nothing is changed (the caller's transaction is rolled back)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    constraints = connection.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        (table,),
    ).all()
    indexes = connection.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        (table, table),
    ).all()
    for name, _ in constraints:
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    yield
    for _, definition in indexes:
        connection.exec_driver_sql(definition)
    for name, definition in constraints:
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _answer_sets(version: TemplateVersion, rng: random.Random) -> list[AnswerSet]:
    definition = version.definition
    sets = []
    for n in range(RESPONSE_SETS):
        responses, override = synthetic_responses(definition, rng, quality=n / RESPONSE_SETS)
        score = score_audit(definition, responses)
        rows = []
        for key, response in responses.items():
            if key == OVERALL:
                continue
            rows.append(
                {
                    "criterion_key": key,
                    "lineage_key": definition.lineage_key(key),
                    "section_key": _section_key(definition, key),
                    "value": encode_value(response),
                    "rationale": response.rationale.strip() or None,
                    "score": score.answers.get(key),
                }
            )
        overall = responses[OVERALL]
        sets.append(
            AnswerSet(
                overall.value,
                overall.rationale or None,
                override or None,
                score.overall,
                rows,
            )
        )
    return sets


def seed_large_council(session: Session) -> Seeded:
    """Fill an empty, migrated database; return what the benchmark needs to find."""
    started = time.perf_counter()
    rng = random.Random(2026)
    apply_template_load(
        session, plan_template_load(session, template_files(ROOT / "audit_templates"))
    )
    session.execute(
        insert(Team), [{"name": f"Team {n:02d} (synthetic)"} for n in range(1, TEAMS + 1)]
    )
    team_ids = list(session.scalars(select(Team.id).order_by(Team.id)))
    password_hash = generate_password_hash(PASSWORD)  # one hash shared: seeding stays fast
    users = [
        {
            "email": f"auditor{n}@example.org",
            "display_name": f"Auditor {n:02d} (synthetic)",
            "role": Role.AUDITOR.value,
            "team_id": team_ids[n % TEAMS],
        }
        for n in range(TEAMS * AUDITORS_PER_TEAM)
    ]
    users += [
        {
            "email": f"manager{n}@example.org",
            "display_name": f"Manager {n:02d} (synthetic)",
            "role": Role.MANAGER.value,
            "team_id": team_id,
        }
        for n, team_id in enumerate(team_ids)
    ]
    users += [
        {
            "email": f"{role.value.replace('_', '')}@example.org",
            "display_name": f"{role.label} (synthetic)",
            "role": role.value,
            "team_id": None,
        }
        for role in (Role.QA_LEAD, Role.ADMIN)
    ]
    session.execute(
        insert(User), [{**user, "password_hash": password_hash, "active": True} for user in users]
    )
    auditors = list(
        session.execute(
            select(User.id, User.team_id).where(User.role == Role.AUDITOR.value).order_by(User.id)
        )
    )
    managers = list(session.scalars(select(User.id).where(User.role == Role.MANAGER.value)))
    session.execute(
        insert(Case),
        [
            {
                "reference": f"SYN-{n:06d}",
                "team_id": team_ids[n % TEAMS],
                "case_type": CASE_TYPES[n % len(CASE_TYPES)],
                "allocated_worker": f"Worker {n % 300} (synthetic)",
                "opened_on": TODAY - timedelta(days=30 + n % 2000),
            }
            for n in range(1, CASES + 1)
        ],
    )
    cases = list(session.execute(select(Case.id, Case.team_id).order_by(Case.id)))
    versions = list(session.scalars(select(TemplateVersion).order_by(TemplateVersion.key)))
    answer_sets = {version.id: _answer_sets(version, rng) for version in versions}

    audit_rows = []
    for n in range(AUDITS):
        case_id, case_team = cases[n]
        auditor_id, _ = rng.choice([a for a in auditors if a[1] != case_team])
        version = versions[n % len(versions)]
        changed = NOW - timedelta(minutes=rng.randrange(1, 365 * 24 * 60))
        status = rng.choices(
            (*REPORTED, "assigned", "draft", "returned"), (55, 4, 5, 12, 9, 6, 7, 2)
        )[0]
        chosen = rng.choice(answer_sets[version.id])
        answered = status != "assigned"
        reported = status in REPORTED
        row = {
            "template_version_id": version.id,
            "case_id": case_id,
            "auditor_id": auditor_id,
            "status": status,
            "created_at": changed - timedelta(days=20),
            "updated_at": changed,
            "submitted_at": changed - timedelta(days=1) if reported else None,
            "due_date": (changed + timedelta(days=10)).date(),
            "overall_judgement": chosen.overall if answered else None,
            "overall_rationale": chosen.overall_rationale if answered else None,
            "override_reason": chosen.override_reason if answered else None,
            "score": chosen.score if answered else None,
            "lock_version": 1,
            "moderator_id": None,
            "moderated_overall_judgement": None,
            "moderated_score": None,
            "moderated_at": None,
            "closed_at": changed if status == "closed" else None,
        }
        if status in ("moderated", "closed"):
            row["moderator_id"] = rng.choice(managers)
            row["moderated_at"] = changed
            row["moderated_overall_judgement"] = (
                rng.choice(("good", "requires_improvement"))
                if rng.random() < 0.2
                else chosen.overall
            )
            row["moderated_score"] = chosen.score
        audit_rows.append((row, chosen if answered else None))
    with _indexes_built_after(session, Audit.__table__.name):
        for batch in _batches(iter(row for row, _ in audit_rows)):
            _insert_plain_rows(session, Audit.__table__.name, batch)
    audit_ids = list(session.scalars(select(Audit.id).order_by(Audit.id)))

    def answers() -> Iterator[dict]:
        for audit_id, (_, chosen) in zip(audit_ids, audit_rows, strict=True):
            if chosen is not None:
                for answer in chosen.rows:
                    yield {**answer, "audit_id": audit_id}

    answer_count = 0
    with _indexes_built_after(session, Answer.__table__.name):
        for batch in _batches(answers()):
            _insert_plain_rows(session, Answer.__table__.name, batch)
            answer_count += len(batch)
    session.execute(
        insert(Action),
        [
            {
                "audit_id": rng.choice(audit_ids),
                "description": f"Synthetic action {n}",
                "owner_user_id": rng.choice(managers),
                "due_date": TODAY + timedelta(days=rng.randrange(-120, 120)),
                "priority": rng.choice(("high", "medium", "low")),
                "scope": rng.choice(("case", "service")),
                "status": "done" if rng.random() < 0.4 else "open",
            }
            for n in range(ACTIONS)
        ],
    )
    concern_audits = list(
        session.execute(
            select(Audit.id, Audit.case_id, Case.team_id, Audit.auditor_id)
            .join(Case, Case.id == Audit.case_id)
            .order_by(Audit.id)
            .limit(CONCERNS)
        )
    )
    session.execute(
        insert(SafeguardingConcern),
        [
            {
                "audit_id": audit_id,
                "case_id": case_id,
                "team_id": team_id,
                "raised_by_id": auditor_id,
                "description": "Synthetic concern",
                "raised_at": NOW - timedelta(days=n),
                "respond_by": NOW - timedelta(days=n - 1),
                "acknowledged_by_id": managers[0] if n % 15 else None,
                "acknowledged_at": NOW - timedelta(days=n - 1) if n % 15 else None,
                "response": "Synthetic response" if n % 15 else None,
            }
            for n, (audit_id, case_id, team_id, auditor_id) in enumerate(concern_audits)
        ],
    )
    session.commit()

    # The form page: the largest section of any template, in a draft of its auditor.
    version, section = max(
        ((v, section) for v in versions for section in v.definition.sections),
        key=lambda pair: len(pair[1].criteria),
    )
    draft = session.scalar(
        select(Audit)
        .where(Audit.template_version_id == version.id, Audit.status == "draft")
        .order_by(Audit.id)
        .limit(1)
    )
    auditor_id = draft.auditor_id
    auditor_email = session.scalar(select(User.email).where(User.id == auditor_id))
    submitted_id = session.scalar(
        select(Audit.id).where(Audit.status == "submitted").order_by(Audit.id).limit(1)
    )
    return Seeded(
        seconds=time.perf_counter() - started,
        manager_email="qalead@example.org",
        admin_email="admin@example.org",
        team_manager_email="manager0@example.org",
        auditor_email=auditor_email,
        auditor_id=auditor_id,
        draft_audit_id=draft.id,
        form_section=section.key,
        submitted_audit_id=submitted_id,
        answers=answer_count,
    )
