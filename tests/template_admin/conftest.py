"""Fixtures for the templates pages: a second version of a shipped template, audits on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from qa_app.audits.operations import find_or_create_case, start_audit
from qa_app.extensions import db
from qa_app.models import Role, Team, TemplateVersion, User
from qa_app.template_library.loading import apply_template_load, plan_template_load
from tests.conftest import SHIPPED_TEMPLATES

SUPERVISION_V1_QUESTION = "Was the case discussed in supervision as often as the policy requires?"
SUPERVISION_V2_QUESTION = "Was the case discussed in supervision as often as the policy says?"


@pytest.fixture
def qa_lead(make_user, sign_in):
    """A manager with no team (a QA lead), signed in."""
    user = make_user(Role.MANAGER, team=None)
    sign_in(user)
    return user


@pytest.fixture
def supervision_v2(app: Flask, templates_loaded, tmp_path: Path) -> None:
    """Version 2 of the shipped supervision template, with one question reworded."""
    text = (SHIPPED_TEMPLATES / "supervision.yaml").read_text(encoding="utf-8")
    assert SUPERVISION_V1_QUESTION in text
    text = text.replace("version: 1", "version: 2", 1).replace(
        SUPERVISION_V1_QUESTION, SUPERVISION_V2_QUESTION
    )
    path = tmp_path / "supervision.yaml"
    path.write_text(text, encoding="utf-8")
    with app.app_context():
        plan = plan_template_load(db.session, [path])
        assert not plan.problems, plan.problems
        apply_template_load(db.session, plan)
        db.session.commit()


@pytest.fixture
def start_audits(app: Flask, make_user) -> Callable[[str, int, int], None]:
    """Return a function starting ``count`` synthetic audits on a stored template version."""
    auditor = make_user(Role.AUDITOR)
    started = 0

    def start(key: str, version: int, count: int) -> None:
        nonlocal started
        with app.app_context():
            stored = db.session.scalar(
                select(TemplateVersion).where(
                    TemplateVersion.key == key, TemplateVersion.version == version
                )
            )
            user = db.session.get(User, auditor.id)
            team = db.session.get(Team, auditor.team_id)
            for _ in range(count):
                started += 1
                case = find_or_create_case(db.session, f"SYN-{800000 + started}", team)
                start_audit(db.session, stored, case, user)
            db.session.commit()

    return start
