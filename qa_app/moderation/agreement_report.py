"""The agreement figures of the Moderation page and the ``moderation agreement`` command.

The database counts the (auditor grade, moderator grade) pairs with GROUP BY, per template
version, criterion and auditor; only those counts reach Python, where each is placed on its
scale and the confusion tables are summed and handed to the pure ``qa_app.agreement`` module.
N/A answers and ungraded questions never enter: only scale answers get a moderated grade.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from qa_app.agreement import AgreementFigures, ConfusionTable, agreement_figures
from qa_app.audits.responses import OVERALL, judgement_key
from qa_app.models import Answer, Audit, AuditStatus, Case, TemplateVersion, User
from qa_app.template_format.definition import NOT_APPLICABLE, Scale, TemplateDefinition

DONE = (AuditStatus.MODERATED.value, AuditStatus.CLOSED.value)
# An auditor whose grades differ from the moderators' by half a grade or more on average, over
# at least this many pairs, is flagged.
FLAG_DIFFERENCE = 0.5
FLAG_MINIMUM_PAIRS = 5
LOWEST_CRITERIA = 10
LOWEST_MINIMUM_PAIRS = 3


@dataclass(frozen=True)
class AgreementFilters:
    since: date | None = None
    until: date | None = None
    round_id: int | None = None
    team_id: int | None = None
    template_key: str | None = None
    auditor_id: int | None = None


@dataclass(frozen=True)
class ScaleTable:
    """A confusion table on one scale, with its option labels (best first)."""

    scale: str
    labels: tuple[str, ...]
    table: ConfusionTable
    figures: AgreementFigures


@dataclass(frozen=True)
class CriterionFigures:
    template: str
    key: str
    question: str
    figures: AgreementFigures


@dataclass(frozen=True)
class AuditorFigures:
    auditor_id: int
    name: str
    audits: int
    overall: AgreementFigures
    criteria: AgreementFigures

    @property
    def flag(self) -> str:
        """Return "higher", "lower" or "" as the auditor's grades run against moderators'."""
        difference = self.criteria.mean_signed_difference
        if difference is None or self.criteria.pairs < FLAG_MINIMUM_PAIRS:
            return ""
        if difference >= FLAG_DIFFERENCE:
            return "higher"
        if difference <= -FLAG_DIFFERENCE:
            return "lower"
        return ""


@dataclass
class AgreementReport:
    audits: int
    overall: list[ScaleTable] = field(default_factory=list)
    criteria: list[ScaleTable] = field(default_factory=list)
    criteria_all: AgreementFigures | None = None
    auditors: list[AuditorFigures] = field(default_factory=list)
    lowest: list[CriterionFigures] = field(default_factory=list)


def _conditions(filters: AgreementFilters) -> list[ColumnElement[bool]]:
    conditions = [Audit.status.in_(DONE), Audit.moderated_overall_judgement.is_not(None)]
    if filters.since:
        conditions.append(Audit.moderated_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        conditions.append(Audit.moderated_at < end)
    if filters.round_id:
        conditions.append(Audit.round_id == filters.round_id)
    if filters.team_id:
        conditions.append(Case.team_id == filters.team_id)
    if filters.auditor_id:
        conditions.append(Audit.auditor_id == filters.auditor_id)
    if filters.template_key:
        conditions.append(TemplateVersion.key == filters.template_key)
    return conditions


def _base(query, filters: AgreementFilters, only_team: int | None):
    # Join cases and template versions only when a filter needs them: the criterion query reads
    # every moderated answer, and each join costs at that size.
    conditions = _conditions(filters)
    if filters.team_id or only_team is not None:
        query = query.join(Case, Case.id == Audit.case_id)
        if only_team is not None:
            conditions.append(Case.team_id == only_team)
    if filters.template_key:
        query = query.join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
    return query.where(*conditions)


def agreement_report(
    session: Session, filters: AgreementFilters, only_team: int | None = None
) -> AgreementReport:
    """Return every agreement figure for the moderated audits the filters select (only those
    of one team's cases when ``only_team`` is given: a manager's own team)."""
    overall_rows = session.execute(
        _base(
            select(
                Audit.auditor_id,
                Audit.template_version_id,
                Audit.overall_judgement,
                Audit.moderated_overall_judgement,
                func.count(Audit.id),
            ),
            filters,
            only_team,
        ).group_by(
            Audit.auditor_id,
            Audit.template_version_id,
            Audit.overall_judgement,
            Audit.moderated_overall_judgement,
        )
    ).all()
    criterion_rows = session.execute(
        _base(
            select(
                Audit.auditor_id,
                Audit.template_version_id,
                Answer.criterion_key,
                Answer.value,
                Answer.moderated_value,
                func.count(Answer.id),
            )
            .select_from(Answer)
            .join(Audit, Audit.id == Answer.audit_id),
            filters,
            only_team,
        )
        .where(Answer.moderated_value.is_not(None), Answer.value != NOT_APPLICABLE)
        .group_by(
            Audit.auditor_id,
            Audit.template_version_id,
            Answer.criterion_key,
            Answer.value,
            Answer.moderated_value,
        )
    ).all()
    version_ids = {row[1] for row in overall_rows} | {row[1] for row in criterion_rows}
    versions = {
        v.id: v
        for v in session.scalars(select(TemplateVersion).where(TemplateVersion.id.in_(version_ids)))
    }
    auditor_ids = {row[0] for row in overall_rows}
    names = dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(auditor_ids))).all()
    )
    return _build(overall_rows, criterion_rows, versions, names)


class _Tables:
    """Confusion tables summed by a key, each on its own scale."""

    def __init__(self) -> None:
        self.scales: dict[object, Scale] = {}
        self.cells: dict[object, list[tuple[int, int, int]]] = defaultdict(list)

    def add(
        self, key: object, scale: Scale, auditor: str | None, moderator: str | None, n: int
    ) -> None:
        values = [o.value for o in scale.options]
        if auditor not in values or moderator not in values:
            return
        self.scales.setdefault(key, scale)
        self.cells[key].append((values.index(auditor), values.index(moderator), n))

    def table(self, key: object) -> ConfusionTable:
        return ConfusionTable.from_cells(len(self.scales[key].options), self.cells[key])

    def figures(self, key: object) -> AgreementFigures:
        return agreement_figures(self.table(key))

    def scale_tables(self) -> list[ScaleTable]:
        return [
            ScaleTable(
                scale.label,
                tuple(o.label for o in scale.options),
                self.table(key),
                self.figures(key),
            )
            for key, scale in sorted(
                self.scales.items(), key=lambda kv: -sum(c for *_, c in self.cells[kv[0]])
            )
        ]

    def pooled(self) -> AgreementFigures:
        """Return figures over every table at once (kappas only when one scale is in use)."""
        if (
            len({tuple(o.value for o in s.options) for s in self.scales.values()}) <= 1
            and self.scales
        ):
            key = next(iter(self.scales))
            cells = [cell for k in self.scales for cell in self.cells[k]]
            return agreement_figures(
                ConfusionTable.from_cells(len(self.scales[key].options), cells)
            )
        return _pool_without_kappa([self.figures(k) for k in self.scales])


def _pool_without_kappa(parts: list[AgreementFigures]) -> AgreementFigures:
    from qa_app.agreement import KappaEstimate

    pairs = sum(p.pairs for p in parts)
    if not pairs:
        return agreement_figures(ConfusionTable.empty(0))

    def weighted(attribute: str) -> float:
        return sum(getattr(p, attribute) * p.pairs for p in parts if p.pairs) / pairs

    none = KappaEstimate(None, None, None, None)
    return AgreementFigures(
        pairs,
        weighted("exact_percent"),
        weighted("within_one_percent"),
        none,
        none,
        weighted("mean_signed_difference"),
    )


def _item_scale(definition: TemplateDefinition, key: str) -> tuple[Scale, str] | None:
    criterion = definition.criterion(key)
    if criterion is not None:
        if criterion.type != "scale" or not criterion.scale:
            return None
        return definition.scale(criterion.scale), criterion.question
    for section in definition.sections:
        if section.judgement is not None and judgement_key(section.key) == key:
            return definition.scale(section.judgement.scale), section.judgement.question
    return None


def _build(overall_rows, criterion_rows, versions, names) -> AgreementReport:
    overall = _Tables()
    criteria_by_scale = _Tables()
    by_criterion = _Tables()
    auditor_overall: dict[int, _Tables] = defaultdict(_Tables)
    auditor_criteria: dict[int, _Tables] = defaultdict(_Tables)
    audits_of: dict[int, int] = defaultdict(int)
    questions: dict[tuple[str, str], tuple[str, str]] = {}
    for auditor_id, version_id, mine, theirs, n in overall_rows:
        definition = versions[version_id].definition
        scale = definition.scale(definition.overall.scale)
        overall.add(scale.key, scale, mine, theirs, n)
        auditor_overall[auditor_id].add(scale.key, scale, mine, theirs, n)
        audits_of[auditor_id] += n
    for auditor_id, version_id, key, mine, theirs, n in criterion_rows:
        version = versions[version_id]
        found = _item_scale(version.definition, key)
        if found is None or key == OVERALL:
            continue
        scale, question = found
        criteria_by_scale.add(scale.key, scale, mine, theirs, n)
        by_criterion.add((version.key, key), scale, mine, theirs, n)
        questions[(version.key, key)] = (version.title, question)
        auditor_criteria[auditor_id].add(scale.key, scale, mine, theirs, n)
    report = AgreementReport(audits=sum(audits_of.values()))
    report.overall = overall.scale_tables()
    report.criteria = criteria_by_scale.scale_tables()
    report.criteria_all = criteria_by_scale.pooled()
    report.auditors = sorted(
        (
            AuditorFigures(
                auditor_id,
                names.get(auditor_id, "Unknown"),
                audits_of[auditor_id],
                auditor_overall[auditor_id].pooled(),
                auditor_criteria[auditor_id].pooled(),
            )
            for auditor_id in audits_of
        ),
        key=lambda a: a.name,
    )
    criteria = [
        CriterionFigures(questions[key][0], key[1], questions[key][1], by_criterion.figures(key))
        for key in by_criterion.scales
    ]
    eligible = [c for c in criteria if c.figures.pairs >= LOWEST_MINIMUM_PAIRS]
    report.lowest = sorted(
        eligible, key=lambda c: (c.figures.exact_percent, -c.figures.pairs, c.key)
    )[:LOWEST_CRITERIA]
    return report
