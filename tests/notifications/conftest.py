"""Submitted audits for the notification tests, made through the same operations as the pages."""

from __future__ import annotations

import random

import pytest
from flask import Flask
from sqlalchemy import select

from qa_app.audits import operations
from qa_app.demo.synthetic import synthetic_responses
from qa_app.extensions import db
from qa_app.models import Audit, Team, TemplateVersion, User


@pytest.fixture
def submit_audit(app: Flask, templates_loaded):
    """Return a function submitting a complete synthetic audit by the auditor; its id."""

    def submit(
        auditor_id: int,
        reference: str = "SYN-000001",
        *,
        template: str = "front-door",
        seed: int = 1,
        team: str = "Team A",
        round_id: int | None = None,
    ) -> int:
        with app.app_context():
            version = db.session.scalar(
                select(TemplateVersion).where(TemplateVersion.key == template)
            )
            auditor = db.session.get(User, auditor_id)
            team_row = db.session.scalar(select(Team).where(Team.name == team))
            case = operations.find_or_create_case(db.session, reference, team_row)
            audit = operations.start_audit(db.session, version, case, auditor)
            audit.round_id = round_id
            responses, override = synthetic_responses(
                version.definition, random.Random(seed), quality=0.8
            )
            operations.save_audit(
                db.session,
                audit,
                auditor,
                responses,
                expected_version=audit.lock_version,
                override_reason=override,
            )
            result = operations.submit_audit(
                db.session, audit, auditor, expected_version=audit.lock_version
            )
            assert result.saved, result.problems
            db.session.commit()
            return audit.id

    return submit


def _unused_audit_status(app: Flask, audit_id: int) -> str:
    with app.app_context():
        return db.session.get(Audit, audit_id).status
