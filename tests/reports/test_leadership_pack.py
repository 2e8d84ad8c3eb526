"""The leadership pack: every sheet, labels not keys, and figures equal to a pivot of its data."""

from __future__ import annotations

from collections import Counter, defaultdict
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import AuditEvent, Role
from qa_app.reports.pack_builder import sheet_titles
from tests.html_checks import check_page


def _download(client, **form) -> BytesIO:
    data = {"tier": "de_identified", "with_data": "y", **form}
    response = client.post("/reports/pack", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return BytesIO(response.data)


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _table(rows: list[tuple], heading: str) -> list[tuple]:
    """Return the rows under the header row whose first cell is ``heading``, up to a blank."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == heading)
    table = []
    for row in rows[start + 1 :]:
        if not row or row[0] is None:
            break
        table.append(row)
    return table


def test_an_admin_downloads_a_de_identified_pack_with_every_sheet(
    client, demo_data, make_user, sign_in
):
    sign_in(make_user(Role.ADMIN, team=None))
    page = client.get("/reports/pack")
    check_page(page.get_data(as_text=True))
    workbook = load_workbook(_download(client))
    assert workbook.sheetnames == sheet_titles()
    data = _rows(workbook["Data"])
    assert "Case reference" not in data[0] and "Written text" not in data[0]
    assert workbook["Data"].tables["PackData"].ref.startswith("A1:")
    assert workbook["Data"].freeze_panes == "A2"
    for name in ("Summary", "By team", "Inspection findings"):
        assert workbook[name]._charts, f"{name} has no chart"


def test_every_summary_figure_equals_a_pivot_of_the_data_sheet(
    client, demo_data, make_user, sign_in
):
    sign_in(make_user(Role.QA_LEAD, team=None))
    workbook = load_workbook(_download(client, tier="case_level", purpose="Checking figures"))
    header, *data = _rows(workbook["Data"])
    rows = [dict(zip(header, row, strict=True)) for row in data]
    overall = [r for r in rows if r["Criterion"] == "Overall judgement"]

    summary = _rows(workbook["Summary"])
    profile = {
        grade: count
        for grade, count, *_ in _table(summary, "Overall judgement")
        if grade != "Total"
    }
    pivot = Counter(r["Final grade"] for r in overall)
    assert {g: c for g, c in profile.items() if c} == {g: c for g, c in pivot.items() if g}
    headline = {row[0]: row[1] for row in _table(summary, "Measure")}
    assert headline["Audits"] == len(overall)
    good = sum(1 for r in overall if r["Final grade"] in ("Outstanding", "Good"))
    assert headline["Good or better"] == pytest.approx(good / len(overall))
    scores = [r["Final score"] for r in overall if r["Final score"] is not None]
    assert headline["Mean score"] == pytest.approx(sum(scores) / len(scores))

    by_team = _table(_rows(workbook["By team"]), "Team")
    team_header = next(r for r in _rows(workbook["By team"]) if r and r[0] == "Team")
    for row in by_team:
        pivot = Counter(r["Final grade"] for r in overall if r["Team"] == row[0])
        for grade, count in zip(team_header[1:-2], row[1:-2], strict=True):
            assert count == pivot.get(grade, 0), (row[0], grade)

    criteria_rows = _rows(workbook["By criterion"])
    answered = defaultdict(list)
    for r in rows:
        if (
            r["Criterion"] != "Overall judgement"
            and r["Final grade"]
            and r["Final score"] is not None
        ):
            answered[(r["Trend key"], r["Template"])].append(r["Final score"])
    checked = 0
    mean_column = None
    for row in criteria_rows:
        if row and row[0] == "Criterion":
            mean_column = row.index("Mean score")
        elif mean_column and row and isinstance(row[3], int) and row[mean_column] is not None:
            template = row[2].rsplit(" (version", 1)[0]
            scores = answered[(row[1], template)]
            assert row[mean_column] == pytest.approx(sum(scores) / len(scores)), row[0]
            checked += 1
    assert checked > 5

    moderation = {row[0]: row[1] for row in _table(_rows(workbook["Moderation"]), "Measure")}
    moderated = [r for r in overall if r["Moderated"] == "Yes"]
    assert moderation["Moderated audits"] == len(moderated) >= 2
    agreed = sum(1 for r in moderated if r["Auditor's grade"] == r["Final grade"])
    assert moderation["Exact agreement"] == pytest.approx(agreed / len(moderated))


def test_a_case_level_pack_needs_a_purpose_and_is_in_the_export_log(
    client, app, demo_data, make_user, sign_in
):
    sign_in(make_user(Role.ADMIN, team=None))
    response = client.post("/reports/pack", data={"tier": "case_level", "purpose": ""})
    html = response.get_data(as_text=True)
    assert "Enter the purpose of the case-level pack" in html
    assert check_page(html).title.startswith("Error: ")
    workbook = load_workbook(_download(client, tier="case_level", purpose="Inspection evidence"))
    header = _rows(workbook["Data"])[0]
    assert "Case reference" in header and "Written text" in header
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "pack_exported")
        ).one()
        assert event.details["purpose"] == "Inspection evidence"
        assert event.details["tier"] == "case-level"
    log = client.get("/reports/exports").get_data(as_text=True)
    check_page(log)
    assert "Inspection evidence" in log and "Case-level" in log


def test_managers_and_leaders_cannot_make_a_case_level_pack(client, demo_data, make_user, sign_in):
    sign_in(make_user(Role.LEADER, team=None))
    response = client.post("/reports/pack", data={"tier": "case_level", "purpose": "Curious"})
    assert "Only QA leads and administrators can make a case-level pack" in response.get_data(
        as_text=True
    )
    assert client.get("/reports/exports").status_code == 403


def test_auditors_cannot_reach_the_pack(client, make_user, sign_in):
    sign_in(make_user(Role.AUDITOR))
    assert client.get("/reports/pack").status_code == 403


def test_the_command_line_writes_the_pack_and_records_it(app, runner, demo_data, tmp_path):
    out = tmp_path / "pack.xlsx"
    result = runner.invoke(args=["pack", "build", "--out", str(out), "--from", "2020-01-01"])
    assert result.exit_code == 0, result.output
    assert "data rows" in result.output
    assert load_workbook(out).sheetnames == sheet_titles()
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "pack_exported"))
        assert event.one().details["made"] == "command line"
    refused = runner.invoke(args=["pack", "build", "--out", str(out), "--case-level"])
    assert refused.exit_code != 0 and "--purpose" in refused.output


def test_a_de_identified_pack_suppresses_small_numbers_in_breakdowns(
    client, demo_data, make_user, sign_in
):
    sign_in(make_user(Role.LEADER, team=None))
    workbook = load_workbook(_download(client))
    cells = [cell for row in _table(_rows(workbook["By team"]), "Team") for cell in row[1:]]
    assert "<5" in cells
    assert not any(isinstance(c, int) and 0 < c < 5 for c in cells)
    header = _rows(workbook["Data"])[0]
    assert "Case reference" not in header and "Written text" not in header
