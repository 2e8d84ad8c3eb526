"""The filters every dashboard panel, the JSON API and the leadership pack share (no Flask).

A filter is read from URL parameters, so a view can be bookmarked and shared, and written back
to them. Periods are whole calendar months, as councils report them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

PERIODS = {
    "3": "Last 3 whole months",
    "6": "Last 6 whole months",
    "12": "Last 12 whole months",
    "custom": "Dates (months)",
}
BASES = {"final": "Final grade (moderated where moderated)", "auditor": "Auditor's grade"}
DEFAULT_SUPPRESS_BELOW = 5


def add_months(month: date, count: int) -> date:
    """Return the first day of the month ``count`` months after ``month`` (before, if negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """Return the first day of every month from start to end, both included."""
    months, month = [], date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class InsightFilter:
    """What a dashboard counts: a period of whole months and optional narrowing.

    ``scope_team_ids`` is who may see what (None: every team); ``suppress_below`` hides figures
    standing on fewer audits than that (0: nothing hidden).
    """

    start: date  # first day of the first month
    end: date  # first day of the last month (included)
    period: str = "12"
    team_id: int | None = None
    template_key: str | None = None
    version_from: int | None = None
    version_to: int | None = None
    round_id: int | None = None
    case_type: str | None = None
    basis: str = "final"
    scope_team_ids: tuple[int, ...] | None = None
    suppress_below: int = 0
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    @property
    def end_exclusive(self) -> date:
        return add_months(self.end, 1)

    def previous(self) -> InsightFilter:
        """Return the same filter over the period of the same length just before this one."""
        length = len(self.months)
        return replace(self, start=add_months(self.start, -length), end=add_months(self.start, -1))

    def to_params(self) -> dict[str, str]:
        """Return the URL parameters that give this filter back (scope and suppression are the
        viewer's, not the link's, so they are left out)."""
        params: dict[str, str] = {"period": self.period}
        if self.period == "custom":
            params |= {
                "from-month": str(self.start.month),
                "from-year": str(self.start.year),
                "to-month": str(self.end.month),
                "to-year": str(self.end.year),
            }
        for name, value in (
            ("team", self.team_id),
            ("template", self.template_key),
            ("version-from", self.version_from),
            ("version-to", self.version_to),
            ("round", self.round_id),
            ("case-type", self.case_type),
        ):
            if value is not None:
                params[name] = str(value)
        if self.basis != "final":
            params["grade"] = self.basis
        return params


@dataclass(frozen=True)
class ParsedFilter:
    filter: InsightFilter
    errors: dict[str, str]  # field name -> message, in GOV.UK style
    values: dict[str, str]  # what was typed, to show again


def parse_filter(
    args: Mapping[str, str],
    today: date,
    *,
    scope_team_ids: tuple[int, ...] | None = None,
    suppress_below: int = 0,
) -> ParsedFilter:
    """Return the filter the URL parameters describe. Anything unreadable is reported and left
    out (the default applies), so a mistyped link still shows a dashboard."""
    errors: dict[str, str] = {}
    values = {key: str(value).strip() for key, value in args.items() if str(value).strip()}
    # Councils report whole months: "last 12 months" ends with the last complete month.
    this_month = add_months(date(today.year, today.month, 1), -1)
    period = values.get("period", "12")
    if period not in PERIODS:
        errors["period"] = "Select a period"
        period = "12"
    start, end = (
        add_months(this_month, -int(period) + 1) if period != "custom" else None,
        this_month,
    )
    if period == "custom":
        start = _month(values, "from", errors, "Enter the first month of the period")
        end_month = _month(values, "to", errors, "Enter the last month of the period")
        if start is None or end_month is None:
            period, start, end = "12", add_months(this_month, -11), this_month
        elif end_month < start:
            errors["to-month"] = "The last month must be the same as or after the first month"
            period, start, end = "12", add_months(this_month, -11), this_month
        elif len(months_between(start, end_month)) > 36:
            errors["to-month"] = "Choose a period of 36 months or fewer"
            period, start, end = "12", add_months(this_month, -11), this_month
        else:
            end = end_month
    assert start is not None
    basis = values.get("grade", "final")
    if basis not in BASES:
        errors["grade"] = "Select final grade or auditor's grade"
        basis = "final"
    numbers = {
        name: _number(values, name, errors, message)
        for name, message in (
            ("team", "Select a team"),
            ("round", "Select an audit round"),
            ("version-from", "Enter the first version as a whole number, like 1"),
            ("version-to", "Enter the last version as a whole number, like 2"),
        )
    }
    if (
        numbers["version-from"] is not None
        and numbers["version-to"] is not None
        and numbers["version-to"] < numbers["version-from"]
    ):
        errors["version-to"] = "The last version must be the same as or after the first version"
        numbers["version-to"] = None
    return ParsedFilter(
        InsightFilter(
            start=start,
            end=end,
            period=period,
            team_id=numbers["team"],
            template_key=values.get("template"),
            version_from=numbers["version-from"],
            version_to=numbers["version-to"],
            round_id=numbers["round"],
            case_type=values.get("case-type"),
            basis=basis,
            scope_team_ids=scope_team_ids,
            suppress_below=suppress_below,
        ),
        errors,
        values,
    )


def _number(values: dict[str, str], name: str, errors: dict[str, str], message: str) -> int | None:
    raw = values.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        errors[name] = message
        return None
    return int(raw)


def _month(values: dict[str, str], prefix: str, errors: dict[str, str], message: str):
    month, year = values.get(f"{prefix}-month", ""), values.get(f"{prefix}-year", "")
    if not month or not year:
        errors[f"{prefix}-month"] = message
        return None
    if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) == 4):
        errors[f"{prefix}-month"] = f"{message} as a real month and year, like 3 and 2026"
        return None
    return date(int(year), int(month), 1)
