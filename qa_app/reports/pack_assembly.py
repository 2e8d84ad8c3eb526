"""Gathering a pack's content: the SQL figures of :mod:`pack_queries`, labelled from the
template versions, and the Data sheet's rows streamed in audit order."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from qa_app.agreement.statistics import ConfusionTable, agreement_figures
from qa_app.display import ENGLAND, as_utc, format_date
from qa_app.models import AuditStatus, TemplateVersion, User
from qa_app.reports import pack_queries as q
from qa_app.reports import pack_rollup as rollup
from qa_app.reports.pack_content import (
    ActionFigures,
    CriterionBlock,
    CriterionFigures,
    DataRow,
    Finding,
    FindingsByMonth,
    GradeProfile,
    Headline,
    ModerationFigures,
    MonthFigures,
    PackContent,
    PackScope,
)
from qa_app.reports.pack_filters import GOOD_OR_BETTER, OVERALL_SCALE, PackFilters
from qa_app.template_format.definition import CASE_TYPES, NOT_APPLICABLE, TemplateDefinition

SMALL_NUMBER = 5
PRIORITIES = (("high", "High priority"), ("medium", "Medium priority"), ("low", "Low priority"))
SCOPES = (("case", "For the child's case"), ("service", "Service-wide learning"))
OVERALL_KEY = "overall"
SHOWN_LIMIT = 10_000


def collect_pack_content(
    session: Session,
    user: User,
    filters: PackFilters,
    scope_filters: list[tuple[str, str]],
    now: datetime,
    small_number: int = SMALL_NUMBER,
) -> PackContent:
    """Return everything the pack shows for the user and filters (the Data rows are a stream)."""
    versions = q.template_versions(session, user, filters)
    labels = CriterionLabels(versions)
    previous_filters = filters.previous_period()
    previous = None
    previous_text = None
    if previous_filters is not None:
        previous = Headline(**q.headline_row(session, user, previous_filters))
        previous_text = (
            f"{format_date(previous_filters.period_start)} to "
            f"{format_date(previous_filters.period_end)}"
        )
    grades = [option.value for option in OVERALL_SCALE.options]
    grade_names = [option.label for option in OVERALL_SCALE.options]
    judgements = q.judgement_counts(session, user, filters)
    answers = rollup.answer_figures(session, user, filters)
    scope = PackScope(
        title="Case audit leadership pack",
        filters=scope_filters,
        data_as_at=now,
        made_by=user.display_name,
        case_level=filters.case_level,
        template_versions=[f"{v.title} version {v.version}" for v in versions],
        small_number=small_number,
        previous_period=previous_text,
    )
    content = PackContent(
        scope=scope,
        headline=Headline(**q.headline_row(session, user, filters)),
        previous=previous,
        grade_names=grade_names,
        grade_profile=GradeProfile("All", [judgements.get(g, 0) for g in grades]),
        months=[
            MonthFigures(f"{y:04d}-{m:02d}", date(y, m, 1).strftime("%B %Y"), n, good)
            for y, m, n, good in q.month_counts(session, user, filters)
        ],
        teams=_teams(q.team_judgement_counts(session, user, filters), grades),
        criteria=_criteria(_by_value(answers), labels),
        findings=_findings(_by_month(answers), labels),
        moderation=_moderation(session, user, filters, grades, grade_names, judgements),
        actions_by_priority=[],
        actions_by_scope=[],
        good_grade_count=len(GOOD_OR_BETTER),
    )
    _actions(content, q.action_counts(session, user, filters, now.date()))
    undated = sum(judgements.values()) - sum(m.audits for m in content.months)
    if undated:
        content.notes.append(f"{undated} audits have no submission date and no month.")
    if filters.with_data:
        content.data_total = q.data_row_count(session, user, filters)
        content.data_rows = data_rows(session, user, filters, labels)
    return content


def _teams(rows, grades: list[str]) -> list[GradeProfile]:
    counts: dict[str, list[int]] = {}
    for team, judgement, count in rows:
        profile = counts.setdefault(team, [0] * len(grades))
        if judgement in grades:
            profile[grades.index(judgement)] += count
    return [GradeProfile(team, profile) for team, profile in counts.items()]


@dataclass(frozen=True)
class Labelled:
    """What the pack shows for one criterion of one template version."""

    template: str
    section: str
    question: str
    kind: str  # scale, tags, text, date, number, judgement
    scale_key: str | None
    scale_label: str | None
    options: dict[str, tuple[str, float]]  # value -> (label, score), scale order
    findings: tuple[str, ...]
    finding_labels: str


class CriterionLabels:
    """Looks up labels by (template version id, criterion key), once each."""

    def __init__(self, versions: list[TemplateVersion]) -> None:
        self.definitions: dict[int, TemplateDefinition] = {v.id: v.definition for v in versions}
        self._cache: dict[tuple[int, str], Labelled] = {}

    def __call__(self, version_id: int, criterion_key: str) -> Labelled:
        key = (version_id, criterion_key)
        if key not in self._cache:
            self._cache[key] = _label(self.definitions[version_id], criterion_key)
        return self._cache[key]

    def finding(self, version_id: int, tag: str) -> Finding:
        definition = self.definitions[version_id]
        return Finding(tag, finding_label(tag), definition.findings.get(tag, tag))


def finding_label(tag: str) -> str:
    """Return a finding tag as words: ``strategy-timescales`` -> "Strategy timescales"."""
    return tag.replace("-", " ").replace("_", " ").capitalize()


def _label(definition: TemplateDefinition, criterion_key: str) -> Labelled:
    template = f"{definition.title} (version {definition.version})"
    criterion = definition.criterion(criterion_key)
    if criterion is None:
        section_key = criterion_key.removesuffix(".judgement")
        section = next((s for s in definition.sections if s.key == section_key), None)
        if section is None or section.judgement is None:
            return Labelled(template, "", criterion_key, "unknown", None, None, {}, (), "")
        scale = definition.scale(section.judgement.scale)
        options = {o.value: (o.label, o.score) for o in scale.options}
        return Labelled(
            template,
            section.title,
            section.judgement.question,
            "judgement",
            scale.key,
            scale.label,
            options,
            (),
            "",
        )
    section = definition.section_of(criterion_key)
    options: dict[str, tuple[str, float]] = {}
    scale_key = scale_label = None
    if criterion.type == "scale" and criterion.scale:
        scale = definition.scale(criterion.scale)
        scale_key, scale_label = scale.key, scale.label
        options = {o.value: (o.label, o.score) for o in scale.options}
    elif criterion.type == "tags":
        options = {o.value: (o.label, 0.0) for o in criterion.options}
    return Labelled(
        template,
        section.title if section else "",
        criterion.question,
        criterion.type,
        scale_key,
        scale_label,
        options,
        criterion.findings,
        ", ".join(finding_label(tag) for tag in criterion.findings),
    )


def _by_value(rows) -> list[tuple[int, str, str, str, int, float | None]]:
    """Return (version id, criterion key, trend key, final value, answers, summed final score):
    the answer figures over every month."""
    totals: dict[tuple[int, str, str, str], list] = {}
    for version_id, key, trend_key, value, _, _, answers, _, score_sum in rows:
        total = totals.setdefault((version_id, key, trend_key, value), [0, None])
        total[0] += answers
        if score_sum is not None:
            total[1] = (total[1] or 0.0) + score_sum
    return [(*key, answers, score_sum) for key, (answers, score_sum) in totals.items()]


def _by_month(rows) -> list[tuple[int, str, int, int, int, float]]:
    """Return (version id, criterion key, year, month, scored answers, summed final score) for
    the answers with a score and a month."""
    totals: dict[tuple[int, str, int, int], list] = {}
    for version_id, key, _, _, year, month, _, scored, score_sum in rows:
        if year is None or not scored:
            continue
        total = totals.setdefault((version_id, key, year, month), [0, 0.0])
        total[0] += scored
        total[1] += float(score_sum)
    return [(*key, scored, score_sum) for key, (scored, score_sum) in totals.items()]


def _criteria(rows, labels: CriterionLabels) -> list[CriterionBlock]:
    # (scale key, trend key, template key) -> totals; latest version's wording wins
    groups: dict[tuple[str, str, str], dict] = {}
    for version_id, criterion_key, trend_key, value, count, score_sum in sorted(rows):
        label = labels(version_id, criterion_key)
        if label.scale_key is None:
            continue
        template_key = labels.definitions[version_id].key
        group = groups.setdefault(
            (label.scale_key, trend_key, template_key),
            {"label": label, "counts": defaultdict(int), "na": 0, "scored": 0, "sum": 0.0},
        )
        group["label"] = label
        if value == NOT_APPLICABLE:
            group["na"] += count
        elif value in label.options:
            group["counts"][value] += count
            if score_sum is not None:
                group["scored"] += count
                group["sum"] += float(score_sum)
    blocks: dict[str, CriterionBlock] = {}
    for (scale_key, trend_key, _), group in groups.items():
        label: Labelled = group["label"]
        values = list(label.options)
        block = blocks.setdefault(
            scale_key,
            CriterionBlock(
                label.scale_label or scale_key, [label.options[v][0] for v in values], []
            ),
        )
        counts = [group["counts"].get(v, 0) for v in values]
        block.criteria.append(
            CriterionFigures(
                question=label.question,
                trend_key=trend_key,
                template=label.template,
                graded=sum(counts),
                not_applicable=group["na"],
                counts=counts,
                mean_score=group["sum"] / group["scored"] if group["scored"] else None,
            )
        )
    for block in blocks.values():
        block.criteria.sort(key=lambda c: (c.mean_score is None, c.mean_score or 0, c.question))
    return sorted(blocks.values(), key=lambda b: (b.scale != OVERALL_SCALE.label, b.scale))


def _findings(rows, labels: CriterionLabels) -> FindingsByMonth:
    findings: dict[str, Finding] = {}
    months: set[tuple[int, int]] = set()
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for version_id, criterion_key, year, month, count, score_sum in rows:
        label = labels(version_id, criterion_key)
        if label.scale_key is None:
            continue
        for tag in label.findings:
            findings.setdefault(tag, labels.finding(version_id, tag))
            months.add((year, month))
            total = totals[(f"{year:04d}-{month:02d}", tag)]
            total[0] += count
            total[1] += score_sum
    return FindingsByMonth(
        findings=sorted(findings.values(), key=lambda f: f.label),
        months=[(f"{y:04d}-{m:02d}", date(y, m, 1).strftime("%B %Y")) for y, m in sorted(months)],
        figures={key: (int(n), s / n if n else None) for key, (n, s) in totals.items()},
    )


def _moderation(session, user, filters, grades, grade_names, final_counts) -> ModerationFigures:
    confusion = [[0] * len(grades) for _ in grades]
    for before, after, count in q.moderation_pairs(session, user, filters):
        if before in grades and after in grades:
            confusion[grades.index(before)][grades.index(after)] += count
    auditor = q.auditor_judgement_counts(session, user, filters)
    # The moderation area's statistics, so the pack and the moderation pages agree.
    figures = agreement_figures(ConfusionTable(tuple(tuple(row) for row in confusion)))
    return ModerationFigures(
        grades=grade_names,
        confusion=confusion,
        before=[auditor.get(g, 0) for g in grades],
        after=[final_counts.get(g, 0) for g in grades],
        exact=_fraction(figures.exact_percent),
        within_one=_fraction(figures.within_one_percent),
        weighted_kappa=figures.linear.kappa,
    )


def _fraction(percent: float | None) -> float | None:
    return None if percent is None else percent / 100


def _actions(content: PackContent, rows) -> None:
    def figures(field_index: int, names) -> list[ActionFigures]:
        result = []
        for key, name in names:
            mine = [r for r in rows if r[field_index] == key]
            result.append(
                ActionFigures(
                    name,
                    open=sum(r[4] for r in mine if r[2] == "open"),
                    overdue=sum(r[4] for r in mine if r[2] == "open" and r[3]),
                    done=sum(r[4] for r in mine if r[2] == "done"),
                )
            )
        return result

    content.actions_by_priority = figures(0, PRIORITIES)
    content.actions_by_scope = figures(1, SCOPES)


def data_rows(
    session: Session, user: User, filters: PackFilters, labels: CriterionLabels
) -> Iterator[DataRow]:
    """Yield the Data sheet: each audit's answers, then its overall judgement row."""
    case_level = filters.case_level
    answers = q.answer_records(session, user, filters, case_level)
    pending = next(answers, None)
    overall = {o.value: o.label for o in OVERALL_SCALE.options}
    # (label, value, final value) -> (state, auditor's grade, final grade): a few hundred kinds
    # of answer repeat across hundreds of thousands of rows.
    shown: dict[tuple[int, str | None, str | None], tuple[str, str | None, str | None]] = {}
    for audit in q.audit_records(session, user, filters, case_level):
        definition = labels.definitions[audit.template_version_id]
        month = (
            as_utc(audit.submitted_at).astimezone(ENGLAND).strftime("%Y-%m")
            if audit.submitted_at
            else ""
        )
        common = {
            "audit": audit.id,
            "template": definition.title,
            "version": definition.version,
            "team": audit.team,
            "case_type": CASE_TYPES.get(audit.case_type or "", audit.case_type or ""),
            "round": audit.round or "",
            "month": month,
            "status": AuditStatus(audit.status).label,
            "moderated": "Yes" if audit.moderated else "No",
            "case_reference": audit.reference if case_level else None,
        }
        while pending is not None and pending.audit_id == audit.id:
            yield _answer_row(
                pending,
                labels(audit.template_version_id, pending.criterion_key),
                common,
                case_level,
                shown,
            )
            pending = next(answers, None)
        yield DataRow(
            **common,
            section="Overall",
            criterion="Overall judgement",
            trend_key=OVERALL_KEY,
            findings="",
            state="Answered" if audit.overall_judgement else "Not asked",
            auditor_grade=overall.get(audit.overall_judgement or "", audit.overall_judgement),
            final_grade=overall.get(audit.final_judgement or "", audit.final_judgement),
            auditor_score=audit.score,
            final_score=audit.final_score,
            written_text=audit.overall_rationale if case_level else None,
        )


