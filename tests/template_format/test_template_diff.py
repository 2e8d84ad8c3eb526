"""Changes between template versions are classified and described in plain words."""

# Expected messages are kept whole on one line so they can be searched for.
# ruff: noqa: E501

from __future__ import annotations

import dataclasses

import pytest

from qa_app.template_format.definition import (
    Condition,
    Criterion,
    Judgement,
    ScaleOption,
    Section,
    ShowIf,
    TagOption,
    TemplateDefinition,
)
from qa_app.template_format.diff import Change, diff_templates


def replace_criterion(definition: TemplateDefinition, which: str, **changes) -> TemplateDefinition:
    sections = tuple(
        dataclasses.replace(
            section,
            criteria=tuple(
                dataclasses.replace(c, **changes) if c.key == which else c for c in section.criteria
            ),
        )
        for section in definition.sections
    )
    return dataclasses.replace(definition, sections=sections)


def with_criteria(definition: TemplateDefinition, index: int, criteria) -> TemplateDefinition:
    sections = list(definition.sections)
    sections[index] = dataclasses.replace(sections[index], criteria=tuple(criteria))
    return dataclasses.replace(definition, sections=tuple(sections))


def kinds(changes: list[Change]) -> list[tuple[str, str]]:
    return [(c.kind, c.key) for c in changes]


def test_identical_templates_have_no_changes(rich):
    assert diff_templates(rich, rich) == []


def test_version_and_lineage_are_not_changes(rich):
    newer = replace_criterion(
        dataclasses.replace(rich, version=4), "strategy_held", lineage="older"
    )
    assert diff_templates(rich, newer) == []


def test_added_criterion(rich):
    extra = Criterion("new_one", "Is this new?", scale="yes_no")
    new = with_criteria(rich, 1, (*rich.sections[1].criteria, extra))
    assert diff_templates(rich, new) == [
        Change("added", "new_one", 'criterion "new_one" added: "Is this new?"')
    ]


def test_removed_criterion(rich):
    new = with_criteria(rich, 1, rich.sections[1].criteria[:-1])
    assert diff_templates(rich, new) == [
        Change("removed", "followed_up", 'criterion "followed_up" removed')
    ]


@pytest.mark.parametrize(
    ("field", "value", "description"),
    [
        ("question", "Was a meeting held?", 'question of criterion "strategy_held" changed from "Was a strategy meeting held?" to "Was a meeting held?"'),
        ("hint", "A hint", 'hint of criterion "strategy_held" changed from "" to "A hint"'),
        ("guidance", "Look here", 'guidance of criterion "strategy_held" changed from "" to "Look here"'),
    ],
)  # fmt: skip
def test_reworded_criterion(field, value, description, rich):
    new = replace_criterion(rich, "strategy_held", **{field: value})
    assert diff_templates(rich, new) == [Change("reworded", "strategy_held", description)]


def test_rescaled_when_the_scale_changes(rich):
    new = replace_criterion(rich, "strategy_held", scale="yes_partly_no")
    assert diff_templates(rich, new) == [
        Change(
            "rescaled",
            "strategy_held",
            'scale of criterion "strategy_held" changed from "yes_no" to "yes_partly_no"',
        )
    ]


def test_rescaled_when_the_type_changes(rich):
    new = replace_criterion(rich, "strategy_held", type="text", scale=None)
    assert diff_templates(rich, new) == [
        Change(
            "rescaled",
            "strategy_held",
            'criterion "strategy_held" changed from a scale to a text question',
        )
    ]


def test_rescaled_when_a_scales_options_change(rich):
    scale = rich.scales["timeliness"]
    changed = dataclasses.replace(
        scale,
        options=(
            dataclasses.replace(scale.options[0], score=0.9, label="On time"),
            scale.options[2],
            ScaleOption("very_late", "Very late", 0),
        ),
    )
    new = dataclasses.replace(rich, scales={**rich.scales, "timeliness": changed})
    changes = diff_templates(rich, new)
    assert kinds(changes) == [("rescaled", "timeliness"), ("rescaled", "seen_alone")]
    assert changes[0].description == (
        'options of scale "timeliness" changed: added "very_late"; removed "slightly_late"; '
        '"in_time" relabelled "On time"; score of "in_time" changed from 1 to 0.9'
    )
    assert (
        changes[1].description
        == 'criterion "seen_alone" uses scale "timeliness", whose options changed'
    )


def test_rescaled_when_tag_options_change(rich):
    new = replace_criterion(rich, "agencies", options=(TagOption("police", "Police"),))
    [change] = diff_templates(rich, new)
    assert change.kind == "rescaled" and change.description.startswith(
        'options of criterion "agencies" changed'
    )


def test_moved_to_another_section(rich):
    gp = rich.sections[0].criteria[2]
    old = rich
    new = with_criteria(
        with_criteria(rich, 0, [c for c in rich.sections[0].criteria if c.key != gp.key]),
        1,
        (*rich.sections[1].criteria, gp),
    )
    assert diff_templates(old, new) == [
        Change(
            "moved",
            "meeting_date",
            'criterion "meeting_date" moved from section "strategy" to "child_voice"',
        )
    ]


def test_moved_within_a_section_reports_only_the_criterion_that_moved(rich):
    criteria = list(rich.sections[1].criteria)
    criteria.insert(0, criteria.pop(3))
    new = with_criteria(rich, 1, criteria)
    assert diff_templates(rich, new) == [
        Change(
            "moved",
            "notes",
            'criterion "notes" moved from position 4 to 1 in section "child_voice"',
        )
    ]


def test_inserting_a_criterion_does_not_move_the_ones_after_it(rich):
    criteria = list(rich.sections[1].criteria)
    criteria.insert(0, Criterion("first_now", "First?", scale="yes_no"))
    assert kinds(diff_templates(rich, with_criteria(rich, 1, criteria))) == [("added", "first_now")]


