"""What the test suite pays per test before the test itself: making the app and emptying the
database, each the way the fixtures used to and the way they do now, measured in the same run.

Prints ``BENCH test_fixtures create_app ...`` (werkzeug's own URL rules against rules sharing
compiled builders) and ``BENCH test_fixtures empty db=<db> ...`` (a TRUNCATE of every table
against the fixtures' DELETEs, after a test's worth of rows), on SQLite and, where its binaries
are present, a throwaway PostgreSQL cluster.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.routing import Rule

from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import Role, people
from qa_app.people.operations import create_user
from tests.conftest import _empty_all_tables, _test_config
from tests.postgres import PostgresUnavailable, throwaway_cluster
from tests.url_rules import SharedBuilderRule

ROUNDS = 15
PASSWORD = "correct horse battery"


def _median_ms(action: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(ROUNDS):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _create_app_ms(folder: Path, rule_class: type[Rule]) -> float:
    Flask.url_rule_class = rule_class
    try:
        config = _test_config(f"sqlite:///{folder / 'app.sqlite3'}", folder)
        create_app(config)  # imports and first compiles happen once
        return _median_ms(lambda: create_app(config))
    finally:
        Flask.url_rule_class = Rule


def _truncate_every_table() -> None:
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def _a_tests_rows() -> None:
    for n in range(3):
        create_user(db.session, f"bench{n}@example.org", "Bench", Role.AUDITOR, PASSWORD, "Team A")
    db.session.commit()


def _empty(url: str, folder: Path, name: str) -> None:
    app = create_app(_test_config(url, folder))
    with app.app_context():
        upgrade()
        new = _median_ms(_empty_all_tables, _a_tests_rows)
        # The fixtures always emptied SQLite with DELETEs.
        old = _median_ms(_truncate_every_table, _a_tests_rows) if name == "postgresql" else new
        db.engine.dispose()
    print(
        f"BENCH test_fixtures empty db={name} old_ms={old:.1f} new_ms={new:.1f}"
        f" old_over_new={old / new:.1f}",
        flush=True,
    )


def main() -> None:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    people.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # as in the tests
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        plain = _create_app_ms(folder, Rule)
        shared = _create_app_ms(folder, SharedBuilderRule)
        print(
            f"BENCH test_fixtures create_app old_ms={plain:.1f} new_ms={shared:.1f}"
            f" old_over_new={plain / shared:.1f}",
            flush=True,
        )
        _empty(f"sqlite:///{folder / 'empty.sqlite3'}", folder, "sqlite")
        try:
            with throwaway_cluster() as url:
                _empty(url, folder, "postgresql")
        except (PostgresUnavailable, FileNotFoundError) as error:
            print(f"PostgreSQL skipped: {error}", flush=True)


if __name__ == "__main__":
    main()
