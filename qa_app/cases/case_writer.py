"""Writing checked case rows to the cases table: one small interface, a fast path per engine.

A case list can hold 100,000 rows, and SQLAlchemy's per-row parameter handling cost as much as
checking them. So the values are prepared once per distinct value (a file repeats its dates
thousands of times) with SQLAlchemy's own conversion for the engine, and the rows go to the
database driver in one call per batch:

- SQLite: ``executemany`` on the driver's connection;
- PostgreSQL (psycopg 3): ``COPY ... FROM STDIN`` for new cases (the rows as text, formatted a
  column at a time: see copy_text.py), and for changed cases into a temporary table that one
  ``UPDATE`` per batch reads;
- any other engine: Core ``insert``/``update`` executemany, the portable way.

Every writer works inside the caller's transaction (the same driver connection as the session),
so the import stays all or nothing: nothing is committed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from qa_app.cases.copy_text import CopyText
from qa_app.models import Case

CASES = Case.__table__
# The columns a case list sets, in the order the writers use; a matched case takes them all.
UPDATED_COLUMNS = (
    "team_id",
    "case_type",
    "allocated_worker",
    "opened_on",
    "closed_on",
    "age_band",
)
# The columns a new case is written with, in that order (the benchmark's insert floor too).
INSERTED_COLUMNS = ("reference", *UPDATED_COLUMNS, "created_at", "updated_at")
# Rows in one SQLite INSERT: 900 values, under SQLite's smallest limit of 999 a statement.
ROWS_PER_INSERT = 100
# New cases from one import past which PostgreSQL's statistics on the table are refreshed.
ANALYSE_AFTER = 1000


class CaseWriter:
    """Core statements: correct on any engine; the engine-specific writers below are faster."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        dialect = connection.dialect
        # Day number -> the date as this writer sends (and reads back) it, so a file's row and a
        # stored row compare; a dictionary look-up, converting each date the first time only.
        self.date_param: Callable[[int | None], Any] = _Prepared(
            self.date_processor(dialect)
        ).__getitem__
        self.any_cases = connection.execute(select(CASES.c.id).limit(1)).first() is not None

    def date_processor(self, dialect: Any) -> Callable[[date], Any]:
        """Return how a date is sent: as it is, when SQLAlchemy converts each statement's."""
        return _same

    def timestamp_param(self, moment: Any) -> Any:
        """Return the timestamp as this writer sends it."""
        return moment

    def existing(self, references: Sequence[str]) -> dict[str, tuple]:
        """Return the stored cases with these references: reference -> (id, *UPDATED_COLUMNS),
        each value as :meth:`date_param` gives it, so a file's row and a stored row compare."""
        if not self.any_cases:
            return {}
        query = select(CASES.c.id, CASES.c.reference, *(CASES.c[c] for c in UPDATED_COLUMNS))
        rows = self.connection.execute(query.where(CASES.c.reference.in_(references)))
        return {row[1]: (row[0], *row[2:]) for row in rows}

    def insert(self, rows: list[tuple]) -> None:
        """Insert new cases: tuples of reference, *UPDATED_COLUMNS, created_at, updated_at."""
        self.connection.execute(
            insert(CASES), [dict(zip(INSERTED_COLUMNS, row, strict=True)) for row in rows]
        )

    def update(self, rows: list[tuple]) -> None:
        """Update cases: tuples of *UPDATED_COLUMNS, updated_at, id."""
        names = (*UPDATED_COLUMNS, "updated_at", "case_id")
        statement = update(CASES).where(CASES.c.id == bindparam("case_id"))
        self.connection.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])

    def finish(self, created: int) -> None:
        """Called once every batch is written, with how many cases were created."""


class _DriverWriter(CaseWriter):
    """Statements sent straight to the driver, values converted as SQLAlchemy would once each."""

    placeholder = "?"

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self.driver = connection.connection.driver_connection
        self._timestamp = _processor(CASES.c.created_at, connection.dialect)
        marks = ", ".join([self.placeholder] * len(INSERTED_COLUMNS))
        self.insert_sql = f"INSERT INTO cases ({', '.join(INSERTED_COLUMNS)}) VALUES ({marks})"
        settings = ", ".join(f"{c} = {self.placeholder}" for c in (*UPDATED_COLUMNS, "updated_at"))
        self.update_sql = f"UPDATE cases SET {settings} WHERE id = {self.placeholder}"

    def date_processor(self, dialect: Any) -> Callable[[date], Any]:
        return _processor(CASES.c.opened_on, dialect)

    def timestamp_param(self, moment: Any) -> Any:
        return self._timestamp(moment)

    def existing(self, references: Sequence[str]) -> dict[str, tuple]:
        if not self.any_cases:
            return {}
        columns = ", ".join(("id", "reference", *UPDATED_COLUMNS))
        cursor = self.driver.cursor()
        try:
            cursor.execute(*self.lookup(columns, references))
            return {row[1]: (row[0], *row[2:]) for row in cursor.fetchall()}
        finally:
            cursor.close()

    def lookup(self, columns: str, references: Sequence[str]) -> tuple[str, Sequence[Any]]:
        """Return the query for the columns of cases whose reference is one of ``references``,
        and its values."""
        marks = ", ".join([self.placeholder] * len(references))
        return f"SELECT {columns} FROM cases WHERE reference IN ({marks})", list(references)

    def insert(self, rows: list[tuple]) -> None:
        self._executemany(self.insert_sql, rows)

    def update(self, rows: list[tuple]) -> None:
        self._executemany(self.update_sql, rows)

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        cursor = self.driver.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()


