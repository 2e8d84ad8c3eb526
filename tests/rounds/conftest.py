"""Fixtures for audit rounds: synthetic cases and audits inserted directly; a signed-in admin."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, insert, select

from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, Case, Role, TemplateVersion
from qa_app.people.operations import find_or_create_team
from tests.rounds.helpers import TEAM_A, TEAM_B, create_round_through_the_form


@pytest.fixture
def admin(make_user, sign_in):
    """An administrator, signed in."""
    user = make_user(Role.ADMIN, team=None)
    sign_in(user)
    return user


@pytest.fixture
def version_id(app, templates_loaded) -> int:
    """The id of the front-door template's latest version."""
    with app.app_context():
        return db.session.scalar(
            select(TemplateVersion.id)
            .where(TemplateVersion.key == "front-door")
            .order_by(TemplateVersion.version.desc())
        )


@pytest.fixture
def add_cases(app):
    """Return a function inserting synthetic cases for a team (created when new); it returns
    the new cases' ids. References run on from the cases already there: SYN-000001, ..."""

    def add(
        team: str, count: int, *, case_type: str | None = "CIN", closed_on: date | None = None
    ) -> list[int]:
        with app.app_context():
            team_row = find_or_create_team(db.session, team)
            db.session.flush()
            start = (db.session.scalar(select(func.count(Case.id))) or 0) + 1
            rows = [
                {
                    "reference": f"SYN-{number:06d}",
                    "team_id": team_row.id,
                    "case_type": case_type,
                    "closed_on": closed_on,
                }
                for number in range(start, start + count)
            ]
            db.session.execute(insert(Case), rows)
            db.session.commit()
            return list(
                db.session.scalars(
                    select(Case.id)
                    .where(Case.reference.in_([r["reference"] for r in rows]))
                    .order_by(Case.id)
                )
            )

    return add


@pytest.fixture
def add_audit(app, version_id):
    """Return a function recording an earlier audit of a case, made at the given time."""

    def add(case_id: int, auditor_id: int, made_at: datetime, status=AuditStatus.SUBMITTED) -> int:
        with app.app_context():
            audit = Audit(
                template_version_id=version_id,
                case_id=case_id,
                auditor_id=auditor_id,
                status=status.value,
                created_at=made_at.replace(tzinfo=UTC) if made_at.tzinfo is None else made_at,
            )
            db.session.add(audit)
            db.session.commit()
            return audit.id

    return add


@pytest.fixture
def confirmed_round(client, app, admin, version_id, add_cases) -> int:
    """A confirmed round of 3 cases from each of two synthetic teams."""
    add_cases(TEAM_A, 8)
    add_cases(TEAM_B, 8)
    round_id = create_round_through_the_form(client, app, version_id, cases_per_team="3")
    assert client.post(f"/admin/rounds/{round_id}/confirm").status_code == 302
    client.get(f"/admin/rounds/{round_id}")  # shows (and clears) the confirmation banner
    return round_id
