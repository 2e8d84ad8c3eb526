"""Which page links a long list shows (no Flask here)."""

from __future__ import annotations


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Return the page links to show: first, last and those near the current page (None = gap)."""
    shown = sorted({1, pages, *range(max(page - around, 1), min(page + around, pages) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        previous = numbers[-1] if numbers else number
        if number - previous == 2:  # an ellipsis would hide a single page: show the page
            numbers.append(number - 1)
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers
