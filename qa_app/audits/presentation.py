"""What the audit pages show: sections, numbered questions and the section profile."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from qa_app.audits.forms import field_names
from qa_app.audits.operations import latest_return_reason, stored_responses
from qa_app.audits.page_flow import OVERALL_PAGE, page_url
from qa_app.audits.progress import audit_progress
from qa_app.audits.responses import OVERALL, Response, Responses, judgement_key
from qa_app.audits.rules import check_responses
from qa_app.audits.scoring import AuditScore, format_score, score_audit
from qa_app.audits.visibility import visible_criteria
from qa_app.display import format_date
from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus
from qa_app.template_format.definition import (
    NOT_APPLICABLE,
    Criterion,
    Judgement,
    Section,
    ShowIf,
    TemplateDefinition,
)


@dataclass(frozen=True)
class QuestionView:
    number: str
    key: str
    question: str
    hint: str
    guidance: str
    type: str
    answer_field: str
    rationale_field: str | None
    show_if_json: str | None
    shown: bool
    answer_text: str
    rationale: str
    score_text: str


@dataclass(frozen=True)
class SectionView:
    number: int
    key: str
    title: str
    guidance: str
    questions: list[QuestionView]
    judgement: QuestionView | None
    score_text: str


def audit_page_context(
    audit: Audit,
    definition: TemplateDefinition,
    form: Any,
    responses: Responses,
    error_summary: list[dict[str, str]],
    only_section: str | None = None,
) -> dict[str, Any]:
    """Return the template context for an audit's edit or view page.

    Given ``only_section``, ``sections`` holds that section's view alone (a section's own page
    shows nothing of the others).
    """
    score = score_audit(definition, responses)
    visible = visible_criteria(definition, responses)
    sections = [
        _section_view(definition, index, section, responses, score, visible)
        for index, section in enumerate(definition.sections, start=1)
        if only_section is None or section.key == only_section
    ]
    overall = responses.get(OVERALL, Response())
    return {
        "audit": audit,
        "definition": definition,
        "form": form,
        "sections": sections,
        "score": score,
        "score_text": format_score(score.overall),
        "overall_text": _option_label(definition, definition.overall.scale, overall.value),
        "overall": overall,
        "error_summary": error_summary,
        "page_has_errors": bool(error_summary),
        "conflict": False,
        "limiting_names": [_limit_name(definition, key) for key in definition.limited_by],
    }


def _limit_name(definition: TemplateDefinition, key: str) -> str:
    for section in definition.sections:
        if section.key == key:
            return f"section ‘{section.title}’"
    criterion = definition.criterion(key)
    return f"question ‘{criterion.question}’" if criterion else key


def _section_view(
    definition: TemplateDefinition,
    number: int,
    section: Section,
    responses: Responses,
    score: AuditScore,
    visible: set[str],
) -> SectionView:
    questions = [
        _question_view(definition, f"{number}.{index}", criterion, responses, score, visible)
        for index, criterion in enumerate(section.criteria, start=1)
    ]
    judgement = None
    if section.judgement is not None:
        judgement = _judgement_view(
            definition,
            f"{number}.{len(questions) + 1}",
            judgement_key(section.key),
            section.judgement,
            responses,
        )
    return SectionView(
        number=number,
        key=section.key,
        title=section.title,
        guidance=section.guidance,
        questions=questions,
        judgement=judgement,
        score_text=format_score(score.sections.get(section.key)),
    )


def _question_view(
    definition: TemplateDefinition,
    number: str,
    criterion: Criterion,
    responses: Responses,
    score: AuditScore,
    visible: set[str],
) -> QuestionView:
    response = responses.get(criterion.key, Response())
    names = field_names(criterion.key)
    has_rationale_box = criterion.type == "scale" or (
        criterion.rationale == "always" and criterion.type != "text"
    )
    show_if = None if criterion.show_if is None else show_if_json(criterion.show_if)
    return QuestionView(
        number=number,
        key=criterion.key,
        question=criterion.question,
        hint=criterion.hint,
        guidance=criterion.guidance,
        type=criterion.type,
        answer_field=names["answer"],
        rationale_field=names["rationale"] if has_rationale_box else None,
        show_if_json=show_if,
        shown=criterion.key in visible,
        answer_text=_answer_text(definition, criterion, response),
        rationale=response.rationale,
        score_text=format_score(score.answers.get(criterion.key)),
    )


@lru_cache(maxsize=4096)
def show_if_json(show_if: ShowIf) -> str:
    """Return a question's show_if rule as the JSON the page's script reads (kept per rule:
    the same rule is written on every page that shows its question)."""
    return json.dumps(
        {
            "mode": show_if.mode,
            "conditions": [
                {"criterion": c.criterion, "operator": c.operator, "values": list(c.values)}
                for c in show_if.conditions
            ],
        }
    )


def _judgement_view(
    definition: TemplateDefinition,
    number: str,
    key: str,
    judgement: Judgement,
    responses: Responses,
) -> QuestionView:
    response = responses.get(key, Response())
    names = field_names(key)
    return QuestionView(
        number=number,
        key=key,
        question=judgement.question,
        hint=judgement.hint,
        guidance=judgement.guidance,
        type="scale",
        answer_field=names["answer"],
        rationale_field=names["rationale"],
        show_if_json=None,
        shown=True,
        answer_text=_option_label(definition, judgement.scale, response.value),
        rationale=response.rationale,
        score_text="",
    )


def answer_text(definition: TemplateDefinition, key: str, response: Response) -> str:
    """Return how an answer reads to a person, for any response key."""
    criterion = definition.criterion(key)
    if criterion is not None:
        return _answer_text(definition, criterion, response)
    if key == OVERALL:
        return _option_label(definition, definition.overall.scale, response.value)
    for section in definition.sections:
        if section.judgement is not None and key == judgement_key(section.key):
            return _option_label(definition, section.judgement.scale, response.value)
    return response.value or "Not answered"


def overview_context(audit: Audit, problems: list) -> dict[str, Any]:
    """Return the task list page's context: progress per section and the problems to fix."""
    definition = audit.template_version.definition
    responses, override = stored_responses(audit, definition)
    pending = problems or check_responses(definition, responses, override, submitting=False)
    progress = audit_progress(definition, responses, pending)
    summary = []
    for problem in problems:
        page = _page_of(definition, problem.target, OVERALL_PAGE)
        anchor = _anchor(definition, problem)
        summary.append({"text": problem.message, "href": f"{page_url(audit.id, page)}#{anchor}"})
    score = score_audit(definition, responses)
    overall = responses.get(OVERALL, Response())
    return {
        "audit": audit,
        "definition": definition,
        "progress": progress,
        "overall_done": overall.is_answered,
        "practice_done": audit.with_practitioner is not None,
        "error_summary": summary,
        "page_has_errors": bool(summary),
        "score_text": format_score(score.overall),
        "overall_text": _option_label(definition, definition.overall.scale, overall.value),
        "return_reason": latest_return_reason(db.session, audit)
        if audit.status_enum == AuditStatus.RETURNED
        else None,
    }


