"""Fixtures for actions and safeguarding concerns: people in two teams, their own signed-in
clients, and audits of synthetic cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_app.audits.operations import find_or_create_case, start_audit
from qa_app.extensions import db
from qa_app.models import AuditEvent, AuditStatus, Role, Team, TemplateVersion, User
from tests.audits.helpers import start_audit_through_the_form
from tests.conftest import TEST_PASSWORD, UserRecord

TEAM_A = "Team A (synthetic)"
TEAM_B = "Team B (synthetic)"
# The auditor's own team: nobody audits a case held by their own team.
TEAM_C = "Auditor team (synthetic)"


@dataclass(frozen=True)
class People:
    auditor: UserRecord
    other_auditor: UserRecord
    manager_a: UserRecord
    manager_b: UserRecord
    head_of_service: UserRecord  # a manager without a team
    admin: UserRecord


@pytest.fixture
def people(make_user, templates_loaded) -> People:
    """Synthetic users; the auditor audits Team A's cases from another team."""
    return People(
        auditor=make_user(Role.AUDITOR, team=TEAM_C),
        other_auditor=make_user(Role.AUDITOR, team=TEAM_A),
        manager_a=make_user(Role.MANAGER, team=TEAM_A),
        manager_b=make_user(Role.MANAGER, team=TEAM_B),
        head_of_service=make_user(Role.MANAGER, team=None),
        admin=make_user(Role.ADMIN, team=None),
    )


@pytest.fixture
def client_for(app: Flask) -> Callable[[UserRecord], FlaskClient]:
    """Return a function giving each user a browser of their own, signed in."""

    def make(user: UserRecord) -> FlaskClient:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def draft_audit(app, people, client_for) -> int:
    """A draft audit of a Team A case, started by the auditor through the form."""
    return start_audit_through_the_form(
        client_for(people.auditor), app, "front-door", "SYN-100001", team=TEAM_A
    )


@pytest.fixture
def make_audit(app) -> Callable[..., int]:
    """Return a function creating an audit of a synthetic case in a team; returns its id."""

    def make(auditor: UserRecord, reference: str, team: str = TEAM_A, status: str | None = None):
        with app.app_context():
            version = db.session.scalar(
                select(TemplateVersion).where(TemplateVersion.key == "front-door")
            )
            team_row = db.session.scalar(select(Team).where(Team.name == team))
            if team_row is None:
                team_row = Team(name=team)
                db.session.add(team_row)
            case = find_or_create_case(db.session, reference, team_row)
            audit = start_audit(db.session, version, case, db.session.get(User, auditor.id))
            if status is not None:
                audit.status = AuditStatus(status).value
            db.session.commit()
            return audit.id

    return make


@pytest.fixture
def events(app) -> Callable[[str], list[AuditEvent]]:
    """Return a function listing the logged events of one kind, oldest first."""

    def find(action: str) -> list[AuditEvent]:
        with app.app_context():
            query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            found = list(db.session.scalars(query))
            db.session.expunge_all()
            return found

    return find
