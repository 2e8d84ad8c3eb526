"""Writing a round's thousands of rows (round cases, audits, their events) in few statements.

Confirming and assigning a 5% sample of a large council's cases writes about 5,000 rows to each
of three tables. On PostgreSQL (through psycopg 3, the driver the app's URLs name) the rows go by
COPY, the audits with ids taken from their sequence in one statement beforehand, and the round
cases are linked to their audits by one UPDATE joined to two arrays: no statement is parsed per
row or per thousand rows, and there are five round trips in all. Elsewhere (SQLite, in process:
a statement costs no round trip) they go by Core executemany. All run on the caller's
connection, inside its transaction, so all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, case, insert, text, update

from qa_app.models import Audit, AuditEvent, RoundCase

_AUDITS = Audit.__table__
_ROUND_CASES = RoundCase.__table__
_EVENTS = AuditEvent.__table__
LINK_BATCH = 1000  # round cases linked to their audits per statement, where COPY is not used


class DrawnRow(NamedTuple):
    case_id: int
    stratum: str


class NewAudit(NamedTuple):
    """An assigned audit to create: the case and auditor, with the round's fields."""

    case_id: int
    auditor_id: int
    template_version_id: int
    status: str
    round_id: int
    due_date: date
    at: datetime


class NewEvent(NamedTuple):
    audit_id: int | None
    actor_id: int | None
    action: str
    at: datetime
    details: dict[str, Any]


def _copies(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"


def _copy_rows(connection: Connection, statement: str, rows: Sequence[Sequence[object]]) -> None:
    """COPY the rows into the table named by ``statement`` (``COPY t (cols) FROM STDIN``), on
    the driver connection under ``connection``, so in its transaction."""
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def insert_round_cases(connection: Connection, round_id: int, drawn: Sequence[DrawnRow]) -> None:
    """Store the round's drawn cases (not yet assigned)."""
    if not drawn:
        return
    if _copies(connection):
        _copy_rows(
            connection,
            "COPY round_cases (round_id, case_id, stratum) FROM STDIN",
            [(round_id, row.case_id, row.stratum) for row in drawn],
        )
        return
    connection.execute(
        insert(_ROUND_CASES),
        [{"round_id": round_id, "case_id": r.case_id, "stratum": r.stratum} for r in drawn],
    )


def insert_audits(connection: Connection, audits: Sequence[NewAudit]) -> dict[int, int]:
    """Create the audits; return each one's id by its case id (a round audits a case once)."""
    if not audits:
        return {}
    if _copies(connection):
        # The ids are taken from the column's own sequence first, so COPY (which returns
        # nothing) can write them and nothing has to be read back.
        ids = connection.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('audits', 'id')) FROM generate_series(1, :n)"
            ),
            {"n": len(audits)},
        ).all()
        _copy_rows(
            connection,
            "COPY audits (id, template_version_id, case_id, auditor_id, status, round_id, "
            "due_date, lock_version, created_at, updated_at) FROM STDIN",
            [
                (
                    audit_id,
                    a.template_version_id,
                    a.case_id,
                    a.auditor_id,
                    a.status,
                    a.round_id,
                    a.due_date,
                    1,
                    a.at,
                    a.at,
                )
                for audit_id, a in zip(ids, audits, strict=True)
            ],
        )
        return {a.case_id: audit_id for audit_id, a in zip(ids, audits, strict=True)}
    # RETURNING in batches of many rows; each row says its case, so no order is needed (asking
    # for the parameters' order makes SQLite insert one row per statement).
    inserted = connection.execute(
        insert(_AUDITS).returning(_AUDITS.c.id, _AUDITS.c.case_id),
        [
            {
                "template_version_id": a.template_version_id,
                "case_id": a.case_id,
                "auditor_id": a.auditor_id,
                "status": a.status,
                "round_id": a.round_id,
                "due_date": a.due_date,
                "lock_version": 1,
                "created_at": a.at,
                "updated_at": a.at,
            }
            for a in audits
        ],
    ).all()
    return {case_id: audit_id for audit_id, case_id in inserted}


def link_round_cases(connection: Connection, round_id: int, audit_by_case: dict[int, int]) -> None:
    """Set each of the round's cases' audit to the one made of it."""
    if not audit_by_case:
        return
    case_ids = sorted(audit_by_case)
    if _copies(connection):
        # Joined to the arrays, not to the audits: the audits are too new for the planner's
        # statistics, and a join to them was planned as a nested loop (19 s for 4,500 cases).
        connection.execute(
            text(
                "UPDATE round_cases SET audit_id = linked.audit_id"
                " FROM unnest(CAST(:case_ids AS INTEGER[]), CAST(:audit_ids AS INTEGER[]))"
                " AS linked (case_id, audit_id)"
                " WHERE round_cases.round_id = :round_id"
                " AND round_cases.case_id = linked.case_id"
            ),
            {
                "case_ids": case_ids,
                "audit_ids": [audit_by_case[c] for c in case_ids],
                "round_id": round_id,
            },
        )
        return
    # A statement per thousand cases: a CASE on the case id names each one's audit.
    for start in range(0, len(case_ids), LINK_BATCH):
        chunk = {c: audit_by_case[c] for c in case_ids[start : start + LINK_BATCH]}
        connection.execute(
            update(_ROUND_CASES)
            .where(
                _ROUND_CASES.c.round_id == round_id,
                _ROUND_CASES.c.case_id.in_(list(chunk)),
            )
            .values(audit_id=case(chunk, value=_ROUND_CASES.c.case_id))
        )


def insert_events(connection: Connection, events: Sequence[NewEvent]) -> None:
    """Append the events to the log."""
    if not events:
        return
    if _copies(connection):
        _copy_rows(
            connection,
            "COPY audit_events (audit_id, actor_id, action, at, details) FROM STDIN",
            [(e.audit_id, e.actor_id, e.action, e.at, json.dumps(e.details)) for e in events],
        )
        return
    connection.execute(insert(_EVENTS), [e._asdict() for e in events])
