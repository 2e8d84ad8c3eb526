"""What a pack covers: the filters chosen on the download page or the command line.

Plain data, turned into job parameters and back, so a pack built by a background job covers
exactly what was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from qa_app.template_format.scales import BUILT_IN_SCALES

# Overall judgements are on the Ofsted scale in every template: best first.
OVERALL_SCALE = BUILT_IN_SCALES["ofsted"]
GOOD_OR_BETTER = ("outstanding", "good")
INADEQUATE = "inadequate"


@dataclass(frozen=True)
class PackFilters:
    """The audits a pack counts: submitted in the period, of these teams, templates and rounds
    (empty means all the user may see), and whether it is case-level (with its purpose)."""

    period_start: date | None = None
    period_end: date | None = None
    team_ids: tuple[int, ...] = ()
    template_keys: tuple[str, ...] = ()
    round_ids: tuple[int, ...] = ()
    case_level: bool = False
    purpose: str | None = None
    with_data: bool = True

    def to_params(self) -> dict[str, Any]:
        """Return the filters as JSON-ready values (for a job's parameters and the event log)."""
        return {
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "team_ids": list(self.team_ids),
            "template_keys": list(self.template_keys),
            "round_ids": list(self.round_ids),
            "case_level": self.case_level,
            "purpose": self.purpose,
            "with_data": self.with_data,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> PackFilters:
        """Return the filters stored by :meth:`to_params`."""

        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            period_start=day(params.get("period_start")),
            period_end=day(params.get("period_end")),
            team_ids=tuple(params.get("team_ids") or ()),
            template_keys=tuple(params.get("template_keys") or ()),
            round_ids=tuple(params.get("round_ids") or ()),
            case_level=bool(params.get("case_level")),
            purpose=params.get("purpose"),
            with_data=params.get("with_data", True),
        )

    def previous_period(self) -> PackFilters | None:
        """Return the same filters over the period of the same length just before, or None
        when no whole period was chosen."""
        if self.period_start is None or self.period_end is None:
            return None
        length = (self.period_end - self.period_start).days + 1
        end = self.period_start - timedelta(days=1)
        return replace(self, period_start=end - timedelta(days=length - 1), period_end=end)
