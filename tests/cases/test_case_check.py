"""Checking whole files without a database: every row problem, and each kind of unreadable file."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from qa_app.cases.case_check import CaseListCheck, check_case_file
from qa_app.cases.case_files import CaseFileError, open_case_file
from qa_app.cases.case_list import CaseRow, RowProblem, TeamNames
from qa_app.cases.row_spool import RowSpool
from tests.cases.case_files import HEADINGS, TEAM_A, TEAM_B, case_rows, csv_bytes, xlsx_bytes


def check(
    content: bytes,
    filename: str = "cases.csv",
    *,
    teams: tuple[str, ...] = (TEAM_A, TEAM_B),
    create_teams: bool = False,
    sheet: str | None = None,
    max_rows: int = 1000,
) -> tuple[CaseListCheck, list[CaseRow]]:
    """Return what checking the file found and the rows it stored to write."""
    stream = io.BytesIO(content)
    try:
        case_file = open_case_file(stream, filename, sheet)
    except CaseFileError as error:
        return CaseListCheck(file_problems=[str(error)]), []
    with RowSpool(batch_rows=2) as spool:
        result = check_case_file(
            case_file, TeamNames(teams, create=create_teams), spool, max_rows=max_rows
        )
        stored = [row for batch in spool.batches() for row in batch]
    case_file.close()
    return result, stored


def test_a_good_csv_file_gives_every_row_ready_to_write():
    result, rows = check(csv_bytes(case_rows(5)))
    assert result.ok
    assert result.rows == 5
    assert rows[0] == CaseRow(
        2,
        "SYN-000001",
        TEAM_A,
        "child_in_need",
        "Worker 1 (synthetic)",
        date(2026, 3, 3),
        None,
        "5-9",
    )
    assert [r.row for r in rows] == [2, 3, 4, 5, 6]


def test_a_good_workbook_gives_the_same_rows_as_the_same_csv():
    csv_result, csv_rows = check(csv_bytes(case_rows(3)))
    xlsx_result, xlsx_rows = check(xlsx_bytes(case_rows(3)), "cases.xlsx")
    assert xlsx_result.ok and csv_result.ok
    assert xlsx_rows == csv_rows


def test_real_excel_date_cells_are_read_as_dates():
    rows = [["SYN-1", TEAM_A, "CP", "W (synthetic)", datetime(2026, 3, 3), date(2026, 4, 1), None]]
    result, stored = check(xlsx_bytes(rows), "cases.xlsx")
    assert result.ok, result
    assert stored[0].opened_on == date(2026, 3, 3)
    assert stored[0].closed_on == date(2026, 4, 1)


def test_references_are_stored_in_capitals_and_teams_as_they_are_set_up():
    rows = [["syn-7", "  team a (SYNTHETIC) ", "cin", "", "2026-01-01", "", ""]]
    result, stored = check(csv_bytes(rows))
    assert result.ok
    assert stored[0].reference == "SYN-7"
    assert stored[0].team == TEAM_A
    assert stored[0].allocated_worker is None
    assert stored[0].age_band is None


def test_every_bad_row_is_reported_with_its_spreadsheet_row_and_column():
    rows = [
        ["SYN-1", TEAM_A, "CIN", "W", "03/03/2026", "", ""],  # row 2: good
        ["", TEAM_A, "CIN", "W", "03/03/2026", "", ""],  # row 3: no reference
        ["SYN-3", "Team Z (synthetic)", "CIN", "W", "03/03/2026", "", ""],  # row 4: unknown team
        ["SYN-4", TEAM_A, "Adoption", "W", "03/03/2026", "", ""],  # row 5: unknown case type
        ["SYN-5", TEAM_A, "CIN", "W", "next Tuesday", "", ""],  # row 6: not a date
        ["SYN-6", TEAM_A, "CIN", "W", "03/03/2026", "01/03/2026", ""],  # row 7: closed before
        ["syn-1", TEAM_A, "CIN", "W", "03/03/2026", "", ""],  # row 8: duplicate of row 2
        ["SYN-8", TEAM_A, "", "W", "", "", ""],  # row 9: two problems
    ]
    result, stored = check(csv_bytes(rows))
    assert not result.ok
    assert result.file_problems == []
    assert [(p.row, p.column) for p in result.row_problems] == [
        (3, "Case reference"),
        (4, "Team"),
        (5, "Case type"),
        (6, "Date opened"),
        (7, "Date closed"),
        (8, "Case reference"),
        (9, "Case type"),
        (9, "Date opened"),
    ]
    messages = [p.message for p in result.row_problems]
    assert messages[0] == "Enter the case reference"
    assert messages[1].startswith('There is no team called "Team Z (synthetic)"')
    assert messages[2].startswith('Case type "Adoption" is not one we know; use one of: ')
    assert messages[3].startswith('Date opened "next Tuesday" must be a date')
    assert messages[4] == "Date closed must be the same as or after the date opened (3 March 2026)"
    assert messages[5] == "Case reference SYN-1 is also on row 2"
    assert messages[6] == "Enter the case type"
    assert messages[7] == "Enter the date opened"
    # Rows after the first problem are checked but not kept: nothing will be written.
    assert [r.row for r in stored] == [2]


def test_problems_name_the_column_as_headed_in_the_file():
    headings = ["Case ref", "Team name", "Type", "Worker", "Start date"]
    result, _ = check(csv_bytes([["SYN-1", TEAM_A, "CIN", "W", "31/02/2026"]], headings))
    assert result.row_problems == [
        RowProblem(2, "Start date", 'Date opened "31/02/2026" must be a real date')
    ]


def test_over_long_values_are_reported():
    rows = [["SYN-" + "9" * 70, TEAM_A, "CIN", "W", "03/03/2026", "", "x" * 21]]
    result, _ = check(csv_bytes(rows))
    assert [p.message for p in result.row_problems] == [
        "Case reference must be 64 characters or fewer",
        "Age band must be 20 characters or fewer",
    ]


def test_an_age_band_excel_turned_into_a_date_is_reported():
    rows = [["SYN-1", TEAM_A, "CIN", "W", date(2026, 3, 3), None, datetime(2026, 5, 9)]]
    result, _ = check(xlsx_bytes(rows), "cases.xlsx")
    assert result.row_problems == [
        RowProblem(
            2,
            "Age band",
            "Age band is a date in the spreadsheet; format the column as text and type the "
            "value again",
        )
    ]


def test_unknown_teams_are_new_teams_when_creating_teams_is_asked_for():
    rows = [
        ["SYN-1", "Team Z (synthetic)", "CIN", "W", "03/03/2026", "", ""],
        ["SYN-2", "team z (synthetic)", "CIN", "W", "03/03/2026", "", ""],
        ["SYN-3", TEAM_A, "CIN", "W", "03/03/2026", "", ""],
    ]
    result, stored = check(csv_bytes(rows), create_teams=True)
    assert result.ok
    assert result.new_teams == ["Team Z (synthetic)"]
    assert [r.team for r in stored] == ["Team Z (synthetic)", "Team Z (synthetic)", TEAM_A]


def test_blank_rows_are_skipped_but_row_numbers_still_count_them():
    rows = [case_rows(1)[0], ["", "", "", "", "", "", ""], ["SYN-3", TEAM_A, "??", "", "1/1/2026"]]
    result, _ = check(csv_bytes(rows))
    assert result.rows == 2
    assert [p.row for p in result.row_problems] == [4]


def test_blank_rows_in_a_workbook_keep_their_row_numbers():
    rows = [case_rows(1)[0], [None] * 7, [None] * 7, ["SYN-3", TEAM_A, "??", "", "1/1/2026"]]
    result, _ = check(xlsx_bytes(rows), "cases.xlsx")
    assert [p.row for p in result.row_problems] == [5]


def test_a_formula_refuses_the_file_naming_the_first_cell():
    rows = [case_rows(1)[0], ["SYN-2", TEAM_A, '=IF(1,"CIN","CP")', "W", "=TODAY()", "", ""]]
    result, stored = check(xlsx_bytes(rows), "cases.xlsx")
    assert not result.ok
    assert result.file_problems[0].startswith(
        "Cell C3 contains a formula; paste values only (2 cells in the imported columns contain "
        "formulas)"
    )
    assert [r.row for r in stored] == [2]


def test_an_empty_file_is_refused():
    assert check(b"")[0].file_problems == ["The selected file is empty"]
    assert check(b"\r\n\r\n")[0].file_problems == ["The selected file is empty"]
    assert check(xlsx_bytes([], headings=None), "cases.xlsx")[0].file_problems == [
        "The selected file is empty"
    ]


def test_a_file_with_headings_and_no_cases_is_refused():
    for content, name in ((csv_bytes([]), "cases.csv"), (xlsx_bytes([]), "cases.xlsx")):
        assert check(content, name)[0].file_problems == [
            "The file has headings but no cases: add a row for each case below the headings"
        ]


def test_a_file_whose_first_row_is_empty_is_refused():
    result, _ = check(b"\r\n" + csv_bytes(case_rows(1)))
    assert result.file_problems == [
        "Row 1 is empty: put the column headings in row 1 and the cases below them"
    ]


def test_missing_heading_columns_are_reported_once_not_for_every_row():
    result, _ = check(csv_bytes(case_rows(3), ["Reference", "Team", "Case type", "Worker"]))
    assert result.row_problems == []
    assert result.file_problems == [
        "Row 1 must have a heading for each column; the file has no column for date opened. "
        'Headings found: "Reference", "Team", "Case type", "Worker"'
    ]


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("cases.txt", "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        ("cases.pdf", "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        ("cases", "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        ("cases.xls", "The selected file is an Excel 97-2003 workbook (.xls): save it as"),
        ("cases.ods", "The selected file is an OpenDocument spreadsheet (.ods): save it as"),
    ],
)
def test_files_of_other_types_are_refused_saying_what_to_do(filename, message):
    result, _ = check(csv_bytes(case_rows(1)), filename)
    assert result.file_problems[0].startswith(message)


def test_a_workbook_named_csv_and_text_named_xlsx_are_refused():
    as_csv, _ = check(xlsx_bytes(case_rows(1)), "cases.csv")
    assert as_csv.file_problems[0].startswith("The file is named .csv but is an Excel workbook")
    as_xlsx, _ = check(csv_bytes(case_rows(1)), "cases.xlsx")
    assert as_xlsx.file_problems[0].startswith("The file is named .xlsx but is not an Excel")


def test_a_damaged_workbook_is_refused():
    result, _ = check(b"PK\x03\x04 not really a zip file", "cases.xlsx")
    assert result.file_problems[0].startswith("The file could not be read as an Excel workbook")


def test_a_binary_file_named_csv_is_refused():
    result, _ = check(b"\x00\x01\x02\x03binary", "cases.csv")
    assert result.file_problems == [
        "The file is not a text file: save it from your spreadsheet as CSV"
    ]


def test_the_row_limit_refuses_a_huge_file_clearly():
    result, stored = check(csv_bytes(case_rows(11)), max_rows=10)
    assert result.file_problems == [
        "The file has more than 10 cases (rows below the headings). Split it into files of 10 "
        "rows or fewer and import each one"
    ]
    assert check(csv_bytes(case_rows(10)), max_rows=10)[0].ok


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_files_in_the_encodings_spreadsheets_save_are_read(encoding):
    rows = [["SYN-1", TEAM_A, "CIN", "Zoë Brontë (synthetic)", "03/03/2026", "", ""]]
    result, stored = check(
        csv_bytes(rows, encoding=encoding, delimiter="\t" if encoding == "utf-16" else ",")
    )
    assert result.ok, result
    assert stored[0].allocated_worker == "Zoë Brontë (synthetic)"
    assert stored[0].reference == "SYN-1"  # a byte order mark is not part of the first heading


def test_semicolon_separated_csv_is_read():
    result, _ = check(csv_bytes(case_rows(2), delimiter=";"))
    assert result.ok


def test_text_in_no_known_encoding_is_refused():
    content = csv_bytes(case_rows(1)) + b"SYN-2,\x81\x8d,CIN,W,1/1/2026,,\r\n"
    result, _ = check(content)
    assert result.file_problems[0].startswith("The file's text could not be read")


def test_quoted_fields_with_new_lines_count_as_one_spreadsheet_row():
    content = csv_bytes(
        [
            ["SYN-1", TEAM_A, "CIN", "Worker\nwith a new line", "3/3/2026"],
            ["SYN-2", TEAM_A, "??", "W", "3/3/2026"],
        ]
    )
    result, _ = check(content)
    assert [p.row for p in result.row_problems] == [3]


def test_a_workbook_whose_other_sheets_are_empty_uses_the_first_sheet():
    content = xlsx_bytes(case_rows(2), sheets={"Notes": [], "Blank": [[None, None]]})
    result, stored = check(content, "cases.xlsx")
    assert result.ok
    assert len(stored) == 2


def test_a_workbook_with_several_sheets_of_data_must_name_the_sheet():
    content = xlsx_bytes(case_rows(2), sheets={"Closed cases": [HEADINGS, *case_rows(1, start=9)]})
    result, _ = check(content, "cases.xlsx")
    assert result.file_problems == [
        'The workbook has more than one sheet with data ("Cases", "Closed cases"): enter the '
        "name of the sheet to import, or delete the other sheets"
    ]
    named, stored = check(content, "cases.xlsx", sheet="closed CASES")
    assert named.ok
    assert [r.reference for r in stored] == ["SYN-000009"]


def test_a_sheet_name_that_is_not_in_the_workbook_lists_the_sheets():
    result, _ = check(xlsx_bytes(case_rows(1)), "cases.xlsx", sheet="Sheet9")
    assert result.file_problems == ['The workbook has no sheet called "Sheet9". Sheets: "Cases"']


def test_the_spool_gives_back_rows_in_order_across_batches():
    with RowSpool(batch_rows=3) as spool:
        rows = [
            CaseRow(n, f"SYN-{n}", TEAM_A, "lado", None, date(2026, 1, n), None, None)
            for n in range(1, 11)
        ]
        for row in rows:
            spool.append(row)
        batches = list(spool.batches())
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert [r for b in batches for r in b] == rows
