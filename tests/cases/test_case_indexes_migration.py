"""The cases table keeps one index by team (team and reference), and the migration that dropped
the index on team alone puts it back when downgraded (on a database of its own, since it goes
down and up again)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from qa_app import create_app
from qa_app.extensions import db
from tests.conftest import _test_config


def _case_indexes() -> dict[str, list[str]]:
    indexes = inspect(db.engine).get_indexes("cases")
    return {index["name"]: index["column_names"] for index in indexes}


def test_cases_are_indexed_by_team_only_through_team_and_reference(own_database_url, tmp_path):
    app = create_app(_test_config(own_database_url, tmp_path))
    with app.app_context():
        upgrade()
        by_team = {n: c for n, c in _case_indexes().items() if c[0] == "team_id"}
        assert by_team == {"ix_cases_team_id_reference": ["team_id", "reference"]}
        downgrade(revision="0012")
        assert _case_indexes()["ix_cases_team_id"] == ["team_id"]
        upgrade()
        assert "ix_cases_team_id" not in _case_indexes()
        db.engine.dispose()
