"""The case writers (SQLite and PostgreSQL): each engine gets its fast path, and the fast path
and the portable Core writer store the same cases, read back the same through the ORM."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from qa_app.base_model import utcnow
from qa_app.cases import case_writer as writers
from qa_app.cases import operations
from qa_app.cases.case_writer import (
    CaseWriter,
    PostgresCaseWriter,
    SqliteCaseWriter,
    case_writer,
)
from qa_app.cases.operations import import_case_list
from qa_app.extensions import db
from qa_app.models import Case
from tests.cases.case_files import TEAM_A, TEAM_B, case_rows, csv_bytes


def _rows() -> list[list[object]]:
    rows = case_rows(8) + case_rows(4, team=TEAM_B, start=20)
    rows[1][5] = "04/04/2026"  # closed
    rows[2][3] = ""  # no worker
    rows[3][6] = ""  # no age band
    return rows


def _import_and_read(app, content: bytes) -> tuple[tuple[int, int, int], dict[str, tuple]]:
    with app.app_context():
        result = import_case_list(db.session, io.BytesIO(content), "cases.csv", None)
        assert result.imported, result.row_problems
        db.session.commit()
        cases = {
            case.reference: (
                case.team_id,
                case.case_type,
                case.allocated_worker,
                case.opened_on,
                case.closed_on,
                case.age_band,
            )
            for case in db.session.scalars(select(Case))
        }
        stamps = [(c.created_at, c.updated_at) for c in db.session.scalars(select(Case))]
    now = utcnow()
    for created, updated in stamps:
        # Timestamps read back as the ORM reads its own (SQLite keeps no time zone: UTC).
        created, updated = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (created, updated))
        assert now - timedelta(minutes=5) < created <= updated <= now
    return (result.created, result.updated, result.unchanged), cases


def test_each_engine_gets_its_fast_writer(app):
    with app.app_context():
        writer = case_writer(db.session.connection())
        engine = db.engine.dialect.name
    assert type(writer) is {"sqlite": SqliteCaseWriter, "postgresql": PostgresCaseWriter}[engine]


@pytest.mark.parametrize("portable", [False, True])
def test_the_fast_and_the_portable_writers_store_the_same_cases(app, teams, monkeypatch, portable):
    if portable:
        monkeypatch.setattr(operations, "case_writer", CaseWriter)
    first = _import_and_read(app, csv_bytes(_rows()))
    assert first[0] == (12, 0, 0)
    changed = _rows()
    changed[0][2] = "CP"
    changed[5][4] = "01/01/2025"
    changed.append(["SYN-NEW", TEAM_A, "LADO", "", "1/1/2026", "", ""])
    counts, cases = _import_and_read(app, csv_bytes(changed))
    assert counts == (1, 2, 10)
    assert cases["SYN-000001"][1] == "child_protection"
    assert cases["SYN-000006"][3] == datetime(2025, 1, 1).date()
    assert cases["SYN-000002"][4] == datetime(2026, 4, 4).date()
    assert cases["SYN-000003"][2] is None and cases["SYN-000004"][5] is None
    assert cases["SYN-000020"][0] == teams[TEAM_B]


def test_stored_dates_match_what_the_writer_compares_so_an_unchanged_file_changes_nothing(
    app, teams
):
    _import_and_read(app, csv_bytes(_rows()))
    counts, _ = _import_and_read(app, csv_bytes(_rows()))
    assert counts == (0, 0, 12)
    assert writers.UPDATED_COLUMNS[3:5] == ("opened_on", "closed_on")


def test_a_backslash_in_a_reference_or_a_worker_is_stored_as_written(app, teams):
    rows = case_rows(2)
    rows[0][0] = "SYN\\000001"
    rows[1][3] = "Worker \\N (synthetic)"
    _, cases = _import_and_read(app, csv_bytes(rows))
    assert set(cases) == {"SYN\\000001", "SYN-000002"}
    assert cases["SYN-000002"][2] == "Worker \\N (synthetic)"


def test_a_batch_longer_than_one_insert_statement_stores_every_row_in_file_order(app, teams):
    count = 2 * writers.ROWS_PER_INSERT + 30  # two full statements and a shorter one
    _, cases = _import_and_read(app, csv_bytes(case_rows(count)))
    assert len(cases) == count
    with app.app_context():
        stored = db.session.execute(select(Case.reference, Case.allocated_worker).order_by(Case.id))
        assert [tuple(row) for row in stored] == [
            (f"SYN-{n:06d}", f"Worker {n} (synthetic)") for n in range(1, count + 1)
        ]


def test_two_imports_that_change_cases_in_one_transaction_each_write_only_their_own_changes(
    app, teams
):
    _import_and_read(app, csv_bytes(case_rows(3)))
    first = case_rows(3)
    first[0][3] = "Worker changed first (synthetic)"
    second = case_rows(3)
    second[0][3] = "Worker set in between (synthetic)"
    second[1][2] = "CP"
    with app.app_context():
        result = import_case_list(db.session, io.BytesIO(csv_bytes(first)), "cases.csv", None)
        assert result.imported and result.updated == 1
        # Changed in the same transaction, as the second file says: nothing of the first
        # import's changes may be written again.
        db.session.execute(
            update(Case)
            .where(Case.reference == "SYN-000001")
            .values(allocated_worker="Worker set in between (synthetic)")
        )
        result = import_case_list(db.session, io.BytesIO(csv_bytes(second)), "cases.csv", None)
        assert result.imported and result.updated == 1
        db.session.commit()
        stored = {
            case.reference: (case.allocated_worker, case.case_type)
            for case in db.session.scalars(select(Case))
        }
    assert stored == {
        "SYN-000001": ("Worker set in between (synthetic)", "child_in_need"),
        "SYN-000002": ("Worker 2 (synthetic)", "child_protection"),
        "SYN-000003": ("Worker 3 (synthetic)", "child_in_need"),
    }


def test_a_large_import_on_postgresql_refreshes_the_planner_statistics_of_cases(
    app, teams, monkeypatch
):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite plans look-ups by reference on its unique index without them")
    monkeypatch.setattr(writers, "ANALYSE_AFTER", 10)
    _import_and_read(app, csv_bytes(case_rows(12)))
    with app.app_context():
        rows = db.session.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'cases'"))
        assert rows.scalar_one() == 12  # analysed in the import: never analysed reads -1