def _page_of(definition: TemplateDefinition, key: str, overall_page: str) -> str:
    if key == OVERALL:
        return overall_page
    if key.endswith(".judgement"):
        return key.removesuffix(".judgement")
    section = definition.section_of(key)
    return section.key if section else overall_page


def _anchor(definition: TemplateDefinition, problem: Any) -> str:
    name = field_names(problem.target)[problem.part]
    criterion = definition.criterion(problem.target)
    if problem.part == "answer" and criterion is not None and criterion.type == "date":
        return f"{name}-day"
    return name


def _answer_text(definition: TemplateDefinition, criterion: Criterion, response: Response) -> str:
    if criterion.type == "tags":
        labels = {o.value: o.label for o in criterion.options}
        return ", ".join(labels.get(t, t) for t in response.tags) or "Not answered"
    if criterion.type == "scale" and criterion.scale:
        return _option_label(definition, criterion.scale, response.value)
    if criterion.type == "date" and response.value:
        return _date_text(response.value)
    return response.value or "Not answered"


def _date_text(value: str) -> str:
    """Return a stored date answer as people read it ("14 October 2026"); a draft may hold a date
    as typed that is not a date yet, which is shown as it was typed."""
    try:
        return format_date(date.fromisoformat(value))
    except ValueError:
        return value


def _option_label(definition: TemplateDefinition, scale_key: str, value: str | None) -> str:
    if not value:
        return "Not answered"
    if value == NOT_APPLICABLE:
        return "Not applicable"
    option = definition.scale(scale_key).option(value)
    return option.label if option else value


@dataclass(frozen=True)
class ConflictRow:
    key: str
    question: str
    theirs: str
    theirs_rationale: str
    mine: str
    mine_rationale: str


def conflicting_answers(
    definition: TemplateDefinition, mine: Responses, theirs: Responses
) -> list[ConflictRow]:
    """Return the answers where what was typed differs from what is now saved."""
    rows = []
    for key, typed in mine.items():
        saved = theirs.get(key, Response())
        if (typed.value or None, typed.rationale.strip(), typed.tags) == (
            saved.value or None,
            saved.rationale.strip(),
            saved.tags,
        ):
            continue
        rows.append(
            ConflictRow(
                key=key,
                question=_question(definition, key),
                theirs=answer_text(definition, key, saved),
                theirs_rationale=saved.rationale,
                mine=answer_text(definition, key, typed),
                mine_rationale=typed.rationale,
            )
        )
    return rows


def _question(definition: TemplateDefinition, key: str) -> str:
    if key == OVERALL:
        return definition.overall.question
    criterion = definition.criterion(key)
    if criterion is not None:
        return criterion.question
    for section in definition.sections:
        if section.judgement is not None and key == f"{section.key}.judgement":
            return section.judgement.question
    return key
