"""Dashboard figures from the rollup: one function per panel, each given an InsightFilter and
returning plain dataclasses (no Flask), so the pages, the JSON API and the leadership pack show
the same figures. Every aggregate is computed in SQL over the rollup tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qa_app.insight.figures import Share
from qa_app.insight.filters import InsightFilter, add_months
from qa_app.insight.labels import Labels, labels_for
from qa_app.models import (
    InsightAuditMonth,
    InsightCriterionFinding,
    InsightCriterionMonth,
    Team,
)


def apply_filter(
    query: Select,
    model,
    f: InsightFilter,
    *,
    start: date | None = None,
    end: date | None = None,
    by_due_month: bool = False,
) -> Select:
    """Return the query narrowed to the filter (on a rollup model with the cell columns): its
    months are those the audits were submitted in, or due in with ``by_due_month``."""
    month = model.due_month if by_due_month else model.month
    query = query.where(month >= (start or f.start), month <= (end or f.end))
    if f.scope_team_ids is not None:
        query = query.where(model.team_id.in_(f.scope_team_ids))
    if f.team_id is not None:
        query = query.where(model.team_id == f.team_id)
    if f.template_key is not None:
        query = query.where(model.template_key == f.template_key)
    if f.version_from is not None:
        query = query.where(model.template_version >= f.version_from)
    if f.version_to is not None:
        query = query.where(model.template_version <= f.version_to)
    if f.round_id is not None:
        query = query.where(model.round_id == f.round_id)
    if f.case_type is not None:
        query = query.where(model.case_type == f.case_type)
    return query


def _basis(model, f: InsightFilter, name: str):
    return getattr(model, f"{f.basis}_{name}")


# --- grade profile ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgementCount:
    value: str | None
    label: str
    audits: int


@dataclass(frozen=True)
class ProfileFigures:
    start: date
    end: date
    audits: int
    judgements: list[JudgementCount]
    good: Share
    inadequate: Share
    mean_score: float | None  # 0 to 1; None when suppressed or no scores


@dataclass(frozen=True)
class GradeProfile:
    current: ProfileFigures
    previous: ProfileFigures


def grade_profile(session: Session, f: InsightFilter) -> GradeProfile:
    """Return audits by overall judgement, % good or better, % inadequate and the mean score,
    for the period and the period of the same length before it."""
    labels = labels_for(session)
    return GradeProfile(_profile(session, f, labels), _profile(session, f.previous(), labels))


def _profile(session: Session, f: InsightFilter, labels: Labels) -> ProfileFigures:
    agg = InsightAuditMonth
    judgement = _basis(agg, f, "judgement")
    rows = session.execute(
        apply_filter(
            select(
                judgement,
                func.sum(agg.audits),
                func.sum(_basis(agg, f, "good")),
                func.sum(_basis(agg, f, "inadequate")),
                func.sum(_basis(agg, f, "score_sum")),
                func.sum(_basis(agg, f, "scored")),
            ).group_by(judgement),
            agg,
            f,
        )
    ).all()
    audits = sum(r[1] for r in rows)
    scored = sum(r[5] for r in rows)
    score_sum = sum(r[4] or 0 for r in rows)
    suppressed = 0 < audits < f.suppress_below
    return ProfileFigures(
        start=f.start,
        end=f.end,
        audits=audits,
        judgements=labels.in_order(
            [JudgementCount(value, labels.judgement(value), count) for value, count, *_ in rows]
        ),
        good=Share(sum(r[2] for r in rows), audits, audits, f.suppress_below),
        inadequate=Share(sum(r[3] for r in rows), audits, audits, f.suppress_below),
        mean_score=None if suppressed or not scored else score_sum / scored,
    )


# --- trend by month --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: date
    audits: int
    good: Share
    inadequate: Share


def monthly_trend(session: Session, f: InsightFilter) -> list[MonthFigures]:
    """Return each month of the period: audits, % good or better and % inadequate."""
    agg = InsightAuditMonth
    rows = session.execute(
        apply_filter(
            select(
                agg.month,
                func.sum(agg.audits),
                func.sum(_basis(agg, f, "good")),
                func.sum(_basis(agg, f, "inadequate")),
            ).group_by(agg.month),
            agg,
            f,
        )
    ).all()
    by_month = {month: (audits, good, bad) for month, audits, good, bad in rows}
    figures = []
    for month in f.months:
        audits, good, bad = by_month.get(month, (0, 0, 0))
        figures.append(
            MonthFigures(
                month,
                audits,
                Share(good, audits, audits, f.suppress_below),
                Share(bad, audits, audits, f.suppress_below),
            )
        )
    return figures


# --- teams -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamFigures:
    team_id: int
    team: str
    audits: int
    judgements: list[JudgementCount]
    good: Share
    inadequate: Share


def team_profiles(session: Session, f: InsightFilter) -> list[TeamFigures]:
    """Return each team's grade profile, % good or better and % inadequate, by team name."""
    agg = InsightAuditMonth
    judgement = _basis(agg, f, "judgement")
    rows = session.execute(
        apply_filter(
            select(
                agg.team_id,
                judgement,
                func.sum(agg.audits),
                func.sum(_basis(agg, f, "good")),
                func.sum(_basis(agg, f, "inadequate")),
            ).group_by(agg.team_id, judgement),
            agg,
            f,
        )
    ).all()
    labels = labels_for(session)
    names = team_names(session, {row[0] for row in rows})
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    teams = []
    for team_id, team_rows in grouped.items():
        audits = sum(r[2] for r in team_rows)
        teams.append(
            TeamFigures(
                team_id=team_id,
                team=names.get(team_id, f"Team {team_id}"),
                audits=audits,
                judgements=labels.in_order(
                    [JudgementCount(r[1], labels.judgement(r[1]), r[2]) for r in team_rows]
                ),
                good=Share(sum(r[3] for r in team_rows), audits, audits, f.suppress_below),
                inadequate=Share(sum(r[4] for r in team_rows), audits, audits, f.suppress_below),
            )
        )
    return sorted(teams, key=lambda t: t.team)


