"""The command-line tools, through Flask's CLI runner."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Audit, TemplateVersion, User
from tests.conftest import SHIPPED_TEMPLATES


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_templates_check_passes_the_shipped_templates(runner):
    paths = [str(p) for p in sorted(SHIPPED_TEMPLATES.glob("*.yaml"))]
    result = runner.invoke(args=["templates", "check", *paths])
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} file(s) checked: no problems." in result.output


def test_templates_check_prints_file_line_and_column_and_exits_1(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: broken\nversion: 1\ntitle: Broken\nsections: []\n")
    result = runner.invoke(args=["templates", "check", str(broken)])
    assert result.exit_code == 1
    path, line, column, message = result.output.splitlines()[0].split(":", 3)
    assert path == str(broken)
    assert line.isdigit() and column.isdigit()
    assert message.strip()


def test_templates_load_stores_every_file_once_and_is_idempotent(app, runner):
    result = runner.invoke(args=["templates", "load"])
    assert result.exit_code == 0, result.output
    assert "new template" in result.output
    stored = _count(app, TemplateVersion)
    assert stored == len(list(SHIPPED_TEMPLATES.glob("*.yaml")))
    again = runner.invoke(args=["templates", "load"])
    assert again.exit_code == 0
    assert "unchanged, already loaded" in again.output
    assert _count(app, TemplateVersion) == stored


def test_templates_load_dry_run_changes_nothing(app, runner):
    result = runner.invoke(args=["templates", "load", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    assert _count(app, TemplateVersion) == 0


def test_templates_load_is_all_or_nothing(app, runner, tmp_path):
    shutil.copy(SHIPPED_TEMPLATES / "front-door.yaml", tmp_path / "front-door.yaml")
    (tmp_path / "zz-broken.yaml").write_text("key: zz\nversion: one\n")
    result = runner.invoke(args=["templates", "load", *map(str, sorted(tmp_path.glob("*.yaml")))])
    assert result.exit_code == 1
    assert "zz-broken.yaml:2:" in result.output
    assert "Nothing was loaded" in result.output
    assert _count(app, TemplateVersion) == 0


def test_users_create_reads_the_password_from_standard_input(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "New.Person@Example.org",
            "--name",
            "New Person",
            "--role",
            "manager",
            "--team",
            "Synthetic team",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "new.person@example.org"
        assert user.role == "manager"
        assert user.team.name == "Synthetic team"
        assert user.check_password("a long enough password")
        assert "a long enough password" not in user.password_hash


def test_users_create_refuses_a_duplicate_email_and_a_short_password(app, runner):
    args = [
        "users",
        "create",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "auditor",
        "--password-stdin",
    ]
    assert runner.invoke(args=args, input="short\n").exit_code == 1
    assert runner.invoke(args=args, input="long enough password\n").exit_code == 0
    duplicate = runner.invoke(args=args, input="long enough password\n")
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    assert _count(app, User) == 1


def test_demo_seed_creates_synthetic_data_once_and_prints_the_sign_ins(app, runner):
    runner.invoke(args=["templates", "load"])
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "auditor@example.org" in first.output and "password:" in first.output
    audits = _count(app, Audit)
    assert audits >= 24
    second = runner.invoke(args=["demo", "seed"])
    assert "nothing changed" in second.output
    assert _count(app, Audit) == audits
    with app.app_context():
        statuses = set(db.session.scalars(select(Audit.status)))
        assert {"assigned", "draft", "submitted", "returned", "resubmitted"} <= statuses
