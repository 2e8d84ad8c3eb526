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
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, case, insert, text, update

from qa_app.models import Audit, AuditEvent, RoundCase

_AUDITS = Audit.__table__
_ROUND_CASES = RoundCase.__table__
_EVENTS = AuditEvent.__table__
LINK_BATCH = 1000  # round cases linked to their audits per statement, where COPY is not used

# Rows are dicts of column values, as Core's executemany takes them (so the SQLite path copies
# nothing); the COPY path reads them into tuples in these columns' order.
ROUND_CASE_COLUMNS = ("round_id", "case_id", "stratum")
AUDIT_COLUMNS = (
    "template_version_id",
    "case_id",
    "auditor_id",
    "status",
    "round_id",
    "due_date",
    "lock_version",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = ("audit_id", "actor_id", "action", "at", "details")

Row = dict[str, Any]


def _copies(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"


def _copy_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """COPY the rows (tuples in ``columns`` order) into the table, on the driver connection
    under ``connection``, so in its transaction."""
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def insert_round_cases(connection: Connection, rows: Sequence[Row]) -> None:
    """Store a round's drawn cases (``ROUND_CASE_COLUMNS``; not yet assigned)."""
    if not rows:
        return
    if _copies(connection):
        values = itemgetter(*ROUND_CASE_COLUMNS)
        _copy_rows(connection, _ROUND_CASES, ROUND_CASE_COLUMNS, [values(r) for r in rows])
        return
    connection.execute(insert(_ROUND_CASES), rows)


def insert_audits(connection: Connection, rows: Sequence[Row]) -> dict[int, int]:
    """Create the audits (``AUDIT_COLUMNS``); return each one's id by its case id (a round
    audits a case once)."""
    if not rows:
        return {}
    if _copies(connection):
        # The ids are taken from the column's own sequence first, so COPY (which returns
        # nothing) can write them and nothing has to be read back.
        ids = connection.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('audits', 'id')) FROM generate_series(1, :n)"
            ),
            {"n": len(rows)},
        ).all()
        values = itemgetter(*AUDIT_COLUMNS)
        _copy_rows(
            connection,
            _AUDITS,
            ("id", *AUDIT_COLUMNS),
            [(audit_id, *values(r)) for audit_id, r in zip(ids, rows, strict=True)],
        )
        return {r["case_id"]: audit_id for audit_id, r in zip(ids, rows, strict=True)}
    # RETURNING in batches of many rows; each row says its case, so no order is needed (asking
    # for the parameters' order makes SQLite insert one row per statement).
    inserted = connection.execute(
        insert(_AUDITS).returning(_AUDITS.c.id, _AUDITS.c.case_id), rows
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


def insert_events(connection: Connection, rows: Sequence[Row]) -> None:
    """Append the events (``EVENT_COLUMNS``, the details a dict) to the log."""
    if not rows:
        return
    if _copies(connection):
        dumps = json.dumps
        _copy_rows(
            connection,
            _EVENTS,
            EVENT_COLUMNS,
            [
                (r["audit_id"], r["actor_id"], r["action"], r["at"], dumps(r["details"]))
                for r in rows
            ],
        )
        return
    connection.execute(insert(_EVENTS), rows)
