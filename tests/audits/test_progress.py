"""The task list's progress figures (no database)."""

from __future__ import annotations

from qa_app.audits.progress import (
    COMPLETED,
    HAS_PROBLEM,
    IN_PROGRESS,
    NOT_NEEDED,
    NOT_STARTED,
    audit_progress,
)
from qa_app.audits.responses import OVERALL, Response, judgement_key
from qa_app.audits.rules import Problem
from tests.audits.small_template import small_definition


def statuses(progress):
    return {s.key: (s.answered, s.total, s.status) for s in progress.sections}


def test_an_empty_audit_has_every_section_not_started():
    progress = audit_progress(small_definition(), {})
    # strategy_timed is hidden until strategy_held is "yes"; the voice judgement counts.
    assert statuses(progress) == {"safety": (0, 2, NOT_STARTED), "voice": (0, 3, NOT_STARTED)}
    assert progress.summary == "0 of 6 answered"


def test_a_section_is_completed_when_every_shown_required_question_is_answered():
    responses = {
        "risk": Response("good"),
        "strategy_held": Response("yes"),
        "strategy_timed": Response("no", "Synthetic"),
        "seen_alone": Response("yes", "Synthetic"),
        judgement_key("voice"): Response("good"),
        OVERALL: Response("good"),
    }
    progress = audit_progress(small_definition(), responses)
    # visits is optional: the voice section is complete without it.
    assert statuses(progress) == {"safety": (3, 3, COMPLETED), "voice": (2, 3, COMPLETED)}
    assert progress.summary == "6 of 7 answered"


def test_a_fully_answered_section_with_a_problem_says_there_is_a_problem_not_in_progress():
    responses = {"risk": Response("inadequate"), "strategy_held": Response("na")}
    problems = [Problem("risk", "rationale", "Enter your reasons")]
    assert statuses(audit_progress(small_definition(), responses, problems))["safety"] == (
        2,
        2,
        HAS_PROBLEM,
    )


def test_a_section_with_an_unanswered_required_question_is_in_progress():
    responses = {"risk": Response("inadequate")}
    problems = [Problem("risk", "rationale", "Enter your reasons")]
    assert statuses(audit_progress(small_definition(), responses, problems))["safety"] == (
        1,
        2,
        IN_PROGRESS,
    )


def test_a_section_whose_questions_all_depend_on_other_answers_is_not_needed():
    from dataclasses import replace

    definition = small_definition()
    safety = definition.sections[0]
    only_conditional = replace(safety, criteria=(safety.criteria[1], safety.criteria[2]))
    second = replace(only_conditional, key="later", title="Later", criteria=(safety.criteria[2],))
    definition = replace(definition, sections=(only_conditional, second), limited_by=())
    progress = audit_progress(definition, {"strategy_held": Response("no")})
    assert statuses(progress)["later"] == (0, 0, NOT_NEEDED)
