"""Writing a definition back to YAML gives a readable file that parses to an equal definition."""

from __future__ import annotations

import dataclasses
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.template_format.definition import ScaleOption, TagOption
from qa_app.template_format.parser import parse_template, template_to_yaml

RICH = parse_template(
    (pathlib.Path(__file__).parent / "rich_template.yaml").read_text("utf-8")
).definition
assert RICH is not None


def reparse(text: str):
    result = parse_template(text, "emitted.yaml")
    assert result.problems == (), "\n".join(str(p) for p in result.problems) + "\n" + text
    return result.definition


def test_rich_template_round_trips_through_the_emitter(rich):
    assert reparse(template_to_yaml(rich)) == rich


def test_emitting_is_stable(rich):
    once = template_to_yaml(rich)
    assert template_to_yaml(reparse(once)) == once


def test_defaults_and_built_in_scales_are_left_out(make_template, definition_of):
    text = template_to_yaml(definition_of(make_template()))
    assert text == (
        "key: example\n"
        "version: 1\n"
        "title: Example audit\n"
        "\n"
        "sections:\n"
        "  - key: first_section\n"
        "    title: First section\n"
        "    criteria:\n"
        "      - key: first_question\n"
        "        question: Was the first thing done?\n"
        "        scale: yes_no\n"
        "\n"
        "overall:\n"
        "  question: How good is practice overall?\n"
        "  scale: ofsted\n"
    )


def test_custom_scales_are_declared_and_built_in_ones_are_not(rich):
    text = template_to_yaml(rich)
    assert "  timeliness:\n" in text and "  unused_scale:\n" in text
    assert "  ofsted:\n" not in text


def test_multi_line_text_is_written_as_a_literal_block(rich):
    assert (
        "description: |-\n  A made-up audit used to test the template format.\n"
        in template_to_yaml(rich)
    )


def test_lineage_is_not_written(rich):
    sections = list(rich.sections)
    first = sections[0]
    criteria = list(first.criteria)
    criteria[0] = dataclasses.replace(criteria[0], lineage="older_key")
    sections[0] = dataclasses.replace(first, criteria=tuple(criteria))
    with_lineage = dataclasses.replace(rich, sections=tuple(sections))
    text = template_to_yaml(with_lineage)
    assert "lineage" not in text and "older_key" not in text
    assert reparse(text) == rich


def test_whole_numbers_are_written_without_a_decimal_point(rich):
    text = template_to_yaml(rich)
    assert "weight: 2\n" in text and "weight: 1.5\n" in text and "max: 100.5\n" in text


# Text as a parser would return it: no surrounding white space (the parser strips it).
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1).map(str.strip).filter(bool)


TRICKY = [
    "yes", "No", "~", "null", "- a list?", "# not a comment", "a: b", "'quoted'", '"double"',
    "@at", "%percent", "`tick", "!tag", "&anchor", "*alias", "| pipe", "> fold", "{brace",
    "[square",
    "0x10", "1e3", "2024-01-01", "a\n\nb", "tab\there", "trailing  \nspaces", "=SUM(A1)",
    "line\r\nbreaks", "next\x85line", "bell\x07", "über – “quotes” 😀",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_round_trips(text):
    sections = list(RICH.sections)
    criteria = list(sections[0].criteria)
    criteria[0] = dataclasses.replace(criteria[0], question=text, guidance=text)
    criteria[3] = dataclasses.replace(criteria[3], options=(TagOption("police", text),))
    sections[0] = dataclasses.replace(sections[0], criteria=tuple(criteria))
    definition = dataclasses.replace(RICH, sections=tuple(sections), title=text)
    assert reparse(template_to_yaml(definition)) == definition


@settings(max_examples=200, deadline=None)
@given(question=TEXT, label=TEXT, hint=TEXT, finding=TEXT)
def test_any_text_round_trips(question, label, hint, finding):
    sections = list(RICH.sections)
    criteria = list(sections[0].criteria)
    criteria[0] = dataclasses.replace(criteria[0], question=question, hint=hint)
    criteria[3] = dataclasses.replace(criteria[3], options=(TagOption("police", label),))
    sections[0] = dataclasses.replace(sections[0], criteria=tuple(criteria), title=label)
    scale = RICH.scales["timeliness"]
    options = (dataclasses.replace(scale.options[0], label=label, hint=hint), *scale.options[1:])
    definition = dataclasses.replace(
        RICH,
        sections=tuple(sections),
        title=question,
        description=hint,
        findings={**RICH.findings, "strategy-timescales": finding},
        scales={**RICH.scales, "timeliness": dataclasses.replace(scale, options=options)},
    )
    assert reparse(template_to_yaml(definition)) == definition


@settings(max_examples=100, deadline=None)
@given(
    score=st.floats(0, 1),
    weight=st.floats(0, 1e6),
    low=st.floats(-1e9, 1e9),
    span=st.floats(0, 1e9),
)
def test_any_numbers_round_trip(score, weight, low, span):
    scale = RICH.scales["timeliness"]
    options = (ScaleOption("in_time", "In time", score), *scale.options[1:])
    sections = list(RICH.sections)
    criteria = list(sections[1].criteria)
    criteria[1] = dataclasses.replace(criteria[1], weight=weight, minimum=low, maximum=low + span)
    sections[1] = dataclasses.replace(sections[1], criteria=tuple(criteria))
    definition = dataclasses.replace(
        RICH,
        sections=tuple(sections),
        scales={**RICH.scales, "timeliness": dataclasses.replace(scale, options=options)},
    )
    assert reparse(template_to_yaml(definition)) == definition
