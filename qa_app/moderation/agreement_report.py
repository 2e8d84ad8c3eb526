"""The agreement figures of the Moderation page and the ``moderation agreement`` command.

The database counts the (auditor grade, moderator grade) pairs per template version, criterion
and auditor (``agreement_queries``: from the pair rollup where it can); only those counts reach
Python, where each is placed on its scale and the confusion tables are summed and handed to the
pure ``qa_app.agreement`` module. N/A answers and ungraded questions never enter: only scale
answers get a moderated grade.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.agreement import AgreementFigures, ConfusionTable, agreement_figures
from qa_app.audits.responses import OVERALL, judgement_key
from qa_app.models import TemplateVersion, User
from qa_app.moderation.agreement_queries import AgreementFilters, criterion_rows, overall_rows
from qa_app.template_format.definition import Scale, TemplateDefinition

__all__ = ["AgreementFilters", "AgreementReport", "agreement_report"]

# An auditor whose grades differ from the moderators' by half a grade or more on average, over
# at least this many pairs, is flagged.
FLAG_DIFFERENCE = 0.5
FLAG_MINIMUM_PAIRS = 5
LOWEST_CRITERIA = 10
LOWEST_MINIMUM_PAIRS = 3


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


def agreement_report(
    session: Session, filters: AgreementFilters, only_team: int | None = None
) -> AgreementReport:
    """Return every agreement figure for the moderated audits the filters select (only those
    of one team's cases when ``only_team`` is given: a manager's own team)."""
    overall = overall_rows(session, filters, only_team)
    criteria = criterion_rows(session, filters, only_team)
    version_ids = {row[1] for row in overall} | {row[1] for row in criteria}
    versions = {
        v.id: v
        for v in session.scalars(select(TemplateVersion).where(TemplateVersion.id.in_(version_ids)))
    }
    auditor_ids = {row[0] for row in overall}
    names = dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(auditor_ids))).all()
    )
    return _build(overall, criteria, versions, names)


class _Tables:
    """Confusion tables summed by a key, each on its own scale (a grid of counts per key)."""

    def __init__(self) -> None:
        self.scales: dict[object, Scale] = {}
        self.grids: dict[object, list[list[int]]] = {}

    def grid(self, key: object, scale: Scale) -> list[list[int]]:
        """Return the key's grid of counts, adding an empty one on ``scale`` if it has none."""
        grid = self.grids.get(key)
        if grid is None:
            size = len(scale.options)
            grid = self.grids[key] = [[0] * size for _ in range(size)]
            self.scales[key] = scale
        return grid

    def add(self, key: object, scale: Scale, mine: int, theirs: int, n: int) -> None:
        """Add ``n`` pairs at positions (mine, theirs) of the scale."""
        self.grid(key, scale)[mine][theirs] += n

    def add_grid(self, key: object, scale: Scale, counts: list[list[int]]) -> None:
        grid = self.grid(key, scale)
        for row, more in zip(grid, counts, strict=True):
            for column, n in enumerate(more):
                row[column] += n

    def drop_empty(self) -> None:
        """Forget the keys with no pairs left (days taken off a month may leave a key at 0)."""
        for key, grid in list(self.grids.items()):
            if not any(map(any, grid)):
                del self.grids[key], self.scales[key]

    def table(self, key: object) -> ConfusionTable:
        return ConfusionTable(tuple(tuple(row) for row in self.grids[key]))

    def figures(self, key: object) -> AgreementFigures:
        return agreement_figures(self.table(key))

    def total(self, key: object) -> int:
        return sum(map(sum, self.grids[key]))

    def scale_tables(self) -> list[ScaleTable]:
        return [
            ScaleTable(
                scale.label,
                tuple(o.label for o in scale.options),
                self.table(key),
                self.figures(key),
            )
            for key, scale in sorted(self.scales.items(), key=lambda kv: -self.total(kv[0]))
        ]

    def pooled(self) -> AgreementFigures:
        """Return figures over every table at once (kappas only when one scale is in use)."""
        if (
            len({tuple(o.value for o in s.options) for s in self.scales.values()}) <= 1
            and self.scales
        ):
            pooled = _Tables()
            for key, scale in self.scales.items():
                pooled.add_grid(None, scale, self.grids[key])
            return pooled.figures(None)
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


def _item(definition: TemplateDefinition, key: str) -> _Item | None:
    """Return the graded question ``key`` of the definition (None when it is not graded)."""
    if key == OVERALL:
        return None
    criterion = definition.criterion(key)
    if criterion is not None:
        if criterion.type != "scale" or not criterion.scale:
            return None
        scale = definition.scale(criterion.scale)
        return _Item(scale, _positions(scale), criterion.question)
    for section in definition.sections:
        if section.judgement is not None and judgement_key(section.key) == key:
            scale = definition.scale(section.judgement.scale)
            return _Item(scale, _positions(scale), section.judgement.question)
    return None


@dataclass(frozen=True)
class _Item:
    """A graded question of a template version: its scale, and each grade's position on it."""

    scale: Scale
    positions: dict[str, int]
    question: str


def _positions(scale: Scale) -> dict[str, int]:
    return {option.value: index for index, option in enumerate(scale.options)}


def _build(overall_rows, criterion_rows, versions, names) -> AgreementReport:
    overall = _Tables()
    criteria_by_scale = _Tables()
    by_criterion = _Tables()
    auditor_overall: dict[int, _Tables] = defaultdict(_Tables)
    auditor_criteria: dict[int, _Tables] = defaultdict(_Tables)
    audits_of: dict[int, int] = defaultdict(int)
    questions: dict[tuple[str, str], tuple[str, str]] = {}
    overall_scales: dict[int, tuple[Scale, dict[str, int]]] = {}
    for auditor_id, version_id, mine, theirs, n in overall_rows:
        if version_id not in overall_scales:
            definition = versions[version_id].definition
            scale = definition.scale(definition.overall.scale)
            overall_scales[version_id] = (scale, _positions(scale))
        scale, positions = overall_scales[version_id]
        audits_of[auditor_id] += n
        if mine not in positions or theirs not in positions:
            continue
        overall.add(scale.key, scale, positions[mine], positions[theirs], n)
        auditor_overall[auditor_id].add(scale.key, scale, positions[mine], positions[theirs], n)
    # Count each template version's criterion pairs first, then sum them by scale.
    items: dict[tuple[int, str], _Item | None] = {}
    by_version = _Tables()
    for auditor_id, version_id, key, mine, theirs, n in criterion_rows:
        item = items.get((version_id, key), False)
        if item is False:
            item = items[(version_id, key)] = _item(versions[version_id].definition, key)
        if item is None:
            continue
        i, j = item.positions.get(mine), item.positions.get(theirs)
        if i is None or j is None:
            continue
        by_version.add((version_id, key), item.scale, i, j, n)
        auditor_criteria[auditor_id].add(item.scale.key, item.scale, i, j, n)
    for tables in (by_version, *auditor_criteria.values()):
        tables.drop_empty()
    for (version_id, key), scale in by_version.scales.items():
        version, grid = versions[version_id], by_version.grids[(version_id, key)]
        criteria_by_scale.add_grid(scale.key, scale, grid)
        by_criterion.add_grid((version.key, key), scale, grid)
        questions[(version.key, key)] = (version.title, items[(version_id, key)].question)
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