def test_replaced_criterion_continues_the_old_one(rich):
    new = replace_criterion(
        rich, "notes", key="other_notes", replaces="notes", question="Any other notes?"
    )
    assert diff_templates(rich, new) == [
        Change("replaced", "other_notes", 'criterion "other_notes" replaces "notes"'),
        Change(
            "reworded",
            "other_notes",
            'question of criterion "other_notes" changed from "Anything else the reviewer should know?" to "Any other notes?"',
        ),
    ]


def test_replaces_naming_a_key_never_in_the_old_template_is_just_an_addition(rich):
    new = replace_criterion(rich, "notes", key="other_notes", replaces="never_existed")
    assert kinds(diff_templates(rich, new)) == [("added", "other_notes"), ("removed", "notes")]


@pytest.mark.parametrize(
    ("changes", "description"),
    [
        ({"required": False}, 'criterion "strategy_held" is now optional'),
        ({"allow_na": True}, 'criterion "strategy_held" now allows N/A'),
        ({"weight": 3.0}, 'weight of criterion "strategy_held" changed from 1 to 3'),
        ({"rationale": "always"}, 'rationale rule of criterion "strategy_held" changed from "as the chosen option says" to "always"'),
        ({"area": "leaders"}, 'inspection area of criterion "strategy_held" changed from help_and_protection to leaders'),
        ({"findings": ("voice_of_child",)}, 'findings of criterion "strategy_held" changed from none to "voice_of_child"'),
        ({"replaces": "older"}, 'criterion "strategy_held" now says it replaces "older"'),
    ],
)  # fmt: skip
def test_changed_settings(changes, description, rich):
    new = replace_criterion(rich, "strategy_held", **changes)
    assert diff_templates(rich, new) == [Change("changed", "strategy_held", description)]


def test_changed_show_if_and_limits(rich):
    show_if = ShowIf("any", (Condition("strategy_held", "is", ("no",)),))
    new = replace_criterion(
        replace_criterion(rich, "meeting_date", show_if=show_if), "visits", maximum=None
    )
    assert diff_templates(rich, new) == [
        Change("changed", "meeting_date", 'show if of criterion "meeting_date" changed from "strategy_held is_not no" to "any: strategy_held is no"'),
        Change("changed", "visits", 'limits of criterion "visits" changed from min 0, max 100.5 to min 0, no maximum'),
    ]  # fmt: skip


def test_section_changes(rich):
    first, second = rich.sections
    new_section = Section(
        "extra", "Extra", criteria=(Criterion("extra_q", "Extra?", scale="yes_no"),)
    )
    changed_first = dataclasses.replace(first, title="Strategy", guidance="", judgement=None)
    judged_second = dataclasses.replace(second, judgement=Judgement("How good?", "ofsted"))
    new = dataclasses.replace(rich, sections=(judged_second, changed_first, new_section))
    assert kinds(diff_templates(rich, new)) == [
        ("moved", "child_voice"),
        ("changed", "child_voice"),
        ("reworded", "strategy"),
        ("reworded", "strategy"),
        ("changed", "strategy"),
        ("added", "extra"),
        ("added", "extra_q"),
    ]
    new = dataclasses.replace(rich, sections=(first,))
    assert ("removed", "child_voice") in kinds(diff_templates(rich, new))


def test_section_judgement_changes(rich):
    judgement = rich.sections[0].judgement
    assert judgement is not None
    changed = dataclasses.replace(
        judgement, question="Q?", scale="yes_no", rationale="always", rationale_below=None
    )
    new = dataclasses.replace(
        rich, sections=(dataclasses.replace(rich.sections[0], judgement=changed), rich.sections[1])
    )
    assert kinds(diff_templates(rich, new)) == [
        ("reworded", "strategy"),
        ("rescaled", "strategy"),
        ("changed", "strategy"),
    ]


def test_template_and_overall_changes(rich):
    new = dataclasses.replace(
        rich,
        title="New title",
        description="New description",
        applies_to=("lado",),
        look_back_months=None,
        overall=dataclasses.replace(rich.overall, question="Overall?", scale="yes_no", hint=""),
        limited_by=("strategy",),
    )
    changes = diff_templates(rich, new)
    assert [c.kind for c in changes] == [
        "reworded",
        "reworded",
        "changed",
        "changed",
        "reworded",
        "reworded",
        "rescaled",
        "changed",
    ]
    assert changes[0].description == 'title changed from "Rich example audit" to "New title"'
    assert changes[3].description == "look-back period changed from 6 months to not set"
    assert (
        changes[-1].description
        == 'overall judgement limited by changed from "strategy, seen_alone" to "strategy"'
    )


def test_findings_and_scales_added_removed_and_reworded(rich):
    new = dataclasses.replace(
        rich,
        findings={"strategy-timescales": "Reworded", "new-finding": "New"},
        scales={k: v for k, v in rich.scales.items() if k != "unused_scale"}
        | {"extra": rich.scales["unused_scale"]},
    )
    assert kinds(diff_templates(rich, new)) == [
        ("reworded", "strategy-timescales"),
        ("added", "new-finding"),
        ("removed", "voice_of_child"),
        ("added", "extra"),
        ("removed", "unused_scale"),
    ]


def test_built_in_scales_starting_or_stopping_use_are_not_scale_changes(rich):
    new = replace_criterion(
        rich, "safety_scale", scale="yes_no", rationale="scale", rationale_below=None
    )
    new = dataclasses.replace(
        new, scales={k: v for k, v in new.scales.items() if k != "scaling_0_10"}
    )
    assert [c.key for c in diff_templates(rich, new)] == ["safety_scale", "safety_scale"]
