"""How far an audit has got: answered questions per section, for the task list."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.audits.responses import OVERALL, Response, Responses, judgement_key
from qa_app.audits.rules import Problem
from qa_app.audits.visibility import visible_criteria
from qa_app.template_format.definition import TemplateDefinition

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
NOT_NEEDED = "Not needed"  # no question in the section applies, given the earlier answers
# Every question answered, but something in the section stops the audit being submitted (a
# rationale missing, say): the GOV.UK task list's wording for a section with an error in it.
HAS_PROBLEM = "There is a problem"


@dataclass(frozen=True)
class SectionProgress:
    key: str
    number: int
    title: str
    answered: int
    total: int
    status: str


@dataclass(frozen=True)
class AuditProgress:
    sections: list[SectionProgress]
    answered: int
    total: int

    @property
    def summary(self) -> str:
        return f"{self.answered} of {self.total} answered"


def audit_progress(
    definition: TemplateDefinition, responses: Responses, problems: list[Problem] = ()
) -> AuditProgress:
    """Return answered/shown counts per section (a section judgement counts as a question) and
    each section's status: in progress while a shown required question is unanswered, then
    completed when nothing in it needs correcting, or "There is a problem" when something does.
    """
    visible = visible_criteria(definition, responses)
    troubled = {p.target for p in problems}
    sections = []
    for number, section in enumerate(definition.sections, start=1):
        shown = [c for c in section.criteria if c.key in visible]
        keys = [c.key for c in shown]
        required = [c.key for c in shown if c.required]
        if section.judgement is not None:
            keys.append(judgement_key(section.key))
            required.append(judgement_key(section.key))
        is_answered = {key: responses.get(key, Response()).is_answered for key in keys}
        answered = sum(is_answered.values())
        if not keys:
            status = NOT_NEEDED
        elif answered == 0:
            status = NOT_STARTED
        elif not all(is_answered[key] for key in required):
            status = IN_PROGRESS
        elif troubled.intersection(keys):
            status = HAS_PROBLEM
        else:
            status = COMPLETED
        sections.append(
            SectionProgress(section.key, number, section.title, answered, len(keys), status)
        )
    overall_answered = int(responses.get(OVERALL, Response()).is_answered)
    return AuditProgress(
        sections=sections,
        answered=sum(s.answered for s in sections) + overall_answered,
        total=sum(s.total for s in sections) + 1,
    )
