"""COPY text for PostgreSQL: each value as the server reads it back, escapes and NULLs included."""

from __future__ import annotations

from datetime import UTC, date, datetime

from qa_app.cases import copy_text
from qa_app.cases.copy_text import CopyText, copy_field


def test_values_become_copy_fields_the_server_reads_back_unchanged():
    assert copy_field(None) == "\\N"
    assert copy_field(12) == "12"
    assert copy_field(date(2026, 3, 3)) == "2026-03-03"
    assert copy_field(datetime(2026, 3, 3, 9, 30, tzinfo=UTC)) == "2026-03-03 09:30:00+00:00"
    assert copy_field("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"


def test_rows_become_one_line_each_with_their_columns_in_order():
    rows = [("SYN-1", 3, None, date(2026, 1, 2)), ("SYN-2", 4, "Worker", None)]
    text = CopyText(unique_columns=[0]).format(rows)
    assert text == "SYN-1\t3\t\\N\t2026-01-02\nSYN-2\t4\tWorker\t\\N\n"


def test_a_unique_column_is_escaped_when_any_of_its_values_needs_it():
    rows = [("SYN-1", "x"), ("SYN\\2", "y\\z")]
    assert CopyText(unique_columns=[0]).format(rows) == "SYN-1\tx\nSYN\\\\2\ty\\\\z\n"


def test_no_rows_make_no_text():
    assert CopyText().format([]) == ""


def test_remembered_values_are_dropped_at_the_limit_and_still_formatted(monkeypatch):
    monkeypatch.setattr(copy_text, "CACHE_LIMIT", 3)
    formatter = CopyText()
    rows = [(f"Worker {n}",) for n in range(10)]
    assert formatter.format(rows) == "".join(f"Worker {n}\n" for n in range(10))
    assert len(formatter.columns[0]) <= 3
    assert formatter.format(rows[:2]) == "Worker 0\nWorker 1\n"


def test_a_unique_column_of_ids_becomes_their_digits():
    rows = [("Worker", 101), ("Worker", 102)]
    assert CopyText(unique_columns=[1]).format(rows) == "Worker\t101\nWorker\t102\n"
