"""Shaping the case list pages: page links and sizes."""

from __future__ import annotations

from qa_app.cases.presentation import case_type_columns, size_text
from qa_app.cases.queries import TeamCaseCounts
from qa_app.pagination import page_numbers


def test_page_links_show_the_ends_and_the_pages_near_the_current_one():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 5) == [1, 2, 3, 4, 5]
    assert page_numbers(50, 4000) == [1, None, 48, 49, 50, 51, 52, None, 4000]
    assert page_numbers(4000, 4000) == [1, None, 3998, 3999, 4000]


def test_sizes_are_shown_in_megabytes_or_kilobytes():
    assert size_text(64 * 1024 * 1024) == "64 MB"
    assert size_text(256 * 1024) == "256 KB"


def test_count_columns_follow_the_case_type_order_with_unrecorded_types_last():
    counts = [
        TeamCaseCounts("Team A (synthetic)", {"lado": 1, "": 2, "early_help": 3}, 6),
        TeamCaseCounts("Team B (synthetic)", {"child_in_need": 1}, 1),
    ]
    assert [c.heading for c in case_type_columns(counts)] == [
        "Early help",
        "Child in need",
        "LADO",
        "Not recorded",
    ]
