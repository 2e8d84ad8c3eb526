"""``templates export`` and ``templates import``: a stored version out to Excel and back to YAML,
with every problem pointing at its sheet, row and column, and no file overwritten by accident."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.excel import read_template_workbook
from qa_app.template_format.parser import parse_template
from tests.conftest import SHIPPED_TEMPLATES
from tests.template_admin.conftest import SUPERVISION_V1_QUESTION, SUPERVISION_V2_QUESTION

SHIPPED = sorted(SHIPPED_TEMPLATES.glob("*.yaml"))


def _without_lineage(definition: TemplateDefinition) -> TemplateDefinition:
    """Return the definition as its file says it (lineage is worked out when it is loaded)."""
    sections = tuple(
        dataclasses.replace(
            section,
            criteria=tuple(dataclasses.replace(c, lineage=None) for c in section.criteria),
        )
        for section in definition.sections
    )
    return dataclasses.replace(definition, sections=sections)


def _parsed(path: Path) -> TemplateDefinition:
    result = parse_template(path.read_text(encoding="utf-8"), str(path))
    assert result.definition is not None, [str(p) for p in result.problems]
    return _without_lineage(result.definition)


def _export(runner, tmp_path: Path, key: str, *options: str) -> Path:
    workbook = tmp_path / f"{key}.xlsx"
    result = runner.invoke(args=["templates", "export", key, *options, "--xlsx", str(workbook)])
    assert result.exit_code == 0, result.output
    return workbook


def _set_cell(path: Path, sheet: str, header: str, row: int, value) -> int:
    """Set one cell under a header and return its column number."""
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet]
    column = [cell.value for cell in worksheet[1]].index(header) + 1
    worksheet.cell(row=row, column=column, value=value)
    workbook.save(path)
    return column


@pytest.mark.parametrize("shipped", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_export_then_import_gives_back_the_shipped_template(
    runner, templates_loaded, tmp_path, shipped
):
    definition = _parsed(shipped)
    workbook = _export(runner, tmp_path, definition.key)
    out = tmp_path / "audit_templates" / shipped.name
    out.parent.mkdir()
    result = runner.invoke(args=["templates", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert _parsed(out) == definition
    # The file itself is sound; against the loaded version 1 it differs only in layout (the
    # workbook keeps no comments), which check reports as load would refuse it.
    checked = runner.invoke(args=["templates", "check", str(out)])
    assert checked.exit_code == 1
    assert "is already loaded and this file has changed since" in checked.output
    assert "only layout or comments changed" in checked.output


def test_export_writes_the_latest_version_unless_told_which(runner, supervision_v2, tmp_path):
    latest, _ = read_template_workbook(_export(runner, tmp_path, "supervision"))
    assert "version: 2" in latest and SUPERVISION_V2_QUESTION in latest
    first = tmp_path / "first.xlsx"
    result = runner.invoke(
        args=["templates", "export", "supervision", "--version", "1", "--xlsx", str(first)]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote supervision version 1 (Supervision audit) to {first}." in result.output
    text, problems = read_template_workbook(first)
    assert problems == []
    assert "version: 1" in text and SUPERVISION_V1_QUESTION in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["no-such-template"],
            'No template with the key "no-such-template" is loaded. Loaded templates: cin-cp, '
            "front-door, homeless-16-17, lado, supervision.",
        ),
        (["lado", "--version", "7"], "lado has no version 7. Its versions: 1."),
    ],
)
def test_export_of_an_unknown_template_or_version_is_refused(
    runner, templates_loaded, tmp_path, arguments, message
):
    workbook = tmp_path / "out.xlsx"
    result = runner.invoke(args=["templates", "export", *arguments, "--xlsx", str(workbook)])
    assert result.exit_code == 1
    assert message in result.output
    assert not workbook.exists()


def test_export_does_not_overwrite_a_workbook_unless_forced(runner, templates_loaded, tmp_path):
    workbook = tmp_path / "lado.xlsx"
    workbook.write_bytes(b"someone's edits")
    result = runner.invoke(args=["templates", "export", "lado", "--xlsx", str(workbook)])
    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output
    assert workbook.read_bytes() == b"someone's edits"
    forced = runner.invoke(args=["templates", "export", "lado", "--xlsx", str(workbook), "--force"])
    assert forced.exit_code == 0, forced.output
    assert read_template_workbook(workbook)[1] == []


def test_import_prints_every_problem_with_sheet_row_and_column_and_writes_nothing(
    runner, templates_loaded, tmp_path
):
    workbook = _export(runner, tmp_path, "lado")
    scale_column = _set_cell(workbook, "Criteria", "Scale", 4, "yes_maybe_no")
    _set_cell(workbook, "Template", "Value", 3, "two")  # the Version row
    out = tmp_path / "lado.yaml"
    result = runner.invoke(args=["templates", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith(f"lado.xlsx sheet Criteria:4:{scale_column}: ") and "yes_maybe_no" in line
        for line in lines
    ), result.output
    assert any(line.startswith("lado.xlsx sheet Template:3:2: ") for line in lines), result.output
    assert "Nothing was written" in result.output
    assert not out.exists()


def test_import_of_a_file_that_is_not_a_workbook_is_refused(runner, tmp_path):
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("just text")
    out = tmp_path / "notes.yaml"
    result = runner.invoke(args=["templates", "import", str(not_a_workbook), "--out", str(out)])
    assert result.exit_code == 1
    assert "notes.xlsx:1:1: the file could not be opened as an Excel workbook" in result.output
    assert not out.exists()


def test_import_does_not_overwrite_a_template_file_unless_forced(
    runner, templates_loaded, tmp_path
):
    workbook = _export(runner, tmp_path, "lado")
    out = tmp_path / "lado.yaml"
    out.write_text("# a template someone is still writing\n")
    result = runner.invoke(args=["templates", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{out} already exists" in result.output and "--force" in result.output
    assert out.read_text() == "# a template someone is still writing\n"
    forced = runner.invoke(
        args=["templates", "import", str(workbook), "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert _parsed(out) == _parsed(SHIPPED_TEMPLATES / "lado.yaml")


def test_import_says_what_to_do_next(runner, templates_loaded, tmp_path):
    workbook = _export(runner, tmp_path, "lado")
    out = tmp_path / "lado.yaml"
    result = runner.invoke(args=["templates", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote lado version 1 to {out}." in result.output
    # Same questions, new layout: loading it as version 1 again would be refused.
    assert "raise its version to 2 before loading" in result.output
    assert f"templates check {out}" in result.output
    assert f"templates load --dry-run {out}" in result.output


def test_import_of_a_new_template_says_it_will_load_as_new(runner, templates_loaded, tmp_path):
    workbook = _export(runner, tmp_path, "lado")
    _set_cell(workbook, "Template", "Value", 2, "lado-copy")  # the Key row
    out = tmp_path / "lado-copy.yaml"
    result = runner.invoke(args=["templates", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "lado-copy is not loaded yet: it will load as a new template." in result.output


def test_import_refuses_an_output_file_that_load_would_not_read(runner, templates_loaded, tmp_path):
    workbook = _export(runner, tmp_path, "lado")
    result = runner.invoke(
        args=["templates", "import", str(workbook), "--out", str(tmp_path / "lado.txt")]
    )
    assert result.exit_code == 1
    assert "must end in .yaml" in result.output
