"""The sampling rule an admin sets for a round, stored as JSON on the round.

A rule says how many cases to draw from each team (a fixed number, or a percentage of the team's
eligible cases), whether to spread each team's share across case types, and which cases to leave
out (audited recently, closed, or in teams not chosen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

PER_TEAM = "per_team"
PERCENT = "percent"
MODES = (PER_TEAM, PERCENT)

MAX_CASES_PER_TEAM = 1000
MAX_EXCLUDE_MONTHS = 120
# Seeds are stored in an INTEGER column, which PostgreSQL keeps in 32 bits.
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class RuleProblem:
    """A problem with a rule: the rule field it concerns and a message for the person who set it."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class SamplingRule:
    mode: str = PER_TEAM
    cases_per_team: int | None = None
    percent: float | None = None
    stratify_by_case_type: bool = False
    exclude_audited_within_months: int = 12
    exclude_closed: bool = True
    teams: list[int] | None = None  # None means every team

    def validate(self) -> list[RuleProblem]:
        """Return the problems that stop the rule being used (an empty list when it is sound)."""
        problems: list[RuleProblem] = []
        if self.mode == PER_TEAM:
            if self.cases_per_team is None:
                problems.append(RuleProblem("cases_per_team", "Enter the number of cases per team"))
            elif not 1 <= self.cases_per_team <= MAX_CASES_PER_TEAM:
                problems.append(
                    RuleProblem(
                        "cases_per_team",
                        f"Number of cases per team must be between 1 and {MAX_CASES_PER_TEAM:,}",
                    )
                )
        elif self.mode == PERCENT:
            if self.percent is None:
                problems.append(
                    RuleProblem("percent", "Enter the percentage of open cases per team")
                )
            elif not 0 < self.percent <= 100:
                problems.append(
                    RuleProblem("percent", "Percentage must be more than 0 and no more than 100")
                )
        else:
            problems.append(RuleProblem("mode", "Select how many cases to draw from each team"))
        if not 0 <= self.exclude_audited_within_months <= MAX_EXCLUDE_MONTHS:
            problems.append(
                RuleProblem(
                    "exclude_audited_within_months",
                    f"Months must be between 0 and {MAX_EXCLUDE_MONTHS}",
                )
            )
        if self.teams is not None and not self.teams:
            problems.append(RuleProblem("teams", "Select at least one team"))
        return problems

    def quota(self, eligible: int) -> int:
        """Return how many cases to draw from a team with this many eligible cases.

        A percentage is rounded up, and is at least 1 when the team has any eligible case. The
        quota may exceed what the team has: the draw then takes them all and reports a shortfall.
        """
        if self.mode == PER_TEAM:
            return self.cases_per_team or 0
        if eligible == 0 or not self.percent:
            return 0
        # Decimal keeps 10% of 30 at exactly 3 (binary floats make it 3.0000000000000004 -> 4).
        exact = Decimal(eligible) * Decimal(str(self.percent)) / 100
        return max(1, math.ceil(exact))

    def includes_team(self, team_id: int) -> bool:
        """Return True when the rule samples this team."""
        return self.teams is None or team_id in self.teams

    def describe(self) -> str:
        """Return the rule in a sentence, for pages and the command line."""
        if self.mode == PER_TEAM:
            count = self.cases_per_team or 0
            amount = f"{count} {'case' if count == 1 else 'cases'} per team"
        else:
            amount = f"{_number(self.percent or 0)}% of each team's eligible cases"
        parts = [amount]
        if self.stratify_by_case_type:
            parts.append("spread across case types")
        left_out = []
        if self.exclude_audited_within_months:
            months = self.exclude_audited_within_months
            left_out.append(
                f"cases audited in the last {months} {'month' if months == 1 else 'months'}"
            )
        if self.exclude_closed:
            left_out.append("closed cases")
        if left_out:
            parts.append("leaving out " + " and ".join(left_out))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as plain JSON-ready data."""
        return {
            "mode": self.mode,
            "cases_per_team": self.cases_per_team,
            "percent": self.percent,
            "stratify_by_case_type": self.stratify_by_case_type,
            "exclude_audited_within_months": self.exclude_audited_within_months,
            "exclude_closed": self.exclude_closed,
            "teams": sorted(self.teams) if self.teams is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SamplingRule:
        """Return the rule stored as ``data`` (missing keys take their defaults)."""
        teams = data.get("teams")
        return cls(
            mode=str(data.get("mode", PER_TEAM)),
            cases_per_team=_optional_int(data.get("cases_per_team")),
            percent=_optional_float(data.get("percent")),
            stratify_by_case_type=bool(data.get("stratify_by_case_type", False)),
            exclude_audited_within_months=int(data.get("exclude_audited_within_months", 12)),
            exclude_closed=bool(data.get("exclude_closed", True)),
            teams=[int(t) for t in teams] if teams is not None else None,
        )


def months_before(day: date, months: int) -> date:
    """Return the date ``months`` calendar months before ``day``.

    The day of the month is kept where it exists and otherwise falls back to the month's last day
    (31 March less one month is 28 or 29 February).
    """
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def parse_whole_number(text: str) -> int | None:
    """Return the whole number written in the text (commas allowed), or None."""
    cleaned = text.strip().replace(",", "")
    if not cleaned or not cleaned.lstrip("-").isdigit():
        return None
    return int(cleaned)


def parse_percent(text: str) -> float | None:
    """Return the number written in the text (a trailing % allowed), or None."""
    cleaned = text.strip().removesuffix("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() else None


def _number(value: float) -> str:
    return f"{value:g}"


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)
