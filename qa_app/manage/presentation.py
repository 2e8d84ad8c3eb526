"""How the *All audits* list reads: the summary by final grade and the sort links."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.manage.audit_list import SORTS, ListCounts, ListOrder

NO_JUDGEMENT_LABEL = "Not yet given"


@dataclass(frozen=True)
class SummaryRow:
    label: str
    audits: int


def judgement_summary(counts: ListCounts, judgements: list[tuple[str, str]]) -> list[SummaryRow]:
    """Return the submitted audits by final overall judgement, best first as the scales order
    them, those without one last."""
    labels = dict(judgements)
    order = {value: n for n, (value, _) in enumerate(judgements)}
    ranked = sorted(
        counts.by_final_judgement.items(),
        key=lambda item: order.get(item[0] or "", len(order)),
    )
    return [
        SummaryRow(labels.get(value, value) if value else NO_JUDGEMENT_LABEL, audits)
        for value, audits in ranked
    ]


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    aria_sort: str  # "ascending", "descending" or "none", for the column header
    args: dict[str, object]  # the URL arguments of the link: the filters, this sort, page 1
    action: str  # what following the link does, for screen readers


def sort_columns(order: ListOrder, filter_args: dict[str, object]) -> dict[str, SortLink]:
    """Return each sortable column's header link: choosing the sorted column again reverses it."""
    links: dict[str, SortLink] = {}
    for key, column in SORTS.items():
        current = order.sort == key
        descending = not order.descending if current else column.descending_first
        links[key] = SortLink(
            key=key,
            label=column.label,
            aria_sort=("descending" if order.descending else "ascending") if current else "none",
            args={**filter_args, "sort": key, "order": "desc" if descending else "asc"},
            action=f"sort by {column.label.lower()} in "
            + ("descending" if descending else "ascending")
            + " order",
        )
    return links
