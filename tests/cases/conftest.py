"""Fixtures for the case list tests: a signed-in administrator and a way to upload files."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Role, Team
from tests.cases.case_files import TEAM_A, TEAM_B


@pytest.fixture
def teams(app) -> dict[str, int]:
    """Two synthetic teams, by name."""
    with app.app_context():
        db.session.add_all([Team(name=TEAM_A), Team(name=TEAM_B)])
        db.session.commit()
        return {name: team_id for name, team_id in db.session.execute(select(Team.name, Team.id))}


@pytest.fixture
def admin(make_user, sign_in):
    user = make_user(Role.ADMIN, team=None)
    sign_in(user)
    return user


@pytest.fixture
def upload(client):
    """Return a function posting a file to the import form; it returns the response."""

    def post(content: bytes, filename: str = "cases.csv", **fields: object):
        data = {"file": (io.BytesIO(content), filename), **fields}
        return client.post("/admin/cases/import", data=data, content_type="multipart/form-data")

    return post
