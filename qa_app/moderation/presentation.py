"""What the moderation pages show: the task list, one page's items, both grades side by side."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from qa_app.models import Audit, ModerationGrade, ModerationSelection
from qa_app.moderation.grading import Decision
from qa_app.moderation.items import GradedItem
from qa_app.template_format.definition import TemplateDefinition

OVERALL_PAGE = "overall"


@dataclass(frozen=True)
class TaskRow:
    title: str
    href: str
    decided: int
    total: int

    @property
    def done(self) -> bool:
        return self.decided == self.total


def moderation_pages(selection: ModerationSelection, items: list[GradedItem]) -> list[TaskRow]:
    """Return one task list row per page with graded items: sections, then the overall."""
    definition = selection.audit.template_version.definition
    decided = {g.criterion_key for g in selection.grades}
    rows = []
    pages = [s.key for s in definition.sections] + [OVERALL_PAGE]
    for page in pages:
        title, page_items_ = page_items(definition, items, page)
        if not page_items_:
            continue
        rows.append(
            TaskRow(
                title,
                url_for("moderation.section", audit_id=selection.audit_id, page=page),
                sum(1 for i in page_items_ if i.key in decided),
                len(page_items_),
            )
        )
    return rows


def page_items(
    definition: TemplateDefinition, items: list[GradedItem], page: str
) -> tuple[str, list[GradedItem]]:
    """Return a page's title and its items (the overall judgement's page is "overall")."""
    if page == OVERALL_PAGE:
        return "Overall judgement", [i for i in items if i.key == "overall"]
    for number, section in enumerate(definition.sections, start=1):
        if section.key == page:
            return f"{number}. {section.title}", [i for i in items if i.section_key == page]
    return "", []


@dataclass(frozen=True)
class ConflictRow:
    question: str
    mine: str
    theirs: str


def _decision_text(item: GradedItem, agrees: bool | None, value: str | None) -> str:
    if agrees is None:
        return "Not decided"
    return (
        f"Agree: {item.label(item.auditor_value)}" if agrees else f"Change to {item.label(value)}"
    )


def conflict_rows(
    items: list[GradedItem], mine: dict[str, Decision], saved: dict[str, ModerationGrade]
) -> list[ConflictRow]:
    """Return the items where what was chosen differs from what is now saved."""
    rows = []
    for item in items:
        typed = mine.get(item.key, Decision(None))
        grade = saved.get(item.key)
        theirs = _decision_text(item, grade.agrees, grade.value) if grade else "Not decided"
        ours = _decision_text(item, typed.agrees, typed.value)
        if ours != theirs:
            rows.append(ConflictRow(item.question, ours, theirs))
    return rows


@dataclass(frozen=True)
class OutcomeRow:
    question: str
    auditor: str
    moderator: str
    changed: bool
    reason: str


def outcome_rows(
    audit: Audit, items: list[GradedItem], grades: dict[str, ModerationGrade]
) -> list[OutcomeRow]:
    """Return each graded item with the auditor's grade, the moderator's and the reason."""
    moderated = {a.criterion_key: a.moderated_value for a in audit.answers}
    moderated["overall"] = audit.moderated_overall_judgement
    rows = []
    for item in items:
        final = moderated.get(item.key)
        grade = grades.get(item.key)
        rows.append(
            OutcomeRow(
                question=item.question,
                auditor=item.label(item.auditor_value),
                moderator=item.label(final) if final else "Not moderated",
                changed=final is not None and final != item.auditor_value,
                reason=(grade.reason or "") if grade else "",
            )
        )
    return rows
