"""Fixtures for loading versions of a synthetic template and filling audits on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Answer, Audit, Role, TemplateVersion
from tests.template_versions.synthetic_versions import KEY, V1


@pytest.fixture
def template_path(tmp_path: Path) -> Path:
    """Where QA staff keep the synthetic template's file (the same file for every version)."""
    folder = tmp_path / "audit_templates"
    folder.mkdir()
    return folder / f"{KEY}.yaml"


@pytest.fixture
def load(runner, template_path: Path) -> Callable[..., object]:
    """Return a function writing the template file and running ``templates load`` on it."""

    def write_and_load(text: str, *options: str):
        template_path.write_text(text, encoding="utf-8")
        return runner.invoke(args=["templates", "load", *options, str(template_path)])

    return write_and_load


@pytest.fixture
def version_1_loaded(load) -> None:
    result = load(V1)
    assert result.exit_code == 0, result.output


@pytest.fixture
def auditor(make_user, sign_in):
    user = make_user(Role.AUDITOR)
    sign_in(user)
    return user


@pytest.fixture
def database_state(app: Flask) -> Callable[[], tuple]:
    """Return a function describing what is stored: every version, and the audits and answers."""

    def state() -> tuple:
        with app.app_context():
            versions = db.session.execute(
                select(
                    TemplateVersion.key,
                    TemplateVersion.version,
                    TemplateVersion.source_hash,
                    TemplateVersion.definition_json,
                ).order_by(TemplateVersion.key, TemplateVersion.version)
            ).all()
            audits = db.session.scalar(select(func.count(Audit.id)))
            answers = db.session.scalar(select(func.count(Answer.id)))
            return [tuple(v) for v in versions], audits, answers

    return state
