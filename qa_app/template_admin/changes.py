"""The differences between two versions, grouped by kind for the compare page."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.diff import Change, diff_templates

# Each kind of change, in the order the page lists them: (kind, heading, GOV.UK tag classes).
CHANGE_KINDS: tuple[tuple[str, str, str], ...] = (
    ("added", "Added", "govuk-tag--green"),
    ("removed", "Removed", "govuk-tag--red"),
    ("reworded", "Reworded", "govuk-tag--turquoise"),
    ("rescaled", "Scale or answer type changed", "govuk-tag--orange"),
    ("moved", "Moved", "govuk-tag--purple"),
    ("replaced", "Replaced (trend continues)", "govuk-tag--pink"),
    ("changed", "Other settings changed", "govuk-tag--grey"),
)


@dataclass(frozen=True)
class ChangeRow:
    """One change: what it is about (a question, section or the template) and what changed."""

    subject: str
    description: str


@dataclass(frozen=True)
class ChangeGroup:
    kind: str
    heading: str
    tag_classes: str
    rows: tuple[ChangeRow, ...]


def grouped_changes(old: TemplateDefinition, new: TemplateDefinition) -> list[ChangeGroup]:
    """Return the changes from ``old`` to ``new`` grouped by kind (empty groups left out)."""
    return group_changes(diff_templates(old, new), old, new)


def group_changes(
    changes: list[Change], old: TemplateDefinition, new: TemplateDefinition
) -> list[ChangeGroup]:
    """Return the changes grouped by kind in the page's order, keeping the diff's order within
    each group (kinds the page does not know go last, under "Other changes")."""
    known = {kind for kind, _, _ in CHANGE_KINDS}
    kinds = [*CHANGE_KINDS, *(("other", "Other changes", "govuk-tag--grey"),)]
    groups = []
    for kind, heading, classes in kinds:
        rows = tuple(
            ChangeRow(subject(change.key, old, new), _sentence(change.description))
            for change in changes
            if change.kind == kind or (kind == "other" and change.kind not in known)
        )
        if rows:
            groups.append(ChangeGroup(kind, heading, classes, rows))
    return groups


def subject(key: str, old: TemplateDefinition, new: TemplateDefinition) -> str:
    """Return what a change's key names, in words: a question, a section or the template."""
    for definition in (new, old):
        criterion = definition.criterion(key)
        if criterion is not None:
            return f"Question “{criterion.question}” ({key})"
    for definition in (new, old):
        for section in definition.sections:
            if section.key == key:
                return f"Section “{section.title}” ({key})"
    if key == "overall":
        return "Overall judgement"
    if key in (new.key, old.key):
        return "The template"
    for definition in (new, old):
        if key in definition.findings:
            return f"Inspection finding ({key})"
        if key in definition.scales:
            return f"Scale “{definition.scales[key].label}” ({key})"
    return key


def _sentence(description: str) -> str:
    """Return the description starting with a capital letter, as a sentence on the page."""
    return description[:1].upper() + description[1:]
