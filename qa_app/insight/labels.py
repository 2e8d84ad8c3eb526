"""Words for the keys the rollup stores: judgements, criteria (by trend key), findings, templates.

Built once per database session from the stored template versions (each parsed once per
process), the newest version's wording winning, so a reworded question shows its latest text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.insight.rollup import definitions_for
from qa_app.models import TemplateVersion
from qa_app.template_format.definition import TemplateDefinition

T = TypeVar("T")


@dataclass(frozen=True)
class CriterionPlace:
    section: str
    question: str
    order: tuple[str, int, int]


@dataclass
class Labels:
    judgements: dict[str, tuple[str, float]] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    criteria: dict[tuple[str, str], CriterionPlace] = field(default_factory=dict)
    findings: dict[str, str] = field(default_factory=dict)
    finding_order: dict[str, int] = field(default_factory=dict)
    finding_criteria: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def judgement(self, value: str | None) -> str:
        """Return a judgement's label, e.g. "Requires improvement to be good"."""
        if value is None:
            return "No judgement"
        return self.judgements.get(value, (value.replace("_", " ").capitalize(), 0.0))[0]

    def judgement_options(self) -> list[tuple[str, str]]:
        """Return (value, label) for every overall judgement, best first."""
        ordered = sorted(self.judgements.items(), key=lambda item: -item[1][1])
        return [(value, label) for value, (label, _) in ordered]

    def in_order(self, counts: list[T]) -> list[T]:
        """Return judgement counts best first (by the scale's score), unknown ones last."""
        return sorted(
            counts,
            key=lambda c: -self.judgements.get(c.value, ("", -1.0))[1],  # type: ignore[attr-defined]
        )

    def template_title(self, key: str) -> str:
        return self.templates.get(key, key)

    def criterion(self, template_key: str, lineage_key: str) -> CriterionPlace:
        """Return where a criterion's line sits (section, question, order) in its newest version."""
        return self.criteria.get(
            (template_key, lineage_key),
            CriterionPlace("Other", lineage_key.replace("_", " "), (template_key, 999, 999)),
        )

    def finding(self, key: str) -> str:
        return self.findings.get(key, key.replace("-", " ").capitalize())

    def findings_in_order(self, keys: Iterable[str]) -> list[str]:
        """Return every known finding and any others given, in the templates' order."""
        every = set(keys) | set(self.findings)
        return sorted(every, key=lambda k: (self.finding_order.get(k, 999), k))

    def criteria_with_finding(self, finding: str) -> list[tuple[str, str]]:
        return self.finding_criteria.get(finding, [])


def labels_for(session: Session) -> Labels:
    """Return the labels, built once per session (a request, a CLI command, a job)."""
    cached = session.info.get("insight_labels")
    if cached is None:
        cached = session.info["insight_labels"] = build_labels(session)
    return cached


_built: dict[tuple[tuple[int, str], ...], Labels] = {}


def build_labels(session: Session) -> Labels:
    """Return labels from every stored template version, oldest first so the newest wins.

    Stored versions never change, so the labels are built once per set of versions a process
    sees (a new version loaded makes a new set)."""
    rows = session.execute(
        select(TemplateVersion.id, TemplateVersion.source_hash).order_by(
            TemplateVersion.key, TemplateVersion.version
        )
    ).all()
    signature = tuple((row.id, row.source_hash) for row in rows)
    if signature in _built:
        return _built[signature]
    definitions = definitions_for(session, [row.id for row in rows])
    labels = Labels()
    for row in rows:
        _add(labels, definitions[row.id])
    if len(_built) > 32:
        _built.clear()
    _built[signature] = labels
    return labels


def _add(labels: Labels, definition: TemplateDefinition) -> None:
    labels.templates[definition.key] = definition.title
    for option in definition.scale(definition.overall.scale).options:
        labels.judgements[option.value] = (option.label, option.score)
    for section_index, section in enumerate(definition.sections):
        for criterion_index, criterion in enumerate(section.criteria):
            lineage = definition.lineage_key(criterion.key)
            labels.criteria[(definition.key, lineage)] = CriterionPlace(
                section.title,
                criterion.question,
                (definition.key, section_index, criterion_index),
            )
    for key, text in definition.findings.items():
        labels.findings[key] = text
        labels.finding_order.setdefault(key, len(labels.finding_order))
    latest: dict[str, list[tuple[str, str]]] = {}
    for criterion in definition.criteria():
        for finding in criterion.findings:
            latest.setdefault(finding, []).append(
                (definition.key, definition.lineage_key(criterion.key))
            )
    for finding in {*labels.finding_criteria, *latest}:
        others = [p for p in labels.finding_criteria.get(finding, []) if p[0] != definition.key]
        labels.finding_criteria[finding] = others + latest.get(finding, [])
