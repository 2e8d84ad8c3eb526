"""The figures dashboards show, as plain data with small-number suppression built in (no Flask).

A share (for example 12 of 20 answers good or better) is suppressed when it stands on fewer
audits than the viewer's threshold: it then has no percentage, and says "fewer than 5" instead,
wherever it is shown (chart, table, JSON, workbook).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property


@dataclass(frozen=True)
class Share:
    """``count`` of ``total``; ``audits`` is how many audits the figure stands on."""

    count: int
    total: int
    audits: int
    suppress_below: int = 0

    # A heat map shows a thousand shares, each read several times: work each figure out once.
    @cached_property
    def suppressed(self) -> bool:
        return 0 < self.audits < self.suppress_below

    @cached_property
    def percent(self) -> float | None:
        """Return the share as a percentage (0 to 100), or None when suppressed or empty."""
        if self.suppressed or not self.total:
            return None
        return 100 * self.count / self.total

    @cached_property
    def text(self) -> str:
        """Return the share for people to read: "67%", "fewer than 5" or "No data"."""
        if self.suppressed:
            return f"fewer than {self.suppress_below}"
        if not self.total:
            return "No data"
        return f"{round(self.percent or 0)}%"

    def as_json(self) -> dict[str, object]:
        if self.suppressed:
            return {"suppressed": True, "percent": None, "count": None, "total": None}
        return {
            "suppressed": False,
            "percent": None if self.percent is None else round(self.percent, 1),
            "count": self.count,
            "total": self.total,
        }


def count_text(count: int, suppress_below: int) -> str:
    """Return a count for people to read, or "fewer than N" when it must be suppressed."""
    return f"fewer than {suppress_below}" if 0 < count < suppress_below else str(count)


def shown_count(count: int, suppress_below: int) -> int | None:
    """Return the count, or None when it must be suppressed (for JSON and charts)."""
    return None if 0 < count < suppress_below else count


def month_label(month: date) -> str:
    """Return a month as people read it, e.g. "November 2026"."""
    return f"{month:%B %Y}"


def short_month(month: date) -> str:
    """Return a month for chart axes, e.g. "Nov 2026"."""
    return f"{month:%b %Y}"


def change_text(now: Share, before: Share, *, unit: str = "points") -> str | None:
    """Return the change between two shares in percentage points, e.g. "up 6 points", or None
    when either is suppressed or empty."""
    if now.percent is None or before.percent is None:
        return None
    difference = round(now.percent - before.percent)
    if difference == 0:
        return "no change"
    return f"{'up' if difference > 0 else 'down'} {abs(difference)} {unit}"
