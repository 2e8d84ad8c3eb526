"""show_if conditions may only test earlier criteria, with values those criteria can have."""

# Expected messages are kept whole on one line so they can be searched for.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from qa_app.template_format.definition import Condition, ShowIf

EARLIER = """\
- {key: held, question: Held, scale: yes_no}
- {key: quality, question: Quality, scale: yes_partly_no, allow_na: true}
- key: agencies
  question: Agencies
  type: tags
  options: [{value: police, label: Police}, {value: health, label: Health}]
- {key: when, question: When, type: date}
"""


def with_condition(make_template, show_if: str) -> str:
    return make_template(
        EARLIER + f"- key: later\n  question: Later\n  scale: yes_no\n  show_if: {show_if}\n"
    )


def one_message(problems_of, text: str) -> str:
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0].message


def test_condition_on_an_earlier_section_criterion_is_fine(make_template, definition_of):
    text = make_template(
        sections="""
        - key: second
          title: Second
          criteria:
            - key: later
              question: Later
              scale: yes_no
              show_if: {criterion: first_question, is: no}
        """
    )
    later = definition_of(text).criterion("later")
    assert later is not None
    assert later.show_if == ShowIf("all", (Condition("first_question", "is", ("no",)),))


def test_show_if_referring_to_a_later_criterion_is_reported(make_template, problems_of, locate):
    text = make_template(
        "- {key: a, question: A, scale: yes_no, show_if: {criterion: b, is: yes}}\n"
        "- {key: b, question: B, scale: yes_no}\n"
    )
    problem = problems_of(text)[0]
    assert problem.message == (
        'show_if refers to "b", which is not an earlier criterion (it comes later in the template)'
    )
    assert (problem.line, problem.column) == locate(text, "b, is")


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("later", " (a question cannot depend on itself)"),
        ("first_section", " (that is a section)"),
        ("helf", ' (did you mean "held"?)'),
    ],
)
def test_show_if_must_refer_to_an_earlier_criterion(target, why, make_template, problems_of):
    text = with_condition(make_template, f"{{criterion: {target}, answered: true}}")
    expected = f'show_if refers to "{target}", which is not an earlier criterion{why}'
    assert one_message(problems_of, text) == expected


def test_condition_values_must_be_options_of_the_criterions_scale(
    make_template, problems_of, locate
):
    text = with_condition(make_template, "{criterion: held, in: [yes, maybe]}")
    problem = problems_of(text)[0]
    assert problem.message == '"maybe" is not an option of "held" (options: yes, no)'
    assert (problem.line, problem.column) == locate(text, "maybe")


def test_na_is_a_value_only_when_the_criterion_allows_na(make_template, problems_of, definition_of):
    definition_of(with_condition(make_template, "{criterion: quality, is: na}"))
    message = one_message(problems_of, with_condition(make_template, "{criterion: held, is: na}"))
    assert (
        message
        == '"na" is not an option of "held" (options: yes, no); "na" needs allow_na: true on "held"'
    )


def test_includes_tests_tag_options(make_template, problems_of, definition_of):
    definition_of(with_condition(make_template, "{criterion: agencies, includes: police}"))
    message = one_message(
        problems_of, with_condition(make_template, "{criterion: agencies, includes: fire}")
    )
    assert message == '"fire" is not an option of "agencies" (options: police, health)'


def test_includes_only_works_on_tags_criteria(make_template, problems_of):
    message = one_message(
        problems_of, with_condition(make_template, "{criterion: held, includes: yes}")
    )
    assert message == '"includes" only works on tags questions; "held" is a scale question'


def test_is_on_a_tags_criterion_suggests_includes(make_template, problems_of):
    message = one_message(
        problems_of, with_condition(make_template, "{criterion: agencies, is: police}")
    )
    assert message == 'use "includes" to test the tags question "agencies"'


def test_a_date_question_can_only_be_tested_with_answered(
    make_template, problems_of, definition_of
):
    definition_of(with_condition(make_template, "{criterion: when, answered: true}"))
    message = one_message(problems_of, with_condition(make_template, "{criterion: when, is: x}"))
    assert message == '"when" is a date question: only "answered" can test it'


@pytest.mark.parametrize(
    ("show_if", "expected"),
    [
        ("{criterion: held, is: [yes, no]}", '"is" takes one value; use "in" for a list'),
        ("{criterion: held, in: yes}", '"in" takes a list of values, such as [no, partly]'),
        ("{criterion: held, in: []}", '"in" must list at least one value'),
        ("{criterion: held, answered: false}", '"answered" can only be true'),
        ("{criterion: held, answered: sure}", '"answered" must be true or false, not "sure"'),
        ("{criterion: held}", "missing the test: add one of is, is_not, in, not_in, includes, answered"),
        ("{is: yes}", 'missing "criterion"'),
        ("{criterion: held, is: yes, in: [no]}", 'a condition can have only one test (found is, in); use "all:" to combine several'),
        ("{criterion: held, is: }", '"is" is empty'),
        ("{criterion: held, equals: yes}", 'unknown field "equals" (fields allowed here: all, any, criterion, is, is_not, in, not_in, includes, answered)'),
        ("held is yes", '"show_if" must be a set of fields (key: value lines), not "held is yes"'),
        ("{all: []}", '"all" must list at least one condition'),
        ("{all: {criterion: held, is: yes}}", '"all" must be a list, not a set of fields (key: value lines)'),
        ("{any: [{criterion: held, is: yes}], criterion: held, is: yes}", '"show_if" must be either one condition or "all:"/"any:" with a list of conditions'),
        ("{all: [{any: [{criterion: held, is: yes}]}]}", 'conditions cannot be nested ("any" inside "all")'),
    ],
)  # fmt: skip
def test_badly_formed_conditions_are_reported(show_if, expected, make_template, problems_of):
    assert expected in [p.message for p in problems_of(with_condition(make_template, show_if))]


def test_conditions_on_a_criterion_with_an_unknown_scale_report_only_the_scale(
    make_template, problems_of
):
    text = make_template(
        "- {key: a, question: A, scale: nope}\n"
        "- {key: b, question: B, scale: yes_no, show_if: {criterion: a, is: whatever}}\n"
    )
    assert one_message(problems_of, text).startswith('unknown scale "nope"')


def test_every_bad_condition_in_a_group_is_reported(make_template, problems_of):
    show_if = "{any: [{criterion: held, is: maybe}, {criterion: agencies, includes: fire}, {criterion: zzz, answered: true}]}"
    assert len(problems_of(with_condition(make_template, show_if))) == 3
