"""Shared fixtures for the template format tests: template builders and problem helpers."""

from __future__ import annotations

import pathlib
import textwrap
from collections.abc import Callable

import pytest

from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.parser import Problem, parse_template

HERE = pathlib.Path(__file__).parent

DEFAULT_CRITERIA = """\
- key: first_question
  question: Was the first thing done?
  scale: yes_no
"""


def _make_template(
    criteria: str = DEFAULT_CRITERIA,
    *,
    top: str = "",
    sections: str = "",
    section: str = "",
    overall: str = "",
) -> str:
    """Return a template: ``criteria`` under the first section, other parts added where named."""
    parts = [
        "key: example\nversion: 1\ntitle: Example audit\n",
        textwrap.dedent(top),
        "sections:\n  - key: first_section\n    title: First section\n",
        textwrap.indent(textwrap.dedent(section), "    "),
        "    criteria:\n",
        textwrap.indent(textwrap.dedent(criteria), "      "),
        textwrap.indent(textwrap.dedent(sections), "  "),
        "overall:\n  question: How good is practice overall?\n  scale: ofsted\n",
        textwrap.indent(textwrap.dedent(overall), "  "),
    ]
    return "".join(part if part.endswith("\n") or not part else part + "\n" for part in parts)


def _problems(text: str) -> list[Problem]:
    result = parse_template(text, "t.yaml")
    assert (result.definition is None) == bool(result.problems)
    return list(result.problems)


def _definition(text: str) -> TemplateDefinition:
    result = parse_template(text, "t.yaml")
    assert result.problems == (), "\n".join(str(p) for p in result.problems)
    assert result.definition is not None
    return result.definition


def _locate(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Return the 1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.fixture
def make_template() -> Callable[..., str]:
    return _make_template


@pytest.fixture
def problems_of() -> Callable[[str], list[Problem]]:
    return _problems


@pytest.fixture
def definition_of() -> Callable[[str], TemplateDefinition]:
    return _definition


@pytest.fixture
def locate() -> Callable[..., tuple[int, int]]:
    return _locate


@pytest.fixture
def rich_text() -> str:
    return (HERE / "rich_template.yaml").read_text(encoding="utf-8")


@pytest.fixture
def rich(rich_text: str) -> TemplateDefinition:
    return _definition(rich_text)
