"""Every row of the database, read out and written back, so costly data is made once a session.

Seeding the demo data takes a quarter of a minute; copying its rows back into an empty database
takes a second or two. Rows are read and written through the tables' own column types, so what
is written back is what was stored.
"""

from __future__ import annotations

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from qa_app.extensions import db

TableRows = dict[str, list[dict[str, object]]]


def read_rows(session: Session, *, leave_out: frozenset[str] = frozenset()) -> TableRows:
    """Return every table's rows by table name (parents first), but the tables left out."""
    return {
        table.name: [
            dict(row._mapping)
            for row in session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
        if table.name not in leave_out
    }


def write_rows(session: Session, rows: TableRows) -> None:
    """Insert the rows read by ``read_rows`` into their empty tables; on PostgreSQL move each
    table's id sequence past its highest id, as if the rows had been inserted one by one."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    for name, table_rows in rows.items():
        if table_rows:
            session.execute(insert(tables[name]), table_rows)
    if session.get_bind().dialect.name != "postgresql":
        return
    for name, table_rows in rows.items():
        column = tables[name].autoincrement_column
        if table_rows and column is not None:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', '{column.name}'),"
                    f" (SELECT max({column.name}) FROM {name}))"
                )
            )
