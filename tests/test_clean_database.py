"""Each test starts from an empty database whose ids start again, as a new database would."""

from __future__ import annotations

from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import AuditEvent, Role
from tests.conftest import _empty_all_tables


def test_emptying_the_database_deletes_every_row_and_restarts_ids(app, make_user):
    first = make_user(Role.MANAGER, team="Team A")
    make_user(Role.AUDITOR, team="Team B")
    with app.app_context():
        db.session.add(AuditEvent(action="test_event", actor_id=first.id, details={}))
        db.session.commit()

        _empty_all_tables()

        for table in db.metadata.sorted_tables:
            assert db.session.scalar(select(func.count()).select_from(table)) == 0, table.name
    again = make_user(Role.AUDITOR, team="Team C")
    assert (again.id, again.team_id) == (first.id, first.team_id)
