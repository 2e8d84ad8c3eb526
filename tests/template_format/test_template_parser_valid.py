"""Valid templates parse into the expected definition."""

from __future__ import annotations

import json

from qa_app.template_format.definition import (
    Condition,
    Criterion,
    Judgement,
    ScaleOption,
    ShowIf,
    TagOption,
    TemplateDefinition,
)
from qa_app.template_format.parser import parse_template
from qa_app.template_format.scales import BUILT_IN_SCALES


def test_rich_template_parses_without_problems(rich_text):
    result = parse_template(rich_text, "rich.yaml")
    assert result.problems == ()
    assert isinstance(result.definition, TemplateDefinition)


def test_rich_template_top_level_fields(rich):
    assert rich.key == "rich-example"
    assert rich.version == 3
    assert rich.title == "Rich example audit"
    assert rich.description.startswith("A made-up audit")
    assert not rich.description.endswith("\n")
    assert rich.applies_to == ("child_protection", "child_in_need")
    assert rich.look_back_months == 6
    assert rich.findings["strategy-timescales"].startswith("Strategy meeting actions")
    assert rich.limited_by == ("strategy", "seen_alone")
    assert rich.overall == Judgement(
        question="What is your overall judgement of the quality and impact of practice?",
        scale="ofsted",
        hint="Think about the child's experience",
        guidance="Weigh the section judgements.",
        rationale="below",
        rationale_below="outstanding",
    )


def test_custom_scale_is_read_with_every_option_field(rich):
    scale = rich.scale("timeliness")
    assert scale.label == "Timeliness"
    assert scale.options == (
        ScaleOption("in_time", "Within timescale", 1.0),
        ScaleOption(
            "slightly_late",
            "Up to a week late",
            0.5,
            False,
            "Late, but the delay did not affect the child",
        ),
        ScaleOption("late", "More than a week late", 0.0, needs_rationale=True),
    )


def test_built_in_scales_used_are_copied_into_the_definition(rich):
    for key in ("ofsted", "yes_no", "yes_partly_no", "scaling_0_10"):
        assert rich.scales[key] == BUILT_IN_SCALES[key]
    assert "unused_scale" in rich.scales


def test_built_in_scales_not_used_are_left_out(make_template, definition_of):
    definition = definition_of(make_template())
    assert set(definition.scales) == {"yes_no", "ofsted"}


def test_criterion_defaults_apply_when_fields_are_left_out(rich):
    assert rich.criterion("strategy_held") == Criterion(
        key="strategy_held",
        question="Was a strategy meeting held?",
        scale="yes_no",
        area="help_and_protection",
    )


def test_every_criterion_field_is_read(rich):
    timed = rich.criterion("strategy_actions_timed")
    assert timed is not None
    assert timed.hint == "Look for dates against each action"
    assert timed.guidance == "Every action has an owner and a date."
    assert timed.allow_na is True
    assert timed.weight == 2.0
    assert timed.findings == ("strategy-timescales",)
    assert timed.replaces == "strategy_actions"
    assert timed.lineage is None
    assert rich.lineage_key("strategy_actions_timed") == "strategy_actions"

    agencies = rich.criterion("agencies")
    assert agencies is not None and agencies.type == "tags" and agencies.scale is None
    assert agencies.options[2] == TagOption("education", "Education: school or college")

    visits = rich.criterion("visits")
    assert visits is not None and (visits.minimum, visits.maximum, visits.weight) == (
        0.0,
        100.5,
        0.0,
    )

    notes = rich.criterion("notes")
    assert notes is not None and (notes.required, notes.rationale) == (False, "never")
    safety = rich.criterion("safety_scale")
    assert safety is not None and (safety.rationale, safety.rationale_below) == ("below", "7")


def test_bare_yes_and_no_in_conditions_are_read_as_text_not_booleans(rich):
    timed = rich.criterion("strategy_actions_timed")
    date = rich.criterion("meeting_date")
    assert timed is not None and date is not None
    assert timed.show_if == ShowIf("all", (Condition("strategy_held", "is", ("yes",)),))
    assert date.show_if == ShowIf("all", (Condition("strategy_held", "is_not", ("no",)),))


