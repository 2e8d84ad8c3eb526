"""The graded items of an audit a moderator decides on: each shown, answered scale criterion,
each section judgement and the overall judgement, in template order."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.audits.operations import stored_responses
from qa_app.audits.responses import OVERALL, judgement_key
from qa_app.audits.visibility import visible_criteria
from qa_app.models import Audit
from qa_app.template_format.definition import NOT_APPLICABLE, Scale, TemplateDefinition


@dataclass(frozen=True)
class GradedItem:
    key: str
    section_key: str  # "" for the overall judgement
    question: str
    scale: Scale
    auditor_value: str

    def label(self, value: str | None) -> str:
        """Return how a grade on this item's scale reads."""
        option = self.scale.option(value or "")
        return option.label if option else (value or "Not graded")


def graded_items(audit: Audit, definition: TemplateDefinition) -> list[GradedItem]:
    """Return what the moderator grades on the audit, in template order, overall last."""
    responses, _ = stored_responses(audit, definition)
    visible = visible_criteria(definition, responses)
    items: list[GradedItem] = []
    for section in definition.sections:
        for criterion in section.criteria:
            response = responses.get(criterion.key)
            value = response.value if response else None
            if (
                criterion.type == "scale"
                and criterion.scale
                and criterion.key in visible
                and value
                and value != NOT_APPLICABLE
            ):
                items.append(
                    GradedItem(
                        criterion.key,
                        section.key,
                        criterion.question,
                        definition.scale(criterion.scale),
                        value,
                    )
                )
        if section.judgement is not None:
            response = responses.get(judgement_key(section.key))
            if response and response.value:
                items.append(
                    GradedItem(
                        judgement_key(section.key),
                        section.key,
                        section.judgement.question,
                        definition.scale(section.judgement.scale),
                        response.value,
                    )
                )
    if audit.overall_judgement:
        items.append(
            GradedItem(
                OVERALL,
                "",
                definition.overall.question,
                definition.scale(definition.overall.scale),
                audit.overall_judgement,
            )
        )
    return items
