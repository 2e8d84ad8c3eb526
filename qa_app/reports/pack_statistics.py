"""Agreement between auditors' and moderators' overall judgements, from a confusion table."""

from __future__ import annotations


def agreement_figures(
    confusion: list[list[int]],
) -> tuple[float | None, float | None, float | None]:
    """Return (exact agreement, agreement within one grade, linearly weighted kappa).

    ``confusion[i][j]`` counts audits the auditor graded i and the moderator j, on one ordered
    scale. Each figure is None when no audit was moderated (kappa also when it is undefined:
    every audit at one grade by both).
    """
    size = len(confusion)
    total = sum(sum(row) for row in confusion)
    if not total:
        return None, None, None
    exact = sum(confusion[i][i] for i in range(size)) / total
    within = sum(confusion[i][j] for i in range(size) for j in range(size) if abs(i - j) <= 1)
    rows = [sum(row) for row in confusion]
    columns = [sum(confusion[i][j] for i in range(size)) for j in range(size)]
    span = max(size - 1, 1)

    def weight(i: int, j: int) -> float:
        return abs(i - j) / span  # disagreement weight: 0 on the diagonal, 1 at opposite ends

    observed = sum(weight(i, j) * confusion[i][j] for i in range(size) for j in range(size))
    expected = sum(
        weight(i, j) * rows[i] * columns[j] / total for i in range(size) for j in range(size)
    )
    kappa = 1 - observed / expected if expected else None
    return exact, within / total, kappa
