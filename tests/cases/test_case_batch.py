"""The column-by-column checks agree with the row checker: same rows stored, same problems, in the
same order with the same row numbers, whatever mix of good, bad, blank and odd rows a file has."""

from __future__ import annotations

import io
import random
from datetime import date, datetime

import pytest

from qa_app.cases import case_check
from qa_app.cases.case_check import check_case_file
from qa_app.cases.case_files import open_case_file
from qa_app.cases.case_list import TeamNames
from qa_app.cases.row_spool import RowSpool
from tests.cases.case_files import TEAM_A, TEAM_B, csv_bytes, xlsx_bytes

GOOD = {
    "reference": ["SYN-{n}", " syn-{n} ", "SYN {n}"],
    "team": [TEAM_A, TEAM_B, "team a  (SYNTHETIC)", "New team (synthetic)"],
    "case_type": ["CIN", "Child protection", "cic", "LADO"],
    "worker": ["", "Worker 1 (synthetic)", " Worker  2 (synthetic) "],
    "opened": ["03/03/2026", "2026-01-02", "3 March 2025", "1/2/24"],
    "closed": ["", "04/04/2026", "2026-12-31"],
    "age_band": ["", "5-9", "16-17"],
}
BAD = {
    "reference": ["", "SYN-1", "R" * 70],
    "team": ["", "Unknown team (synthetic)", "T" * 130],
    "case_type": ["", "Not a case type"],
    "worker": ["W" * 130],
    "opened": ["", "31/02/2026", "not a date", "01/01/0026"],
    "closed": ["01/01/2020", "someday"],
    "age_band": ["A" * 30],
}
FIELDS = tuple(GOOD)


def _random_rows(chooser: random.Random, count: int, bad_share: float) -> list[list[object]]:
    rows: list[list[object]] = []
    for n in range(count):
        roll = chooser.random()
        if roll < 0.03:
            rows.append(["", " ", "", "", "", "", ""])  # a blank row
            continue
        row = [chooser.choice(GOOD[field]) for field in FIELDS]
        if roll < 0.03 + bad_share:
            field = chooser.randrange(len(FIELDS))
            row[field] = chooser.choice(BAD[FIELDS[field]])
        row[0] = row[0].format(n=n) if row[0] else row[0]
        rows.append(row)
    return rows


def _check(content: bytes, filename: str, create_teams: bool):
    case_file = open_case_file(io.BytesIO(content), filename)
    with RowSpool(batch_rows=7) as spool:
        result = check_case_file(
            case_file, TeamNames([TEAM_A, TEAM_B], create=create_teams), spool, max_rows=10_000
        )
        stored = [row for batch in spool.batches() for row in batch]
    case_file.close()
    return result, stored


def _row_by_row(monkeypatch, content: bytes, filename: str, create_teams: bool):
    with monkeypatch.context() as patch:
        patch.setattr(case_check, "check_batch", lambda *args, **kwargs: None)
        return _check(content, filename, create_teams)


@pytest.mark.parametrize("trial", range(12))
def test_batch_checks_store_and_report_what_the_row_checker_does(monkeypatch, trial):
    chooser = random.Random(trial)
    monkeypatch.setattr(case_check, "CHECK_BATCH_ROWS", chooser.choice((1, 5, 16, 50)))
    rows = _random_rows(chooser, chooser.randint(1, 120), bad_share=chooser.choice((0, 0.02, 0.2)))
    create_teams = trial % 2 == 0
    content = csv_bytes(rows)
    assert _check(content, "cases.csv", create_teams) == _row_by_row(
        monkeypatch, content, "cases.csv", create_teams
    )


@pytest.mark.parametrize("trial", range(4))
def test_batch_checks_agree_with_the_row_checker_on_workbook_cells(monkeypatch, trial):
    chooser = random.Random(100 + trial)
    monkeypatch.setattr(case_check, "CHECK_BATCH_ROWS", chooser.choice((3, 10)))
    rows = _random_rows(chooser, 40, bad_share=0.05)
    odd_cells = [104233, 104233.0, True, date(2026, 3, 3), datetime(2026, 3, 3, 9, 0), None, "=A1"]
    for row in chooser.sample(rows, 8):
        row[chooser.randrange(len(row))] = chooser.choice(odd_cells)
    content = xlsx_bytes(rows)
    assert _check(content, "cases.xlsx", True) == _row_by_row(
        monkeypatch, content, "cases.xlsx", True
    )


def test_a_clean_file_is_checked_without_the_row_checker(monkeypatch):
    rows = [
        [f"SYN-{n}", TEAM_A, "CIN", "Worker (synthetic)", "03/03/2026", "", "5-9"]
        for n in range(30)
    ]
    monkeypatch.setattr(case_check, "CHECK_BATCH_ROWS", 10)

    def refuse(*args, **kwargs):
        raise AssertionError("the row checker was used")

    monkeypatch.setattr(case_check.CaseListChecker, "check", refuse)
    result, stored = _check(csv_bytes(rows), "cases.csv", False)
    assert result.ok and result.rows == 30
    assert [r.row for r in stored] == list(range(2, 32))
    assert stored[0].opened_on == date(2026, 3, 3) and stored[0].closed_on is None