class SqliteCaseWriter(_DriverWriter):
    """SQLite: ``executemany`` on the driver's connection (the sqlite3 module, in C), new cases
    :data:`ROWS_PER_INSERT` to a statement."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        values = f"({', '.join('?' * len(INSERTED_COLUMNS))})"
        self.insert_many_sql = self.insert_sql.replace(
            values, ", ".join([values] * ROWS_PER_INSERT)
        )

    def insert(self, rows: list[tuple]) -> None:
        # One statement per row spends a sixth of SQLite's time stepping and resetting it.
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        if whole:
            groups = zip(*[iter(rows[:whole])] * ROWS_PER_INSERT, strict=True)
            self._executemany(self.insert_many_sql, [list(chain.from_iterable(g)) for g in groups])
        if whole < len(rows):
            self._executemany(self.insert_sql, rows[whole:])


class PostgresCaseWriter(_DriverWriter):
    """PostgreSQL through psycopg 3: new cases by ``COPY``, the fastest way in; changed cases by
    ``COPY`` into a temporary table and one ``UPDATE`` from it per batch."""

    placeholder = "%s"

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self.copy_text = CopyText(unique_columns=[INSERTED_COLUMNS.index("reference")])
        self.update_text = CopyText(unique_columns=[len(UPDATED_COLUMNS) + 1])  # the id
        self.updates_table_made = False

    def finish(self, created: int) -> None:
        # Many new cases: the planner's statistics are refreshed now, in this transaction,
        # rather than when autovacuum next passes, so the lists, sampling and the next import
        # are planned on the table as it is.
        if created >= ANALYSE_AFTER:
            with self.driver.cursor() as cursor:
                cursor.execute("ANALYZE cases")

    def lookup(self, columns: str, references: Sequence[str]) -> tuple[str, Sequence[Any]]:
        # Joined to the batch's references, not "reference = ANY(array)": on a table its
        # statistics still call empty (cases just imported, not yet analysed) the planner
        # scanned every case against the whole array, each batch: a re-import of 100,000
        # cases took 97 s instead of under 1 s. A join is at worst a scan and a hash.
        return (
            f"SELECT {columns} FROM cases"
            " JOIN unnest(CAST(%s AS TEXT[])) AS chosen (reference) USING (reference)",
            [list(references)],
        )

    def insert(self, rows: list[tuple]) -> None:
        statement = f"COPY cases ({', '.join(INSERTED_COLUMNS)}) FROM STDIN"
        with self.driver.cursor() as cursor, cursor.copy(statement) as copy:
            # The batch as text, formatted column by column: write_row per row cost a few
            # Python calls a row in the driver, most of the client's time for a big file.
            copy.write(self.copy_text.format(rows))

    def update(self, rows: list[tuple]) -> None:
        # One UPDATE a row cost psycopg about 25 microseconds of Python each (2.6 s for
        # 100,000 changed cases); the server joins a batch in one statement instead.
        columns = (*UPDATED_COLUMNS, "updated_at", "id")
        settings = ", ".join(f"{c} = case_updates.{c}" for c in (*UPDATED_COLUMNS, "updated_at"))
        with self.driver.cursor() as cursor:
            if not self.updates_table_made:
                # Dropped at the end of the caller's transaction, whether it commits or not.
                cursor.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS case_updates ON COMMIT DROP AS "
                    f"SELECT {', '.join(columns)} FROM cases WITH NO DATA"
                )
                self.updates_table_made = True
            cursor.execute("TRUNCATE case_updates")
            with cursor.copy(f"COPY case_updates ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(self.update_text.format(rows))
            cursor.execute(
                f"UPDATE cases SET {settings} FROM case_updates WHERE cases.id = case_updates.id"
            )


def case_writer(connection: Connection) -> CaseWriter:
    """Return the fastest writer for the connection's engine and driver."""
    dialect = connection.dialect
    if dialect.name == "sqlite" and dialect.driver == "pysqlite":
        return SqliteCaseWriter(connection)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return PostgresCaseWriter(connection)
    return CaseWriter(connection)


def _same(value: Any) -> Any:
    return value


def _processor(column: Any, dialect: Any) -> Callable[[Any], Any]:
    """Return how SQLAlchemy converts the column's values for this engine (SQLite: dates as
    ISO text in its own format), so rows sent straight to the driver match rows it wrote."""
    return column.type.dialect_impl(dialect).bind_processor(dialect) or _same


class _Prepared(dict):
    """Day number -> the date as a parameter, converted the first time each is asked for."""

    def __init__(self, convert: Callable[[date], Any]) -> None:
        super().__init__()
        self.convert = convert
        self[None] = None

    def __missing__(self, day_number: int) -> Any:
        value = self[day_number] = self.convert(date.fromordinal(day_number))
        return value
