"""What the leadership pack shows, as plain rows: the builder lays these out, queries fill them.

No Flask and no database here, so the layout is tested on its own and the figures can come from
the web app, the command line or a background job alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

# Shown instead of a count below the small-number threshold in a de-identified pack.
SUPPRESSED = "Fewer than {threshold}"


@dataclass(frozen=True)
class PackScope:
    """What the pack covers and how it was made: printed on every sheet and on the cover."""

    title: str
    filters: list[tuple[str, str]]  # (what, chosen), e.g. ("Teams", "All teams you can see")
    data_as_at: datetime
    made_by: str
    case_level: bool
    template_versions: list[str]
    small_number: int  # counts below this are suppressed in a de-identified pack
    previous_period: str | None  # "1 February 2026 to 28 February 2026", when a period is set


@dataclass(frozen=True)
class Headline:
    audits: int
    good_or_better: int
    inadequate: int
    mean_score: float | None
    moderated: int
    agreed: int  # moderated audits whose overall judgement the moderator agreed with

    @property
    def good_or_better_share(self) -> float | None:
        return self.good_or_better / self.audits if self.audits else None

    @property
    def inadequate_share(self) -> float | None:
        return self.inadequate / self.audits if self.audits else None

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.moderated if self.moderated else None


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "2026-03"
    label: str  # "March 2026"
    audits: int
    good_or_better: int


@dataclass(frozen=True)
class GradeProfile:
    """Counts of audits (or answers) at each grade, best first; None for suppressed rows."""

    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class CriterionFigures:
    question: str
    trend_key: str
    template: str
    graded: int  # answers with a grade on the scale
    not_applicable: int
    counts: list[int]  # at each grade of the block's scale, best first
    mean_score: float | None


@dataclass(frozen=True)
class CriterionBlock:
    """The criteria graded on one scale, weakest first."""

    scale: str
    grades: list[str]
    criteria: list[CriterionFigures]


@dataclass(frozen=True)
class Finding:
    key: str
    label: str
    description: str


@dataclass(frozen=True)
class FindingsByMonth:
    findings: list[Finding]
    months: list[tuple[str, str]]  # (month key, label)
    # (month key, finding key) -> (graded answers, mean final score)
    figures: dict[tuple[str, str], tuple[int, float | None]]


@dataclass(frozen=True)
class ModerationFigures:
    grades: list[str]  # overall judgement labels, best first
    # confusion[i][j]: audits the auditor judged grades[i] and the moderator grades[j]
    confusion: list[list[int]]
    before: list[int]  # every reported audit at the auditor's grade
    after: list[int]  # the same audits at the final grade
    exact: float | None
    within_one: float | None
    weighted_kappa: float | None

    @property
    def moderated(self) -> int:
        return sum(sum(row) for row in self.confusion)


@dataclass(frozen=True)
class ActionFigures:
    name: str
    open: int
    overdue: int
    done: int


@dataclass(slots=True)  # not frozen: a frozen dataclass costs five times as much to make, and
class DataRow:  # a big pack makes 800,000
    """One answer (or an audit's overall judgement) on the Data sheet, labels not keys."""

    audit: int
    template: str
    version: int
    team: str
    case_type: str
    round: str
    month: str
    status: str
    section: str
    criterion: str
    trend_key: str
    findings: str
    state: str  # "Answered", "Not applicable", "Not asked", "Written answer"
    auditor_grade: str | None
    final_grade: str | None
    auditor_score: float | None
    final_score: float | None
    moderated: str  # "Yes" / "No"
    case_reference: str | None = None  # case-level packs only
    written_text: str | None = None  # case-level packs only


@dataclass
class PackContent:
    scope: PackScope
    headline: Headline
    previous: Headline | None
    grade_names: list[str]  # overall judgement labels, best first
    grade_profile: GradeProfile
    months: list[MonthFigures]
    teams: list[GradeProfile]
    criteria: list[CriterionBlock]
    findings: FindingsByMonth
    moderation: ModerationFigures
    actions_by_priority: list[ActionFigures]
    actions_by_scope: list[ActionFigures]
    good_grade_count: int = 2  # the first grades count as "good or better"
    data_rows: Iterable[DataRow] | None = None  # None: the pack has no Data sheet
    data_total: int = 0
    notes: list[str] = field(default_factory=list)
