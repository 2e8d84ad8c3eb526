"""The pack opens cleanly in LibreOffice: every sheet, its charts, and figures that add up."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter

import pytest
from openpyxl import load_workbook

from qa_app.reports.pack_builder import sheet_titles
from tests.reports.test_leadership_pack import _download, _rows, _table

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def soffice():
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return SOFFICE


def test_libreoffice_loads_the_pack_with_every_sheet_its_charts_and_matching_figures(
    client,
    demo_data,
    make_user,
    sign_in,
    tmp_path,
    soffice,
):
    from qa_app.models import Role

    sign_in(make_user(Role.ADMIN, team=None))
    original = tmp_path / "pack.xlsx"
    original.write_bytes(_download(client).getvalue())
    converted = tmp_path / "converted"
    # LibreOffice loads the workbook and saves it again as its own .xlsx: a file it could not
    # read would produce no output.
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(converted),
            str(original),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(converted / "pack.xlsx")
    assert workbook.sheetnames == sheet_titles()
    for name in ("Summary", "By team", "Inspection findings"):
        assert workbook[name]._charts, f"LibreOffice lost the chart on {name}"

    header, *data = _rows(workbook["Data"])
    overall = [dict(zip(header, row, strict=False)) for row in data]
    overall = [r for r in overall if r["Criterion"] == "Overall judgement"]
    headline = {row[0]: row[1] for row in _table(_rows(workbook["Summary"]), "Measure")}
    assert headline["Audits"] == len(overall)
    profile = {
        grade: count
        for grade, count, *_ in _table(_rows(workbook["Summary"]), "Overall judgement")
        if grade != "Total"
    }
    assert profile["Good"] == Counter(r["Final grade"] for r in overall)["Good"]
