"""Unit tests of scoring, visibility and the submission rules (no database)."""

from __future__ import annotations

import pytest

from qa_app.audits.responses import OVERALL, Response, judgement_key, parse_date_parts, parse_number
from qa_app.audits.rules import check_responses
from qa_app.audits.scoring import format_score, score_audit
from qa_app.audits.visibility import visible_criteria
from tests.audits.small_template import small_definition


@pytest.fixture(scope="module")
def definition():
    return small_definition()


def complete(**overrides):
    responses = {
        "risk": Response("good"),
        "strategy_held": Response("yes"),
        "strategy_timed": Response("yes"),
        "seen_alone": Response("yes", "Synthetic: seen at school."),
        judgement_key("voice"): Response("good"),
        OVERALL: Response("good"),
    }
    responses.update(overrides)
    return responses


def test_the_score_is_the_weighted_mean_of_the_answers(definition):
    score = score_audit(definition, complete(risk=Response("outstanding")))
    # risk 1.0 x2, strategy_held 1.0, strategy_timed 1.0, seen_alone 1.0 -> 5/5
    assert score.overall == pytest.approx(1.0)
    score = score_audit(definition, complete(risk=Response("inadequate")))
    assert score.overall == pytest.approx(3 / 5)
    assert score.sections["safety"] == pytest.approx(2 / 4)
    assert score.sections["voice"] == pytest.approx(1.0)


def test_not_applicable_and_hidden_questions_leave_the_denominator(definition):
    responses = complete(strategy_held=Response("na"), strategy_timed=Response("no"))
    score = score_audit(definition, responses)
    assert score.answers["strategy_held"] is None
    assert score.answers["strategy_timed"] is None  # hidden: strategy_held is not "yes"
    assert score.sections["safety"] == pytest.approx(2 / 3 * 2 / 2)


def test_a_section_with_no_scored_answers_has_no_score(definition):
    score = score_audit(definition, {})
    assert score.overall is None
    assert format_score(score.overall) == "Not scored"
    assert format_score(0.666) == "67%"


def test_a_question_shows_only_when_its_condition_holds(definition):
    assert "strategy_timed" in visible_criteria(definition, complete())
    assert "strategy_timed" not in visible_criteria(
        definition, complete(strategy_held=Response("no"))
    )
    assert "strategy_timed" not in visible_criteria(definition, {})


def test_a_complete_audit_has_no_problems(definition):
    assert check_responses(definition, complete(), submitting=True) == []


def test_a_grade_below_good_needs_a_rationale_on_submit_but_not_in_a_draft(definition):
    responses = complete(
        risk=Response("requires_improvement"), **{OVERALL: Response("inadequate", "x")}
    )
    problems = check_responses(definition, responses, submitting=True)
    assert [(p.target, p.part) for p in problems] == [("risk", "rationale")]
    assert "Enter your reasons" in problems[0].message
    assert check_responses(definition, responses, submitting=False) == []


def test_rationale_always_and_never_rules_are_kept(definition):
    problems = check_responses(definition, complete(seen_alone=Response("yes")), submitting=True)
    assert [(p.target, p.part) for p in problems] == [("seen_alone", "rationale")]
    no_needs_no_reason = complete(strategy_held=Response("no"))
    problems = check_responses(definition, no_needs_no_reason, "Synthetic reason", submitting=True)
    assert problems == []


def test_required_questions_must_be_answered_only_when_shown(definition):
    responses = complete(strategy_held=Response("na"))
    del responses["strategy_timed"]
    assert check_responses(definition, responses, submitting=True) == []
    responses = complete()
    del responses["risk"]
    problems = check_responses(definition, responses, submitting=True)
    assert [(p.target, p.message) for p in problems] == [
        ("risk", "Select an answer for ‘Is risk to the child understood?’")
    ]


def test_not_applicable_is_refused_where_the_template_does_not_allow_it(definition):
    problems = check_responses(definition, complete(risk=Response("na")), submitting=False)
    assert (
        problems[0].message
        == "‘Is risk to the child understood?’ cannot be answered not applicable"
    )


def test_numbers_are_checked_against_their_bounds_even_in_a_draft(definition):
    assert check_responses(definition, {"visits": Response("many")}, submitting=False)[
        0
    ].message == ("The answer to ‘How many visits in the last three months?’ must be a number")
    assert (
        "must be 90 or less"
        in check_responses(definition, {"visits": Response("91")}, submitting=False)[0].message
    )
    assert check_responses(definition, {"visits": Response("12")}, submitting=False) == []


def test_the_overall_judgement_cannot_be_better_than_the_limiting_section_without_a_reason(
    definition,
):
    responses = complete(
        risk=Response("inadequate", "Synthetic: risk not assessed."),
        strategy_held=Response("no"),
        **{OVERALL: Response("outstanding")},
    )
    problems = check_responses(definition, responses, submitting=True)
    assert [(p.target, p.part) for p in problems] == [(OVERALL, "override")]
    assert "better than the answer for ‘Safety’" in problems[0].message
    assert check_responses(definition, responses, "Synthetic: recent change", submitting=True) == []


def test_a_scale_value_that_is_not_an_option_is_refused(definition):
    problems = check_responses(definition, complete(risk=Response("excellent")), submitting=False)
    assert problems[0].message.startswith("Select one of the answers given")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("27", "3", "2026"), ("2026-03-27", None)),
        (("", "", ""), (None, None)),
        (("31", "2", "2026"), (None, "must be a real date")),
        (("1", "", "2026"), (None, "must include a month")),
        (("1", "2", "26"), (None, "must include a 4-digit year")),
        (("a", "2", "2026"), (None, "must be a real date, written in numbers")),
    ],
)
def test_dates_are_read_from_their_three_parts(parts, expected):
    parsed, problem = parse_date_parts(*parts)
    assert (parsed.isoformat() if parsed else None, problem) == expected


def test_numbers_accept_thousands_separators_and_refuse_infinity():
    assert parse_number("1,200") == 1200
    assert parse_number("inf") is None
    assert parse_number("nan") is None
