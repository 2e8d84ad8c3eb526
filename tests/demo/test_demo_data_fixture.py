"""The tests' demo data, seeded once per database, is the same in every test that uses it."""

from __future__ import annotations

from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Audit, User
from tests.conftest import _DEMO_ROWS, DEMO_ROWS_LEFT_OUT
from tests.table_rows import read_rows


def _check_demo_rows(app, database_url: str) -> None:
    with app.app_context():
        assert read_rows(db.session, leave_out=DEMO_ROWS_LEFT_OUT) == _DEMO_ROWS[database_url]
        assert db.session.scalar(select(func.count()).select_from(Audit)) > 300


def test_the_first_use_seeds_the_demo_data(app, database_url, seeded_demo):
    _check_demo_rows(app, database_url)


def test_a_later_use_copies_every_row_of_the_seeded_demo_data(app, database_url, seeded_demo):
    _check_demo_rows(app, database_url)


def test_new_rows_after_the_copy_get_fresh_ids(app, seeded_demo, make_user):
    with app.app_context():
        highest = db.session.scalar(select(func.max(User.id)))
    assert make_user().id == highest + 1
