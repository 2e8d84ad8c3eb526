"""A small synthetic template for unit tests of the audit rules."""

from __future__ import annotations

from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.parser import parse_template

SMALL_TEMPLATE = """
key: small-test
version: 1
title: Small test audit (synthetic)
sections:
  - key: safety
    title: Safety
    criteria:
      - key: risk
        question: Is risk to the child understood?
        scale: ofsted
        weight: 2
      - key: strategy_held
        question: Was a strategy meeting held?
        scale: yes_no
        allow_na: true
        rationale: never
      - key: strategy_timed
        question: Did the strategy meeting's actions have timescales?
        scale: yes_partly_no
        show_if:
          criterion: strategy_held
          is: "yes"
  - key: voice
    title: The child's voice
    judgement:
      question: How well is the child's voice heard?
      scale: ofsted
    criteria:
      - key: seen_alone
        question: Was the child seen alone?
        scale: yes_no
        rationale: always
      - key: visits
        question: How many visits in the last three months?
        type: number
        required: false
        min: 0
        max: 90
overall:
  question: What is the overall quality of practice?
  scale: ofsted
  limited_by: [safety]
"""


def small_definition() -> TemplateDefinition:
    """Return the parsed small template."""
    result = parse_template(SMALL_TEMPLATE, "small.yaml")
    assert result.definition is not None, [str(p) for p in result.problems]
    return result.definition
