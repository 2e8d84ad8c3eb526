"""Fixtures for governance: the follow-up area's synthetic people and audits, and a concern."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.extensions import db
from qa_app.follow_up.operations import ActionDetails, add_action, raise_concern
from qa_app.models import Audit, User
from tests.follow_up import conftest as follow_up

# The follow-up area's fixtures, shared: people in two teams, signed-in clients, audits.
TEAM_A, TEAM_B = follow_up.TEAM_A, follow_up.TEAM_B
people = follow_up.people
client_for = follow_up.client_for
make_audit = follow_up.make_audit
draft_audit = follow_up.draft_audit
events = follow_up.events


@pytest.fixture
def audit_with_follow_up(app, people, make_audit) -> dict[str, int]:
    """An audit of a Team A case with an action and a safeguarding concern; returns their ids."""
    audit_id = make_audit(people.auditor, "SYN-200001")
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        auditor = db.session.get(User, people.auditor.id)
        action = add_action(
            db.session,
            audit,
            auditor,
            ActionDetails(
                "Synthetic action text", None, "Team manager", date(2099, 1, 1), "high", "case"
            ),
            today=date(2026, 1, 1),
        )
        concern = raise_concern(db.session, audit, auditor, "Synthetic concern text")
        db.session.commit()
        return {
            "audit_id": audit.id,
            "case_id": audit.case_id,
            "action_id": action.id,
            "concern_id": concern.id,
        }


@pytest.fixture
def demo(seeded_demo):
    """The synthetic demo data: audits submitted over the last six months, with text (seeded
    with its rollup once per database, copied into each test's database)."""


@pytest.fixture
def app_factory_config(database_url, tmp_path):
    """Return a function making another app on the test database with some settings changed."""
    from qa_app import create_app
    from tests.conftest import _test_config

    def make(settings: dict[str, object]):
        return create_app({**_test_config(database_url, tmp_path), **settings})

    return make