def _answer_row(answer, label: Labelled, common: dict, case_level: bool, shown: dict) -> DataRow:
    key = (id(label), answer.value, answer.final_value)
    figures = shown.get(key)
    if figures is None:
        figures = (
            _state(answer.value, label),
            _grade(answer.value, label),
            _grade(answer.final_value, label),
        )
        # Written answers, dates and numbers hardly repeat: the memo stays small and flat.
        if len(shown) < SHOWN_LIMIT and label.kind not in ("text", "date", "number"):
            shown[key] = figures
    state, auditor_grade, final_grade = figures
    written = None
    if case_level:
        written = answer.value if label.kind == "text" else answer.rationale
    return DataRow(
        **common,
        section=label.section,
        criterion=label.question,
        trend_key=answer.lineage_key,
        findings=label.finding_labels,
        state=state,
        auditor_grade=auditor_grade,
        final_grade=final_grade,
        auditor_score=answer.score,
        final_score=answer.final_score,
        written_text=written,
    )


def _state(value: str | None, label: Labelled) -> str:
    if value is None:
        return "Not asked"
    if value == NOT_APPLICABLE:
        return "Not applicable"
    return "Written answer" if label.kind == "text" else "Answered"


def _grade(value: str | None, label: Labelled) -> str | None:
    """Return an answer as the pack shows it: a grade's label, never written text."""
    if value is None or value == NOT_APPLICABLE or label.kind == "text":
        return None
    if label.kind == "tags":
        try:
            return ", ".join(label.options.get(t, (t, 0))[0] for t in json.loads(value))
        except (ValueError, TypeError):
            return None
    if label.options:
        return label.options.get(value, (value, 0))[0]
    return value  # a date or a number
