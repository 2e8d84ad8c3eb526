"""Whatever text it is given, the parser returns a definition or problems; it never raises."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.template_format.emitter import template_data
from qa_app.template_format.parser import parse_template, template_to_yaml
from qa_app.template_format.parser_sections import CRITERION_FIELDS, OVERALL_FIELDS, SECTION_FIELDS

RICH_TEXT = (pathlib.Path(__file__).parent / "rich_template.yaml").read_text("utf-8")
RICH = parse_template(RICH_TEXT).definition
assert RICH is not None
RICH_DATA: dict[str, Any] = json.loads(json.dumps(template_data(RICH)))

FIELD_NAMES = sorted(
    {"key", "version", "title", "sections", "overall", "scales", "findings", "applies_to"}
    | set(CRITERION_FIELDS)
    | set(SECTION_FIELDS)
    | set(OVERALL_FIELDS)
    | {"all", "any", "criterion", "is", "in", "includes", "answered", "options", "value", "score"}
)
WORDS = [
    "yes",
    "no",
    "na",
    "ofsted",
    "yes_no",
    "tags",
    "number",
    "below good",
    "always",
    "strategy_held",
    "0",
    "10",
]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(WORDS)
)
keys = st.sampled_from(FIELD_NAMES) | st.text(max_size=10)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)


def assert_well_behaved(text: str) -> None:
    result = parse_template(text, "fuzz.yaml")
    if result.definition is None:
        assert result.problems, "no definition and no problem"
    else:
        assert result.problems == ()
        assert parse_template(template_to_yaml(result.definition)).definition == result.definition
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
        assert problem.line <= len(text) + 2
        assert not problem.message.startswith("internal error"), problem


@SETTINGS
@given(st.text())
def test_arbitrary_text_never_raises(text):
    assert_well_behaved(text)


@SETTINGS
@given(st.dictionaries(keys, structures, max_size=10) | structures)
def test_arbitrary_yaml_structures_never_raise(data):
    assert_well_behaved(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every value inside ``data``."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


def _mutate(data: Any, draw: Any) -> Any:
    path = draw(st.sampled_from(_paths(data)))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = draw(st.sampled_from(["drop", "duplicate", "retype", "rename"]))
    if action == "drop":
        del parent[last]
    elif action == "duplicate":
        if isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(parent[last])))
        else:
            parent[draw(keys)] = json.loads(json.dumps(parent[last]))
    elif action == "retype":
        parent[last] = draw(structures)
    elif isinstance(parent, dict):
        parent[draw(keys)] = parent.pop(last)
    return data


@SETTINGS
@given(st.data())
def test_mutated_valid_templates_never_raise(data):
    template = json.loads(json.dumps(RICH_DATA))
    for _ in range(data.draw(st.integers(1, 4))):
        template = _mutate(template, data.draw)
    assert_well_behaved(yaml.safe_dump(template, allow_unicode=True, sort_keys=False))


@SETTINGS
@given(st.data())
def test_text_edits_of_a_valid_template_never_raise(data):
    lines = RICH_TEXT.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "insert", "indent", "dedent"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines[index] = data.draw(st.text(max_size=20)) + lines[index]
        elif action == "indent":
            lines[index] = "  " + lines[index]
        else:
            lines[index] = lines[index].lstrip(" ")
        if not lines:
            break
    assert_well_behaved("".join(lines))


def test_the_rich_template_itself_is_well_behaved():
    assert_well_behaved(RICH_TEXT)


def test_deep_nesting_is_a_problem_not_a_crash():
    for text in (
        "[" * 5000,
        "a:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)),
        "{a: " * 3000,
    ):
        result = parse_template(text)
        assert result.definition is None and result.problems


def test_alias_expansion_bomb_is_stopped():
    lines = [
        "key: bomb",
        "version: 1",
        "title: Bomb",
        "a0: &a0 {key: s, title: S, criteria: [{key: c, question: Q, scale: yes_no}]}",
    ]
    for level in range(1, 8):
        previous = f"*a{level - 1}"
        lines.append(f"x{level}: &a{level} [{', '.join([previous] * 9)}]")
    text = "\n".join(lines) + "\nsections: *a7\noverall: {question: Q, scale: ofsted}\n"
    result = parse_template(text)
    assert result.definition is None
    assert len(result.problems) <= 202


def test_huge_input_is_refused_quickly():
    result = parse_template("x" * 2_000_001)
    assert [p.message for p in result.problems] == [
        "the file is too large (2,000,001 characters; at most 1,000,000)"
    ]


def test_sections_that_are_aliases_of_each_other_are_read_as_duplicates():
    text = (
        "key: k\nversion: 1\ntitle: T\nsections:\n"
        "  - &s {key: s, title: S, criteria: [{key: c, question: Q, scale: yes_no}]}\n"
        "  - *s\noverall: {question: Q, scale: ofsted}\n"
    )
    assert [p.message.split(":")[0] for p in parse_template(text).problems] == [
        'duplicate key "s"',
        'duplicate key "c"',
    ]
