"""Fixtures: the app on SQLite and PostgreSQL, a clean database per test, users and sign-in."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from qa_app import create_app
from qa_app.demo.seed import seed_demo_data
from qa_app.extensions import db
from qa_app.models import Role, User
from qa_app.people.operations import create_user
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files
from tests.postgres import REQUIRE_VARIABLE, PostgresUnavailable, throwaway_cluster
from tests.table_rows import TableRows, read_rows, write_rows
from tests.url_rules import SharedBuilderRule

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEMPLATES = ROOT / "audit_templates"
# Property tests judge results, not speed: on a busy machine one example can take longer than
# Hypothesis's default 200 ms deadline without anything being wrong.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

TEST_PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Hash test passwords cheaply: the strong default costs a second per user."""
    from qa_app.models import people

    strong, people.PASSWORD_HASH_METHOD = people.PASSWORD_HASH_METHOD, "pbkdf2:sha256:1000"
    yield
    people.PASSWORD_HASH_METHOD = strong


@pytest.fixture(autouse=True, scope="session")
def shared_url_builders() -> Iterator[None]:
    """Make each app's URL rules share compiled builders (see tests/url_rules.py)."""
    plain, Flask.url_rule_class = Flask.url_rule_class, SharedBuilderRule
    yield
    Flask.url_rule_class = plain


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    try:
        with throwaway_cluster() as url:
            yield url
    except (PostgresUnavailable, FileNotFoundError) as error:
        if os.environ.get(REQUIRE_VARIABLE):
            pytest.fail(
                f"PostgreSQL is required ({REQUIRE_VARIABLE} is set) but unavailable: {error}"
            )
        pytest.skip(f"PostgreSQL tests skipped: {error}")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Each database once per session, its schema built by the real migrations."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app(_test_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def own_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's own (a migration test goes down and up again)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    name = f"migration_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def _test_config(url: str, instance: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "AUDIT_TEMPLATES_DIR": str(SHIPPED_TEMPLATES),
        "SERVER_NAME": "qa.test",
        # Jobs run at once in the caller; tests/jobs runs them through a real worker instead.
        "JOBS_IMMEDIATE": True,
        "JOBS_SQLITE_PATH": str(instance / "jobs.sqlite3"),
        "EXPORTS_DIR": str(instance / "exports"),
        # Emails are written as files in the test's own folder (the development default).
        "MAIL_FILE_PATH": str(instance / "mail"),
    }


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with an empty database (every table emptied before the test).

    No app context stays pushed: each test-client request gets its own, as in production, so
    one request's signed-in user never leaks into the next. Tests open a context to look at data.
    """
    app = create_app(_test_config(database_url, tmp_path))
    with app.app_context():
        _empty_all_tables()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_all_tables() -> None:
    """Delete every row, children first, and on PostgreSQL restart the sequences used since.

    One round trip of DELETEs: a test leaves rows in a few small tables, and deleting from an
    empty table costs nothing, where TRUNCATE rewrites every table's files (about 15 times
    slower per test on PostgreSQL). Sequences restart as TRUNCATE ... RESTART IDENTITY did.
    """
    deletes = [f"DELETE FROM {table.name}" for table in reversed(db.metadata.sorted_tables)]
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        connection.exec_driver_sql(f"{'; '.join(deletes)}; {_RESTART_USED_SEQUENCES}")
    else:
        for statement in deletes:
            connection.exec_driver_sql(statement)
    db.session.commit()


# A sequence never called since its last restart reads NULL as its last value.
_RESTART_USED_SEQUENCES = (
    "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass,"
    " start_value, false) FROM pg_sequences WHERE last_value IS NOT NULL"
)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@dataclass(frozen=True)
class UserRecord:
    id: int
    email: str
    role: Role
    team_id: int | None


@pytest.fixture
def make_user(app: Flask):
    """Return a function creating a user with the test password."""

    def make(
        role: Role = Role.AUDITOR, email: str | None = None, team: str | None = "Team A"
    ) -> UserRecord:
        with app.app_context():
            count = db.session.query(User).count()
            user = create_user(
                db.session,
                email or f"{role.value}{count}@example.org",
                f"Test {role.label} {count}",
                role,
                TEST_PASSWORD,
                team,
            )
            db.session.commit()
            return UserRecord(user.id, user.email, role, user.team_id)

    return make


@pytest.fixture
def sign_in(client: FlaskClient):
    """Return a function signing a user in through the sign-in form."""

    def do_sign_in(user: UserRecord) -> None:
        response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)

    return do_sign_in


_SHIPPED_PLAN = []


@pytest.fixture
def templates_loaded(app: Flask) -> None:
    """The shipped audit templates, loaded (parsed once per session: the database is empty
    before each test, so the plan is the same every time)."""
    with app.app_context():
        if not _SHIPPED_PLAN:
            plan = plan_template_load(db.session, template_files(SHIPPED_TEMPLATES))
            assert not plan.problems, plan.problems
            _SHIPPED_PLAN.append(plan)
        apply_template_load(db.session, _SHIPPED_PLAN[0])
        db.session.commit()


_DEMO_ROWS: dict[str, TableRows] = {}


@pytest.fixture
def seeded_demo(app: Flask, database_url: str, templates_loaded) -> None:
    """The synthetic demo data as ``flask demo seed`` makes it, rollup included, on the shipped
    templates: seeded by the first test on each database, then its rows copied into the empty
    database of each later test (rows only: the seed's emails are not written again)."""
    with app.app_context():
        rows = _DEMO_ROWS.get(database_url)
        if rows is None:
            assert seed_demo_data(db.session)
            db.session.commit()
            # The templates' rows are the same in every test (ids restart): templates_loaded.
            _DEMO_ROWS[database_url] = read_rows(db.session, leave_out=DEMO_ROWS_LEFT_OUT)
        else:
            write_rows(db.session, rows)
            db.session.commit()


DEMO_ROWS_LEFT_OUT = frozenset({"template_versions"})


@pytest.fixture
def count_queries(app: Flask):
    """Return a counter of the SQL statements the app runs while it is open (``with``), in
    requests made through the test client as well as in the test's own app context."""
    with app.app_context():
        engine = db.engine

    class Counter:
        def __init__(self) -> None:
            self.statements: list[str] = []

        def __enter__(self) -> Counter:
            event.listen(engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc: object) -> None:
            event.remove(engine, "before_cursor_execute", self._record)

        def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
            self.statements.append(statement)

    return Counter