def test_numbers_in_conditions_are_read_as_option_values(rich):
    followed = rich.criterion("followed_up")
    assert followed is not None and followed.show_if is not None
    assert followed.show_if.conditions[0].values == ("0", "1", "2", "3")


def test_grouped_conditions_keep_their_mode_and_operators(rich):
    seen = rich.criterion("seen_alone")
    assert seen is not None
    assert seen.show_if == ShowIf(
        "any",
        (
            Condition("agencies", "includes", ("police",)),
            Condition("strategy_held", "answered", ()),
            Condition("strategy_actions_timed", "not_in", ("no",)),
        ),
    )


def test_section_judgement_is_read(rich):
    judgement = rich.sections[0].judgement
    assert judgement is not None
    assert (judgement.scale, judgement.rationale, judgement.rationale_below) == (
        "ofsted",
        "below",
        "good",
    )
    assert rich.sections[1].judgement is None


def test_definition_survives_the_json_round_trip(rich):
    data = json.loads(json.dumps(rich.to_dict()))
    assert TemplateDefinition.from_dict(data) == rich


def test_anchors_and_aliases_are_allowed(make_template, definition_of):
    text = make_template(
        """
        - key: first
          question: &q Was it done?
          scale: &s yes_partly_no
        - key: second
          question: *q
          scale: *s
        """
    )
    definition = definition_of(text)
    assert [c.question for c in definition.criteria()] == ["Was it done?", "Was it done?"]


def test_merge_keys_copy_fields_and_explicit_fields_win(make_template, definition_of):
    text = make_template(
        """
        - &base
          key: first
          question: Was it done?
          scale: yes_partly_no
          allow_na: true
        - <<: *base
          key: second
          question: Was it done on time?
        """
    )
    second = definition_of(text).criterion("second")
    assert second is not None
    assert (second.question, second.scale, second.allow_na) == (
        "Was it done on time?",
        "yes_partly_no",
        True,
    )


def test_custom_scale_option_values_yes_and_no_are_text(make_template, definition_of):
    text = make_template(
        """
        - key: agreed
          question: Was the plan agreed?
          scale: agreement
        - key: follow_up
          question: Was it followed up?
          scale: yes_no
          show_if: {criterion: agreed, in: [yes, no]}
        """,
        top="""
        scales:
          agreement:
            label: Agreement
            options:
              - {value: yes, label: Agreed, score: 1}
              - {value: no, label: Not agreed, score: 0}
        """,
    )
    definition = definition_of(text)
    assert [o.value for o in definition.scale("agreement").options] == ["yes", "no"]


def test_yes_and_no_are_accepted_as_booleans_for_flags(make_template, definition_of):
    text = make_template(
        """
        - key: first
          question: Q?
          scale: yes_no
          required: no
          allow_na: yes
        """
    )
    criterion = definition_of(text).criterion("first")
    assert criterion is not None and (criterion.required, criterion.allow_na) == (False, True)


def test_empty_optional_fields_count_as_left_out(make_template, definition_of):
    text = make_template(
        """
        - key: first
          question: Q?
          scale: yes_no
          hint:
          weight:
          show_if:
        """,
        top="description:\n",
    )
    definition = definition_of(text)
    assert definition.description == ""
    assert definition.criteria()[0] == Criterion("first", "Q?", scale="yes_no")


def test_a_byte_order_mark_and_windows_line_endings_are_fine(make_template, definition_of):
    text = "\ufeff" + make_template().replace("\n", "\r\n")
    assert definition_of(text).key == "example"


def test_scales_may_be_declared_after_the_criteria_that_use_them(definition_of):
    text = """\
key: late-scales
version: 2
title: T
sections:
  - key: s
    title: S
    criteria:
      - {key: c, question: Is it ok, scale: mine, rationale: below ok}
overall: {question: Overall, scale: mine}
scales:
  mine:
    label: Mine
    options: [{value: ok, label: OK, score: 1}, {value: bad, label: Bad, score: 0}]
"""
    definition = definition_of(text)
    assert set(definition.scales) == {"mine"}
