"""Turn dashboard figures into what pages show: charts, text summaries and JSON (no Flask)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from qa_app.insight import charts
from qa_app.insight.figures import Share, change_text, month_label, short_month
from qa_app.insight.filters import InsightFilter
from qa_app.insight.programme import FollowUp, ModerationAgreement, ProgrammeRow
from qa_app.insight.queries import FindingTrend, GradeProfile, HeatMap, MonthFigures, TeamFigures


def period_text(start: date, end: date) -> str:
    """Return a period of whole months, e.g. "December 2025 to November 2026"."""
    if start == end:
        return month_label(start)
    return f"{month_label(start)} to {month_label(end)}"


def profile_summary(profile: GradeProfile) -> str:
    """Return the grade profile in a sentence, e.g. "67% good or better ..., up from 61%"."""
    now, before = profile.current, profile.previous
    if now.audits == 0:
        return f"No audits were submitted in {period_text(now.start, now.end)}."
    if now.good.suppressed:
        return (
            f"Fewer than {now.good.suppress_below} audits in "
            f"{period_text(now.start, now.end)}: figures are not shown."
        )
    text = (
        f"{now.good.text} good or better in {period_text(now.start, now.end)} ({now.audits} audits)"
    )
    change = change_text(now.good, before.good)
    if change and before.good.percent is not None:
        text += f", {change} from {before.good.text} in {period_text(before.start, before.end)}"
    elif before.audits == 0:
        text += "; no audits in the period before to compare with"
    return text + f". {now.inadequate.text} inadequate."


def profile_chart(profile: GradeProfile) -> Markup:
    now, before = profile.current, profile.previous
    labels = [j.label for j in now.judgements] or ["No audits"]
    before_counts = {j.label: j.audits for j in before.judgements}

    def percent(count: int, figures) -> float | None:
        hidden = figures.good.suppressed or 0 < count < figures.good.suppress_below
        return None if hidden or not figures.audits else 100 * count / figures.audits

    return charts.percent_bars(
        "Audits by overall judgement (% of audits)",
        labels,
        [
            (period_text(now.start, now.end), [percent(j.audits, now) for j in now.judgements]),
            (
                period_text(before.start, before.end),
                [percent(before_counts.get(label, 0), before) for label in labels],
            ),
        ],
        profile_summary(profile),
        horizontal=True,
    )


def trend_summary(trend: list[MonthFigures]) -> str:
    shown = [m for m in trend if m.good.percent is not None]
    if not shown:
        return "No month in the period has figures to show."
    last = shown[-1]
    text = f"{last.good.text} good or better in {month_label(last.month)}"
    if len(shown) > 1:
        first = shown[0]
        change = change_text(last.good, first.good)
        text += f", {change} since {month_label(first.month)} ({first.good.text})"
    return text + "."


def trend_chart(trend: list[MonthFigures]) -> Markup:
    return charts.percent_lines(
        "Good or better and inadequate by month (% of audits)",
        [_month_axis(m.month, m.good) for m in trend],
        [
            ("Good or better", [m.good.percent for m in trend]),
            ("Inadequate", [m.inadequate.percent for m in trend]),
        ],
        trend_summary(trend),
    )


def _month_axis(month: date, share: Share) -> str:
    return (
        f"{short_month(month)} (fewer than {share.suppress_below})"
        if share.suppressed
        else short_month(month)
    )


def teams_summary(teams: list[TeamFigures]) -> str:
    shown = [t for t in teams if t.good.percent is not None]
    if not shown:
        return "No team has enough audits in the period to show its figures."
    best = max(shown, key=lambda t: t.good.percent or 0)
    worst = min(shown, key=lambda t: t.good.percent or 0)
    if best is worst:
        return f"{best.team}: {best.good.text} good or better."
    return (
        f"{best.team} has the highest share good or better ({best.good.text}); "
        f"{worst.team} the lowest ({worst.good.text})."
    )


def teams_chart(teams: list[TeamFigures]) -> Markup:
    return charts.percent_bars(
        "Good or better and inadequate by team (% of audits)",
        [
            t.team if not t.good.suppressed else f"{t.team} (fewer than {t.good.suppress_below})"
            for t in teams
        ],
        [
            ("Good or better", [t.good.percent for t in teams]),
            ("Inadequate", [t.inadequate.percent for t in teams]),
        ],
        teams_summary(teams),
        horizontal=True,
    )


def heat_summary(heat: HeatMap) -> str:
    rows = [r for r in heat.rows if r.overall.percent is not None]
    if not rows:
        return "No criterion has enough graded answers in the period to show."
    weakest = min(rows, key=lambda r: r.overall.percent or 0)
    return (
        f"Weakest criterion: “{weakest.question}” ({weakest.section}), "
        f"{weakest.overall.text} good or better."
    )


HEAT_BANDS = ((80, "5"), (60, "4"), (40, "3"), (20, "2"), (0, "1"))
HEAT_LEGEND = (
    ("5", "80% or more"),
    ("4", "60% to 79%"),
    ("3", "40% to 59%"),
    ("2", "20% to 39%"),
    ("1", "under 20%"),
    ("none", "no answers, or fewer than the threshold"),
)


def heat_band(share: Share) -> str:
    """Return the colour band of a heat map cell ("none" when it has no figure)."""
    if share.percent is None:
        return "none"
    for floor, band in HEAT_BANDS:
        if share.percent >= floor:
            return band
    return "1"


def finding_summary(trend: FindingTrend) -> str:
    if trend.latest.percent is None:
        return f"{trend.text}: no figure for the last month of the period."
    text = f"{trend.text}: {trend.latest.text} good or better in the last month"
    change = change_text(trend.latest, trend.year_earlier)
    if change:
        text += f", {change} on a year earlier ({trend.year_earlier.text})"
    return text + "."


def finding_chart(trend: FindingTrend) -> Markup:
    return charts.percent_lines(
        trend.text,
        [short_month(m) for m, _ in trend.months],
        [("Good or better", [s.percent for _, s in trend.months])],
        finding_summary(trend),
        small=True,
    )


def programme_summary(rows: list[ProgrammeRow]) -> str:
    audits = sum(r.audits for r in rows)
    if not audits:
        return "No audits were due in the period."
    return (
        f"{audits} audits due in the period: {sum(r.submitted for r in rows)} submitted, "
        f"{sum(r.overdue for r in rows)} overdue, {sum(r.moderated for r in rows)} moderated."
    )


def follow_up_summary(follow: FollowUp) -> str:
    hours = follow.median_response_hours
    response = (
        f"median response {format_hours(hours)}" if hours is not None else "none answered yet"
    )
    return (
        f"{follow.open} actions open, {follow.overdue} overdue, {follow.done} done. "
        f"{follow.concerns_raised} safeguarding concerns raised in the period ({response})."
    )


def format_hours(hours: float) -> str:
    if hours < 48:
        return f"{round(hours)} hours"
    return f"{round(hours / 24, 1):g} days"


def follow_up_chart(follow: FollowUp) -> Markup:
    return charts.count_bars(
        "Actions raised and done by month",
        [short_month(m.month) for m in follow.months],
        [("Raised", [m.raised for m in follow.months]), ("Done", [m.done for m in follow.months])],
        follow_up_summary(follow),
    )


def moderation_summary(agreement: ModerationAgreement) -> str:
    if agreement.moderated == 0:
        return "No audit of the period has been moderated yet."
    if agreement.suppressed:
        return "Too few moderated audits in the period to show agreement figures."
    figures = agreement.figures
    kappa = figures.quadratic.kappa
    return (
        f"{agreement.moderated} of {agreement.reported} audits moderated: moderators agreed "
        f"exactly with {round(figures.exact_percent or 0)}% of overall judgements and within "
        f"one grade with {round(figures.within_one_percent or 0)}%"
        + (f"; weighted kappa {kappa:.2f}." if kappa is not None else ".")
    )


# --- JSON ------------------------------------------------------------------------------------


def filter_json(f: InsightFilter) -> dict[str, object]:
    return {
        "from": f.start.isoformat()[:7],
        "to": f.end.isoformat()[:7],
        "team": f.team_id,
        "template": f.template_key,
        "version_from": f.version_from,
        "version_to": f.version_to,
        "round": f.round_id,
        "case_type": f.case_type,
        "grade": f.basis,
        "suppressed_below": f.suppress_below or None,
    }


def count_json(count: int, suppress_below: int) -> int | None:
    return None if 0 < count < suppress_below else count


def to_json(value: object, suppress_below: int) -> object:
    """Return figures as JSON-ready data: shares as {percent, count, total, suppressed}, dates
    as ISO strings, counts standing on too few audits as null."""
    if isinstance(value, Share):
        return value.as_json()
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item, suppress_below) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item, suppress_below) for key, item in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: _field_json(name, getattr(value, name), suppress_below)
            for name in value.__dataclass_fields__  # type: ignore[attr-defined]
        }
    return value


# Whole-number fields that count audits, answers, actions or concerns: hidden when too small.
COUNT_FIELDS = {
    "audits",
    "answers",
    "moderated",
    "reported",
    "overdue",
    "submitted",
    "raised",
    "done",
    "open",
    "concerns_raised",
    "concerns_open",
    "count",
    "total",
}


def _field_json(name: str, value: object, suppress_below: int) -> object:
    if name in COUNT_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return count_json(value, suppress_below)
    return to_json(value, suppress_below)
