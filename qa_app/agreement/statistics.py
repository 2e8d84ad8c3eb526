"""Agreement figures for pairs of ordinal grades: exact %, within one grade %, Cohen's weighted
kappa (linear and quadratic) with a 95% confidence interval, and the mean signed difference.

Everything works from a confusion table of counts (rows: the first rater, the auditor; columns:
the second rater, the moderator; both in the scale's order), so the database can aggregate the
pairs with ``GROUP BY`` and only the k x k table reaches Python. Categories are positions
0..k-1 on the scale; N/A and unanswered grades never enter the table (the caller leaves them out).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Weighting = Literal["linear", "quadratic"]

# The 97.5th percentile of the standard normal distribution: a two-sided 95% interval.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class ConfusionTable:
    """Counts of (first rater's category, second rater's category), k x k."""

    counts: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        return len(self.counts)

    @property
    def pairs(self) -> int:
        return sum(sum(row) for row in self.counts)

    @classmethod
    def empty(cls, size: int) -> ConfusionTable:
        return cls(tuple(tuple(0 for _ in range(size)) for _ in range(size)))

    @classmethod
    def from_cells(cls, size: int, cells: Iterable[tuple[int, int, int]]) -> ConfusionTable:
        """Return the table holding (row, column, count) cells; repeated cells add up."""
        grid = [[0] * size for _ in range(size)]
        for row, column, count in cells:
            grid[row][column] += count
        return cls(tuple(tuple(r) for r in grid))

    def added_to(self, other: ConfusionTable) -> ConfusionTable:
        """Return the cell-by-cell sum of two tables of the same size."""
        return ConfusionTable(
            tuple(
                tuple(a + b for a, b in zip(mine, theirs, strict=True))
                for mine, theirs in zip(self.counts, other.counts, strict=True)
            )
        )


def table_from_pairs(pairs: Iterable[tuple[int, int]], size: int) -> ConfusionTable:
    """Return the confusion table of (first, second) category pairs on a scale of ``size``."""
    return ConfusionTable.from_cells(size, ((a, b, 1) for a, b in pairs))


@dataclass(frozen=True)
class KappaEstimate:
    """A weighted kappa and its 95% confidence interval (None when kappa is undefined)."""

    kappa: float | None
    standard_error: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class AgreementFigures:
    pairs: int
    exact_percent: float | None
    within_one_percent: float | None
    linear: KappaEstimate
    quadratic: KappaEstimate
    # Mean of (second rater's position - first rater's position), in grade steps. With the scale
    # listed best first, a positive figure means the first rater (the auditor) graded better.
    mean_signed_difference: float | None


def agreement_weights(size: int, weighting: Weighting) -> list[list[float]]:
    """Return Cohen's agreement weights: 1 on the diagonal, falling to 0 at the far corners.

    linear: w_ij = 1 - |i - j| / (k - 1); quadratic: w_ij = 1 - (i - j)^2 / (k - 1)^2.
    """
    if size < 2:
        return [[1.0] * size for _ in range(size)]
    span = size - 1
    if weighting == "linear":
        return [[1 - abs(i - j) / span for j in range(size)] for i in range(size)]
    return [[1 - (i - j) ** 2 / span**2 for j in range(size)] for i in range(size)]


def weighted_kappa(table: ConfusionTable, weighting: Weighting) -> KappaEstimate:
    """Return Cohen's weighted kappa of the table, with its large-sample 95% interval.

    With p_ij the cell proportions, p_i. and p_.j the margins and w_ij the agreement weights
    (``agreement_weights``), following Cohen (1968), "Weighted kappa: nominal scale agreement
    with provision for scaled disagreement or partial credit", Psychological Bulletin 70(4):

        p_o = sum w_ij p_ij,   p_e = sum w_ij p_i. p_.j,   kappa_w = (p_o - p_e) / (1 - p_e)

    The standard error is the large-sample (non-null) one of Fleiss, Cohen and Everitt (1969),
    "Large sample standard errors of kappa and weighted kappa", Psychological Bulletin 72(5),
    also Fleiss, Levin and Paik, Statistical Methods for Rates and Proportions (3rd ed., 2003),
    section 18.1:

        w_i. = sum_j p_.j w_ij,   w_.j = sum_i p_i. w_ij
        var = [sum p_ij (w_ij - (w_i. + w_.j)(1 - kappa_w))^2 - (kappa_w - p_e (1 - kappa_w))^2]
              / (n (1 - p_e)^2)

    and the interval is kappa_w +/- 1.96 SE. Kappa is undefined (all None) when there are no
    pairs or when chance agreement is already perfect (p_e = 1: both raters used one grade).
    """
    n = table.pairs
    size = table.size
    if n == 0 or size == 0:
        return KappaEstimate(None, None, None, None)
    weights = agreement_weights(size, weighting)
    p = [[cell / n for cell in row] for row in table.counts]
    rows = [sum(row) for row in p]
    columns = [sum(p[i][j] for i in range(size)) for j in range(size)]
    observed = sum(weights[i][j] * p[i][j] for i in range(size) for j in range(size))
    expected = sum(weights[i][j] * rows[i] * columns[j] for i in range(size) for j in range(size))
    if math.isclose(expected, 1.0, abs_tol=1e-12):
        return KappaEstimate(None, None, None, None)
    kappa = (observed - expected) / (1 - expected)
    row_means = [sum(columns[j] * weights[i][j] for j in range(size)) for i in range(size)]
    column_means = [sum(rows[i] * weights[i][j] for i in range(size)) for j in range(size)]
    spread = sum(
        p[i][j] * (weights[i][j] - (row_means[i] + column_means[j]) * (1 - kappa)) ** 2
        for i in range(size)
        for j in range(size)
    )
    variance = (spread - (kappa - expected * (1 - kappa)) ** 2) / (n * (1 - expected) ** 2)
    # Rounding leaves a tiny positive or negative variance where the true one is 0.
    error = math.sqrt(variance) if variance > 1e-12 else 0.0
    return KappaEstimate(kappa, error, kappa - Z_95 * error, kappa + Z_95 * error)


def agreement_figures(table: ConfusionTable) -> AgreementFigures:
    """Return every agreement figure of the table (percentages 0-100; None without pairs)."""
    n = table.pairs
    size = table.size
    if n == 0:
        empty = KappaEstimate(None, None, None, None)
        return AgreementFigures(0, None, None, empty, empty, None)
    cells = [(i, j, table.counts[i][j]) for i in range(size) for j in range(size)]
    exact = sum(count for i, j, count in cells if i == j)
    within_one = sum(count for i, j, count in cells if abs(i - j) <= 1)
    signed = sum((j - i) * count for i, j, count in cells)
    return AgreementFigures(
        pairs=n,
        exact_percent=100 * exact / n,
        within_one_percent=100 * within_one / n,
        linear=weighted_kappa(table, "linear"),
        quadratic=weighted_kappa(table, "quadratic"),
        mean_signed_difference=signed / n,
    )


def positions(options: Sequence[str]) -> dict[str, int]:
    """Return each option value's position on a scale listed in order (first is 0)."""
    return {value: index for index, value in enumerate(options)}
