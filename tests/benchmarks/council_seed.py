"""What the sampling and moderation benchmarks share: a database per engine, an app on it with
the schema built by the real migrations, and the templates, teams and auditors they seed.

``BENCH_DATABASES=sqlite`` (or ``postgresql``) limits the engines; PostgreSQL is skipped, with a
``BENCH <area> db=postgresql skipped`` line, when its binaries are not installed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select

from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import Role, Team, User
from qa_app.people.operations import create_user
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files
from tests.postgres import PostgresUnavailable, throwaway_cluster

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "synthetic benchmark passphrase kettle orchard"


def bench_databases(area: str) -> Iterator[tuple[str, str]]:
    """Yield (engine name, URL) for each engine asked for, each a fresh empty database."""
    for name in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","):
        try:
            with _database(name) as url:
                yield name, url
        except (PostgresUnavailable, FileNotFoundError) as error:
            print(f"BENCH {area} db={name} skipped: {error}", flush=True)


@contextmanager
def _database(name: str) -> Iterator[str]:
    if name == "postgresql":
        with throwaway_cluster() as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def bench_app(url: str, **config: object) -> Flask:
    """Return the app on the database at ``url``; build the schema with the migrations."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": url,
            "AUDIT_TEMPLATES_DIR": str(ROOT / "audit_templates"),
            **config,
        }
    )
    with app.app_context():
        upgrade()
    return app


def seed_teams_and_auditors(teams: int, auditors: int) -> tuple[list[int], list[int]]:
    """Load the templates, add ``teams`` synthetic teams and ``auditors`` auditors spread over
    them; return the team ids and the auditor ids, in id order. Call inside an app context."""
    plan = plan_template_load(db.session, template_files(ROOT / "audit_templates"))
    apply_template_load(db.session, plan)
    db.session.execute(
        insert(Team), [{"name": f"Team {n:02d} (synthetic)"} for n in range(1, teams + 1)]
    )
    team_ids = list(db.session.scalars(select(Team.id).order_by(Team.id)))
    for n in range(auditors):
        create_user(
            db.session,
            f"auditor{n}@example.org",
            f"Auditor {n:02d} (synthetic)",
            Role.AUDITOR,
            PASSWORD,
            f"Team {n % teams + 1:02d} (synthetic)",
        )
    auditor_ids = list(
        db.session.scalars(select(User.id).where(User.role == Role.AUDITOR.value).order_by(User.id))
    )
    return team_ids, auditor_ids