def team_names(session: Session, team_ids: set[int] | None = None) -> dict[int, str]:
    """Return team names by id (all teams when no ids are given).

    Every team is read once per database session (a request), since a dashboard names teams in
    several panels and the filters, and a council has a few dozen teams."""
    every = session.info.get("insight_team_names")
    if every is None:
        every = session.info["insight_team_names"] = dict(
            session.execute(select(Team.id, Team.name)).all()
        )
    if team_ids is None:
        return dict(every)
    return {team_id: every[team_id] for team_id in team_ids if team_id in every}


# --- team x criterion heat map ---------------------------------------------------------------


@dataclass(frozen=True)
class HeatRow:
    template_key: str
    template_title: str
    section: str
    lineage_key: str
    question: str
    cells: list[Share]  # one per team, in the heat map's team order
    overall: Share


@dataclass(frozen=True)
class HeatMap:
    teams: list[tuple[int, str]]
    rows: list[HeatRow]


def heat_map(session: Session, f: InsightFilter) -> HeatMap:
    """Return the % of graded answers good or better, by criterion (joined across template
    versions by trend key, grouped by section) and team."""
    agg = InsightCriterionMonth
    graded, good = _basis(agg, f, "graded"), _basis(agg, f, "good")
    rows = session.execute(
        apply_filter(
            select(
                agg.template_key,
                agg.lineage_key,
                agg.team_id,
                func.sum(graded),
                func.sum(good),
            )
            .where(agg.is_judgement == 0)
            .group_by(agg.template_key, agg.lineage_key, agg.team_id)
            .having(func.sum(graded) > 0),
            agg,
            f,
        )
    ).all()
    names = team_names(session, {row[2] for row in rows})
    teams = sorted(names.items(), key=lambda item: item[1])
    labels = labels_for(session)
    cells: dict[tuple[str, str], dict[int, tuple[int, int]]] = defaultdict(dict)
    for key, lineage, team_id, total, count in rows:
        cells[(key, lineage)][team_id] = (count, total)
    heat_rows = []
    for (key, lineage), by_team in cells.items():
        place = labels.criterion(key, lineage)
        shares = [
            Share(*by_team.get(team_id, (0, 0)), by_team.get(team_id, (0, 0))[1], f.suppress_below)
            for team_id, _ in teams
        ]
        count, total = sum(c for c, _ in by_team.values()), sum(t for _, t in by_team.values())
        heat_rows.append(
            HeatRow(
                template_key=key,
                template_title=labels.template_title(key),
                section=place.section,
                lineage_key=lineage,
                question=place.question,
                cells=shares,
                overall=Share(count, total, total, f.suppress_below),
            )
        )
    heat_rows.sort(key=lambda r: labels.criterion(r.template_key, r.lineage_key).order)
    return HeatMap(teams=teams, rows=heat_rows)


# --- inspection findings tracker -------------------------------------------------------------


