"""Reading a template workbook (see ``excel``) back into template YAML.

Cells are turned into template data, written out as YAML and checked by the parser; the
parser's problems are mapped back to the sheet, row and column the offending value came from.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import yaml
from openpyxl import load_workbook

from qa_app.template_format.conditions_text import ShowIfTextError, show_if_from_text
from qa_app.template_format.emitter import dump_yaml, show_if_data
from qa_app.template_format.excel_cells import (
    KEY,
    Path,
    Row,
    cell_number,
    cell_text,
    display_name,
    is_blank,
    node_paths,
    sheet_rows,
)
from qa_app.template_format.excel_layout import (
    COLUMNS,
    CRITERIA_SHEET,
    FINDINGS_SHEET,
    REQUIRED_SHEETS,
    SCALES_SHEET,
    SECTIONS_SHEET,
    TEMPLATE_FIELDS,
    TEMPLATE_SHEET,
    normalise,
)
from qa_app.template_format.parser import parse_template
from qa_app.template_format.problems import Problem
from qa_app.template_format.yaml_nodes import shorten

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_OPTION_SPLIT = re.compile(r";\s*(?=[^;=]*=)|\n")


def read_template_workbook(path_or_stream: Any) -> tuple[str | None, list[Problem]]:
    """Return the workbook as template YAML text and its problems.

    The text is None when there is any problem. Problems name ``"<file> sheet <sheet>"`` with
    the row and column of the offending cell.
    """
    name = display_name(path_or_stream)
    try:
        with warnings.catch_warnings():
            # Warnings about spreadsheet features that do not matter here (data validation etc.).
            warnings.simplefilter("ignore")
            workbook = load_workbook(path_or_stream, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file is a problem to report
        reason = f"the file could not be opened as an Excel workbook ({type(error).__name__})"
        return None, [Problem(name, 1, 1, reason)]
    try:
        reader = _WorkbookReader(name, workbook)
        data = reader.build()
    finally:
        workbook.close()
    text = dump_yaml(data)
    result = parse_template(text, f"{name} (as YAML)")
    problems = reader.problems + reader.map_problems(text, result.problems)
    return (None if problems else text), problems


class _WorkbookReader:
    """Builds template data from the sheets, remembering which cell each value came from."""

    def __init__(self, name: str, workbook: Any) -> None:
        self.name = name
        self.workbook = workbook
        self.problems: list[Problem] = []
        self.origins: dict[Path, tuple[str, int, int]] = {(): (TEMPLATE_SHEET, 1, 1)}
        self._flagged: set[tuple[str, int]] = set()
        self._flagged_paths: set[Path] = set()

    # --- problems ------------------------------------------------------------------------

    def report(self, sheet: str, row: int, column: int, message: str) -> None:
        """Record a problem at a cell; returns nothing."""
        self.problems.append(Problem(f"{self.name} sheet {sheet}", row, column, message))
        self._flagged.add((sheet, row))

    def map_problems(self, text: str, problems: tuple[Problem, ...]) -> list[Problem]:
        """Return the parser's problems placed on the cells the YAML came from."""
        paths = node_paths(yaml.compose(text, Loader=yaml.SafeLoader))
        mapped: list[Problem] = []
        for problem in problems:
            path = found = paths.get((problem.line, problem.column), ())
            origin = None
            while path is not None:
                origin = self.origins.get(path)
                if origin is not None or not path:
                    break
                path = path[:-1]
            if origin is None:
                mapped.append(problem)
                continue
            sheet, row, column = origin
            if (sheet, row) in self._flagged or self._explained(problem.message, found):
                continue  # the cell's own problem, already reported, explains this one
            mapped.append(Problem(f"{self.name} sheet {sheet}", row, column, problem.message))
        return mapped

    def _explained(self, message: str, path: Path) -> bool:
        """Return True for 'missing "x"' where the cell for x had a problem of its own."""
        match = re.fullmatch(r'missing "(\w+)"', message)
        if match is None:
            return False
        field = match.group(1)
        return any((*path[:size], field) in self._flagged_paths for size in range(len(path) + 1))

    # --- sheets --------------------------------------------------------------------------

    def rows(self, sheet: str) -> list[Row]:
        """Return the sheet's non-blank rows; report a missing sheet or missing columns."""
        if sheet not in self.workbook.sheetnames:
            if sheet in REQUIRED_SHEETS:
                self.report(sheet, 1, 1, f'the workbook has no "{sheet}" sheet')
            return []
        worksheet = self.workbook[sheet]
        if not hasattr(worksheet, "iter_rows"):
            self.report(sheet, 1, 1, f'"{sheet}" is a chart, not a sheet of cells')
            return []
        rows, missing = sheet_rows(worksheet, COLUMNS[sheet])
        for column_header in missing:
            self.report(sheet, 1, 1, f'missing column "{column_header}" in the header row')
        return rows

    def value(
        self, row: Row, header: str, path: Path, kind: str = "text", label: str | None = None
    ) -> Any:
        """Return a cell as text, yes/no, number or whole number (None if blank or invalid).

        A cell that cannot be read is reported, naming it by ``label`` (else its column header).
        """
        raw, column = row.cells.get(normalise(header), (None, 1))
        self.origins[path] = (row.sheet, row.number, column)
        name = label or header
        if is_blank(raw) is not False:
            return None
        if kind == "text":
            return cell_text(raw)
        if kind == "words":
            return [word.strip() for word in cell_text(raw).split(",") if word.strip()]
        if kind == "yes/no":
            word = cell_text(raw).lower()
            if isinstance(raw, bool) or word in _TRUE | _FALSE:
                return raw if isinstance(raw, bool) else word in _TRUE
            self.report(
                row.sheet,
                row.number,
                column,
                f'{name} must be yes or no, not "{shorten(cell_text(raw))}"',
            )
            self._flagged_paths.add(path)
            return None
        number = cell_number(raw)
        if number is None or (kind == "whole" and not float(number).is_integer()):
            rule = "a whole number" if kind == "whole" else "a number"
            self.report(
                row.sheet,
                row.number,
                column,
                f'{name} must be {rule}, not "{shorten(cell_text(raw))}"',
            )
            self._flagged_paths.add(path)
            return None
        return int(number) if kind == "whole" else number

    def put(self, data: dict[str, Any], field: str, value: Any) -> None:
        """Set ``data[field]`` unless the value is blank, so blank cells mean "the default"."""
        if value is not None and value != [] and value != "":
            data[field] = value

    # --- building ------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        """Return the template data read from every sheet."""
        data: dict[str, Any] = {}
        fields = self._template_rows()
        overall: dict[str, Any] = {}
        self.origins[("overall",)] = self.origins[()]
        specs = (
            ("Key", "key", "text", data),
            ("Version", "version", "whole", data),
            ("Title", "title", "text", data),
            ("Description", "description", "text", data),
            ("Applies to", "applies_to", "words", data),
            ("Look back (months)", "look_back_months", "whole", data),
            ("Findings", "findings", None, data),
            ("Scales", "scales", None, data),
            ("Sections", "sections", None, data),
            ("Overall question", "question", "text", overall),
            ("Overall scale", "scale", "text", overall),
            ("Overall hint", "hint", "text", overall),
            ("Overall guidance", "guidance", "text", overall),
            ("Overall rationale", "rationale", "text", overall),
            ("Limited by", "limited_by", "words", overall),
        )
        for label, field, kind, target in specs:
            if kind is None:
                reader = {
                    "findings": self._findings,
                    "scales": self._scales,
                    "sections": self._sections,
                }
                self.put(data, field, reader[field]())
                continue
            row = fields.get(normalise(label))
            if row is None:
                continue
            path: Path = ("overall", field) if target is overall else (field,)
            if label == "Overall question":
                self.origins[("overall",)] = (TEMPLATE_SHEET, row.number, 1)
            self.put(target, field, self.value(row, "Value", path, kind, label))
        data["overall"] = overall
        return data

    def _template_rows(self) -> dict[str, Row]:
        known = {normalise(label): label for label, _ in TEMPLATE_FIELDS}
        found: dict[str, Row] = {}
        for row in self.rows(TEMPLATE_SHEET):
            field = cell_text(row.cells.get("field", (None, 1))[0])
            column = row.column("Field")
            if not field:
                self.report(TEMPLATE_SHEET, row.number, column, "the Field cell is empty")
            elif normalise(field) not in known:
                names = ", ".join(known.values())
                self.report(
                    TEMPLATE_SHEET,
                    row.number,
                    column,
                    f'unknown field "{shorten(field)}" (fields: {names})',
                )
            elif normalise(field) in found:
                first = found[normalise(field)].number
                self.report(
                    TEMPLATE_SHEET, row.number, column, f'"{field}" is already on row {first}'
                )
            else:
                found[normalise(field)] = row
        return found

    def _findings(self) -> dict[str, str]:
        findings: dict[str, str] = {}
        rows: dict[str, int] = {}
        for row in self.rows(FINDINGS_SHEET):
            key = self.value(row, "Key", ("findings",))
            if key is None:
                self.report(FINDINGS_SHEET, row.number, row.column("Key"), "the Key cell is empty")
            elif key in rows:
                self.report(
                    FINDINGS_SHEET,
                    row.number,
                    row.column("Key"),
                    f'finding "{key}" is already on row {rows[key]}',
                )
            else:
                rows[key] = row.number
                self.origins[("findings", key, KEY)] = self.origins[("findings",)]
                findings[key] = self.value(row, "Wording", ("findings", key)) or ""
        return findings

    def _scales(self) -> dict[str, Any]:
        scales: dict[str, Any] = {}
        for row in self.rows(SCALES_SHEET):
            key = self.value(row, "Scale", ("scales",))
            if key is None:
                self.report(
                    SCALES_SHEET, row.number, row.column("Scale"), "the Scale cell is empty"
                )
                continue
            path: Path = ("scales", key)
            scale = scales.get(key)
            label = cell_text(row.cells.get("scalelabel", (None, 1))[0])
            if scale is None:
                self.origins[path] = self.origins[(*path, KEY)] = self.origins[("scales",)]
                scale = scales[key] = {
                    "label": self.value(row, "Scale label", (*path, "label")) or ""
                }
                scale["options"] = []
            elif label and label != scale["label"]:
                message = f'scale "{key}" already has the label "{shorten(scale["label"])}"'
                self.report(SCALES_SHEET, row.number, row.column("Scale label"), message)
            option_path: Path = (*path, "options", len(scale["options"]))
            option: dict[str, Any] = {}
            self.origins[option_path] = (SCALES_SHEET, row.number, 1)
            for header, field, kind in (
                ("Option value", "value", "text"),
                ("Option label", "label", "text"),
                ("Score", "score", "number"),
                ("Needs rationale", "needs_rationale", "yes/no"),
                ("Hint", "hint", "text"),
            ):
                self.put(option, field, self.value(row, header, (*option_path, field), kind))
            scale["options"].append(option)
        return scales

    def _sections(self) -> list[dict[str, Any]]:
        sections: list[dict[str, Any]] = []
        index_of: dict[str, int] = {}
        for row in self.rows(SECTIONS_SHEET):
            path: Path = ("sections", len(sections))
            self.origins[path] = (SECTIONS_SHEET, row.number, 1)
            section: dict[str, Any] = {}
            for header, field in (("Key", "key"), ("Title", "title"), ("Guidance", "guidance")):
                self.put(section, field, self.value(row, header, (*path, field)))
            judgement: dict[str, Any] = {}
            self.origins[(*path, "judgement")] = (
                SECTIONS_SHEET,
                row.number,
                row.column("Judgement question"),
            )
            for field in ("question", "scale", "hint", "guidance", "rationale"):
                header = f"Judgement {field}"
                self.put(judgement, field, self.value(row, header, (*path, "judgement", field)))
            self.put(section, "judgement", judgement or None)
            if section.get("key") is not None:
                index_of.setdefault(section["key"], len(sections))
            sections.append(section)
        for row in self.rows(CRITERIA_SHEET):
            key = cell_text(row.cells.get("section", (None, 1))[0])
            if key not in index_of:
                message = (
                    f'section "{shorten(key)}" is not on the Sections sheet'
                    if key
                    else "the Section cell is empty"
                )
                self.report(CRITERIA_SHEET, row.number, row.column("Section"), message)
                continue
            section = sections[index_of[key]]
            criteria = section.setdefault("criteria", [])
            path = ("sections", index_of[key], "criteria", len(criteria))
            criteria.append(self._criterion(row, path))
        return sections

    def _criterion(self, row: Row, path: Path) -> dict[str, Any]:
        self.origins[path] = (CRITERIA_SHEET, row.number, 1)
        criterion: dict[str, Any] = {}
        for header, field, kind in (
            ("Key", "key", "text"),
            ("Question", "question", "text"),
            ("Hint", "hint", "text"),
            ("Guidance", "guidance", "text"),
            ("Type", "type", "text"),
            ("Scale", "scale", "text"),
            ("Required", "required", "yes/no"),
            ("Allow N/A", "allow_na", "yes/no"),
            ("Weight", "weight", "number"),
            ("Rationale", "rationale", "text"),
            ("Area", "area", "text"),
            ("Findings", "findings", "words"),
            ("Show if", "show_if", "text"),
            ("Replaces", "replaces", "text"),
            ("Options", "options", "text"),
            ("Min", "min", "number"),
            ("Max", "max", "number"),
        ):
            value = self.value(row, header, (*path, field), kind)
            if value is not None and field == "show_if":
                value = self._show_if(row, value)
            elif value is not None and field == "options":
                value = self._options(row, value)
            self.put(criterion, field, value)
        return criterion

    def _show_if(self, row: Row, text: str) -> dict[str, Any] | None:
        try:
            show_if = show_if_from_text(text)
        except ShowIfTextError as error:
            self.report(row.sheet, row.number, row.column("Show if"), f"show if: {error}")
            return None
        return None if show_if is None else show_if_data(show_if)

    def _options(self, row: Row, text: str) -> list[dict[str, str]] | None:
        options = []
        for part in _OPTION_SPLIT.split(text):
            if not part.strip():
                continue
            value, equals, label = part.partition("=")
            if not equals:
                message = (
                    'options must look like "value=Label; value2=Label 2", '
                    f'not "{shorten(part.strip())}"'
                )
                self.report(row.sheet, row.number, row.column("Options"), message)
                return None
            options.append({"value": value.strip(), "label": label.strip()})
        return options
