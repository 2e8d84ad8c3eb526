"""``flask --app qa_app cases import``, through Flask's CLI runner."""

from __future__ import annotations

from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import AuditEvent, Case, Team
from tests.cases.case_files import HEADINGS, TEAM_A, case_rows, csv_bytes, xlsx_bytes


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_command_imports_a_csv_file_and_says_what_it_did(app, runner, teams, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(case_rows(3)))
    result = runner.invoke(args=["cases", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 case(s) from cases.csv: 3 created, 0 updated, 0 unchanged." in result.output
    assert count(app, Case) == 3
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        assert event.action == "cases_imported"
        assert event.actor_id is None


def test_the_command_creates_teams_only_when_asked(app, runner, teams, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes(case_rows(2, team="Team New (synthetic)")))
    refused = runner.invoke(args=["cases", "import", str(path)])
    assert refused.exit_code == 1
    assert f"{path}: row 2, Team: There is no team called" in refused.output
    assert "Nothing was imported" in refused.output
    assert count(app, Team) == 2
    created = runner.invoke(args=["cases", "import", str(path), "--create-teams"])
    assert created.exit_code == 0, created.output
    assert "Teams created: Team New (synthetic)." in created.output
    assert count(app, Case) == 2


def test_the_command_lists_every_bad_row_and_changes_nothing(app, runner, teams, tmp_path):
    path = tmp_path / "cases.csv"
    rows = case_rows(2) + [["", TEAM_A, "CIN", "W", "3/3/2026"], ["SYN-4", TEAM_A, "CIN", "W", "x"]]
    path.write_bytes(csv_bytes(rows))
    result = runner.invoke(args=["cases", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}: row 4, Case reference: Enter the case reference" in result.output
    assert f'{path}: row 5, Date opened: Date opened "x" must be a date' in result.output
    assert "2 row(s) have problems." in result.output
    assert count(app, Case) == 0
    assert count(app, AuditEvent) == 0


def test_the_command_reads_the_named_sheet(app, runner, teams, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes(case_rows(1), sheets={"Open": [HEADINGS, *case_rows(2, start=5)]}))
    refused = runner.invoke(args=["cases", "import", str(path)])
    assert refused.exit_code == 1
    assert "more than one sheet with data" in refused.output
    result = runner.invoke(args=["cases", "import", str(path), "--sheet", "Open"])
    assert result.exit_code == 0, result.output
    assert count(app, Case) == 2


def test_the_command_refuses_a_file_of_the_wrong_type(app, runner, tmp_path):
    path = tmp_path / "cases.json"
    path.write_text("[]")
    result = runner.invoke(args=["cases", "import", str(path)])
    assert result.exit_code == 1
    assert "must be a CSV file (.csv) or an Excel workbook (.xlsx)" in result.output