@dataclass(frozen=True)
class FindingTrend:
    finding: str
    text: str
    months: list[tuple[date, Share]]
    latest: Share  # the last month of the period
    year_earlier: Share  # the same month a year before
    period: Share  # the whole period
    answers: int


def findings_tracker(session: Session, f: InsightFilter) -> list[FindingTrend]:
    """Return each inspection finding's monthly % good or better (over the answers to criteria
    tagged with it, in every template version), its latest figure and a year before."""
    year_earlier = add_months(f.end, -12)
    rows = _finding_rows(session, f, start=min(f.start, year_earlier), group_by_month=True)
    labels = labels_for(session)
    series: dict[str, dict[date, tuple[int, int]]] = defaultdict(dict)
    for finding, month, total, count in rows:
        series[finding][month] = (count, total)
    trends = []
    for finding in labels.findings_in_order(series):
        by_month = series[finding]
        months = [(m, _share(by_month.get(m), f)) for m in f.months]
        in_period = [by_month[m] for m in f.months if m in by_month]
        count, total = sum(c for c, _ in in_period), sum(t for _, t in in_period)
        trends.append(
            FindingTrend(
                finding=finding,
                text=labels.finding(finding),
                months=months,
                latest=_share(by_month.get(f.end), f),
                year_earlier=_share(by_month.get(year_earlier), f),
                period=Share(count, total, total, f.suppress_below),
                answers=total,
            )
        )
    return trends


def _share(pair: tuple[int, int] | None, f: InsightFilter) -> Share:
    count, total = pair or (0, 0)
    return Share(count, total, total, f.suppress_below)


def _finding_rows(session: Session, f: InsightFilter, *, start: date, group_by_month: bool):
    agg, tag = InsightCriterionMonth, InsightCriterionFinding
    graded, good = _basis(agg, f, "graded"), _basis(agg, f, "good")
    groups = [tag.finding, agg.month] if group_by_month else [tag.finding]
    query = (
        select(*groups, func.sum(graded), func.sum(good))
        .join(
            tag,
            (tag.template_key == agg.template_key)
            & (tag.template_version == agg.template_version)
            & (tag.criterion_key == agg.criterion_key),
        )
        .group_by(*groups)
        .having(func.sum(graded) > 0)
    )
    return session.execute(apply_filter(query, agg, f, start=start)).all()


@dataclass(frozen=True)
class FindingCriterion:
    template_key: str
    template_title: str
    section: str
    lineage_key: str
    question: str
    period: Share
    latest: Share


@dataclass(frozen=True)
class FindingDetail:
    finding: str
    text: str
    criteria: list[FindingCriterion]


def finding_detail(session: Session, f: InsightFilter, finding: str) -> FindingDetail | None:
    """Return the criteria tagged with a finding and each one's figures, or None when no
    template names the finding."""
    labels = labels_for(session)
    if finding not in labels.findings:
        return None
    agg, tag = InsightCriterionMonth, InsightCriterionFinding
    graded, good = _basis(agg, f, "graded"), _basis(agg, f, "good")
    rows = session.execute(
        apply_filter(
            select(agg.template_key, agg.lineage_key, agg.month, func.sum(graded), func.sum(good))
            .join(
                tag,
                (tag.template_key == agg.template_key)
                & (tag.template_version == agg.template_version)
                & (tag.criterion_key == agg.criterion_key),
            )
            .where(tag.finding == finding)
            .group_by(agg.template_key, agg.lineage_key, agg.month),
            agg,
            f,
        )
    ).all()
    grouped: dict[tuple[str, str], dict[date, tuple[int, int]]] = defaultdict(dict)
    for key, lineage, month, total, count in rows:
        grouped[(key, lineage)][month] = (count, total)
    for key, lineage in labels.criteria_with_finding(finding):
        grouped.setdefault((key, lineage), {})
    criteria = []
    for (key, lineage), by_month in grouped.items():
        place = labels.criterion(key, lineage)
        count = sum(c for c, _ in by_month.values())
        total = sum(t for _, t in by_month.values())
        criteria.append(
            FindingCriterion(
                template_key=key,
                template_title=labels.template_title(key),
                section=place.section,
                lineage_key=lineage,
                question=place.question,
                period=Share(count, total, total, f.suppress_below),
                latest=_share(by_month.get(f.end), f),
            )
        )
    criteria.sort(key=lambda c: labels.criterion(c.template_key, c.lineage_key).order)
    return FindingDetail(finding, labels.finding(finding), criteria)
