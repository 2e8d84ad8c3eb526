"""The templates shipped in ``audit_templates/`` survive the emitter and the workbook."""

from __future__ import annotations

import io
import pathlib

import pytest

from qa_app.template_format.excel import read_template_workbook, write_template_workbook
from qa_app.template_format.parser import parse_template, template_to_yaml

SHIPPED = sorted((pathlib.Path(__file__).parents[2] / "audit_templates").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_template_round_trips(path):
    result = parse_template(path.read_text(encoding="utf-8"), str(path))
    assert result.problems == (), "\n".join(str(p) for p in result.problems)
    definition = result.definition
    assert parse_template(template_to_yaml(definition)).definition == definition
    stream = io.BytesIO()
    write_template_workbook(definition, stream)
    stream.seek(0)
    text, problems = read_template_workbook(stream)
    assert problems == []
    assert parse_template(text).definition == definition
