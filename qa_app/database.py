"""Engine set-up that depends on the database: SQLite runs in WAL mode with a busy timeout."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


def init_app(app: Flask) -> None:
    """Configure the app's engine once it exists."""
    from qa_app.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite_connection)


def _configure_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:
    # WAL lets readers carry on while one writer commits; the busy timeout makes a second writer
    # wait for the lock instead of failing at once, so several people can work together.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # In WAL mode NORMAL syncs the log at checkpoints, not at every commit: a commit is still
    # durable when the process is killed (the log is in the operating system's hands), and the
    # database can never be corrupted; only a power cut or an operating system crash may lose
    # the last commits before a checkpoint. FULL made every commit wait for the disk (about
    # 5 ms here) with the write lock held, and every view of an audit commits its access-log row.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    """Return True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
