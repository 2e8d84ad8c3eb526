"""Importing into the database (SQLite and PostgreSQL): all or nothing, updates, teams, the log."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from qa_app.cases.operations import import_case_list
from qa_app.extensions import db
from qa_app.models import AuditEvent, Case, Team
from tests.cases.case_files import TEAM_A, TEAM_B, case_rows, csv_bytes, xlsx_bytes


def run_import(app, content: bytes, filename: str = "cases.csv", **options):
    with app.app_context():
        result = import_case_list(db.session, io.BytesIO(content), filename, None, **options)
        if result.imported:
            db.session.commit()
        else:
            db.session.rollback()
        return result


def stored_cases(app) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(
                Case.reference,
                Team.name,
                Case.case_type,
                Case.allocated_worker,
                Case.opened_on,
                Case.closed_on,
                Case.age_band,
            ).join(Team)
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def test_importing_creates_every_case_with_its_details(app, teams):
    rows = case_rows(3) + [
        ["SYN-9", TEAM_B, "Homeless 16-17", "", "2026-01-02", "3 March 2026", ""]
    ]
    result = run_import(app, csv_bytes(rows))
    assert result.imported
    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 4, 0, 0)
    cases = stored_cases(app)
    assert cases["SYN-000001"] == (
        TEAM_A,
        "child_in_need",
        "Worker 1 (synthetic)",
        date(2026, 3, 3),
        None,
        "5-9",
    )
    assert cases["SYN-9"] == (
        TEAM_B,
        "homeless_16_17",
        None,
        date(2026, 1, 2),
        date(2026, 3, 3),
        None,
    )


def test_a_workbook_is_imported_like_a_csv_file(app, teams):
    result = run_import(app, xlsx_bytes(case_rows(3)), "cases.xlsx")
    assert result.imported and result.created == 3
    assert len(stored_cases(app)) == 3


def test_one_bad_row_leaves_the_database_unchanged(app, teams):
    run_import(app, csv_bytes(case_rows(2)))
    before = stored_cases(app)
    rows = case_rows(2, team=TEAM_B) + case_rows(3, start=10)
    rows.append(["SYN-99", TEAM_A, "CIN", "W", "not a date", "", ""])
    result = run_import(app, csv_bytes(rows))
    assert not result.imported
    assert [(p.row, p.column) for p in result.row_problems] == [(7, "Date opened")]
    assert stored_cases(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 1


def test_importing_again_updates_cases_by_reference(app, teams):
    run_import(app, csv_bytes(case_rows(3)))
    changed = case_rows(3)
    changed[0][1:] = [TEAM_B, "CP", "New worker (synthetic)", "01/02/2026", "01/03/2026", "10-15"]
    changed.append(["SYN-NEW", TEAM_A, "LADO", "", "1/1/2026", "", ""])
    result = run_import(app, csv_bytes(changed))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    cases = stored_cases(app)
    assert len(cases) == 4
    assert cases["SYN-000001"] == (
        TEAM_B,
        "child_protection",
        "New worker (synthetic)",
        date(2026, 2, 1),
        date(2026, 3, 1),
        "10-15",
    )


def test_imports_larger_than_a_batch_are_written_in_full(app, teams):
    result = run_import(app, csv_bytes(case_rows(12_345)))
    assert result.created == 12_345
    again = run_import(app, csv_bytes(case_rows(12_345, team=TEAM_B)))
    assert (again.created, again.updated) == (0, 12_345)
    with app.app_context():
        team_b = db.session.scalar(select(Team.id).where(Team.name == TEAM_B))
        assert db.session.scalar(select(func.count()).where(Case.team_id == team_b)) == 12_345


def test_unknown_teams_refuse_the_file_unless_creating_teams_is_asked_for(app, teams):
    rows = case_rows(2, team="Team New (synthetic)")
    refused = run_import(app, csv_bytes(rows))
    assert [p.row for p in refused.row_problems] == [2, 3]
    with app.app_context():
        assert db.session.scalar(select(func.count(Team.id))) == 2
    created = run_import(app, csv_bytes(rows), create_teams=True)
    assert created.imported
    assert created.teams_created == ["Team New (synthetic)"]
    assert {team for team, *_ in stored_cases(app).values()} == {"Team New (synthetic)"}


def test_the_import_is_recorded_in_the_event_log(app, teams, make_user):
    admin = make_user(team=None)
    with app.app_context():
        from qa_app.models import User

        actor = db.session.get(User, admin.id)
        result = import_case_list(
            db.session,
            io.BytesIO(csv_bytes(case_rows(2, team="Team C (synthetic)"))),
            "march.csv",
            actor,
            create_teams=True,
        )
        db.session.commit()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cases_imported"))
        assert event.id == result.event_id
        assert event.actor_id == admin.id
        assert event.details == {
            "file": "march.csv",
            "source": "CSV",
            "rows": 2,
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "teams_created": ["Team C (synthetic)"],
            "ignored_columns": [],
        }


def test_a_refused_file_writes_no_event_and_creates_no_team(app, teams):
    rows = case_rows(1, team="Team New (synthetic)") + [["", TEAM_A, "CIN", "W", "1/1/2026"]]
    result = run_import(app, csv_bytes(rows), create_teams=True)
    assert not result.imported
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
        assert db.session.scalar(select(func.count(Team.id))) == 2


def test_the_cycle_collector_is_paused_during_an_import_and_left_as_it_was_found(
    app, teams, monkeypatch
):
    import gc

    from qa_app.cases import operations

    seen: list[bool] = []
    check = operations.check_case_file

    def checking(*args, **kwargs):
        seen.append(gc.isenabled())
        return check(*args, **kwargs)

    monkeypatch.setattr(operations, "check_case_file", checking)
    bad = case_rows(2)
    bad[1][4] = "not a date"
    assert gc.isenabled()
    assert run_import(app, csv_bytes(case_rows(2))).imported
    assert not run_import(app, csv_bytes(bad)).imported
    assert gc.isenabled()
    gc.disable()
    try:
        assert run_import(app, csv_bytes(case_rows(2))).imported
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False, False]
