"""The domain logic stays free of Flask, so it is fast to test and usable from the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "qa_app"
DOMAIN_MODULES = [
    "exports/safe_cells.py",
    "uploads",
    "audits/change_log.py",
    "audits/text_limits.py",
    "template_format",
    "template_library/parsed_definitions.py",
    "agreement",
    "notifications/outbox.py",
    "sampling",
    "audits/responses.py",
    "audits/visibility.py",
    "audits/scoring.py",
    "audits/rules.py",
    "audits/progress.py",
    "cases/case_list.py",
    "cases/case_values.py",
    "cases/case_columns.py",
    "cases/case_batch.py",
    "cases/row_spool.py",
    "cases/copy_text.py",
    "follow_up/working_days.py",
    "reports/pack_builder.py",
    "reports/pack_cells.py",
    "reports/pack_content.py",
    "reports/pack_filters.py",
    "reports/pack_sheets.py",
    "governance/retention_policy.py",
    "governance/retention.py",
    "governance/event_details.py",
    "governance/filters.py",
    "governance/markdown_page.py",
    "display.py",
    "insight/grading.py",
    "insight/filters.py",
    "insight/figures.py",
    "pagination.py",
    "auth/passwords.py",
]


def _python_files(entry: str) -> list[Path]:
    path = PACKAGE / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("path", [p for e in DOMAIN_MODULES for p in _python_files(e)], ids=str)
def test_domain_modules_import_nothing_from_flask(path: Path):
    tree = ast.parse(path.read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert not imported & {"flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "werkzeug"}
