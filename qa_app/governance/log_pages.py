"""The shape the access log and event log pages share: a GET filter form, one page of the
matching rows with their count, page links that keep the filters, and a CSV of every match
whose download is itself logged."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Response, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.extensions import db
from qa_app.governance.csv_download import csv_response, streamed_rows
from qa_app.governance.presentation import error_summary, page_count

PAGE_SIZE = 50
Chosen = TypeVar("Chosen")


@dataclass(frozen=True)
class LogQueries(Generic[Chosen]):
    """How one log is read, given the filter chosen."""

    # () -> the filter form, and the filter chosen (None when the form has errors).
    read_filter: Callable[[], tuple[FlaskForm, Chosen | None]]
    count: Callable[[Session, Chosen], int]
    # (session, chosen, limit=, offset=, oldest_first=) -> rows, newest first unless asked
    page_rows: Callable[..., list]
    all_rows: Callable[[Chosen], Select]  # every match, for the CSV
    filter_keys: Sequence[str]  # the query-string names of the filters


def filter_query(keys: Sequence[str]) -> dict[str, str]:
    """Return the filters in the request's query string that have a value."""
    return {key: request.args[key] for key in keys if request.args.get(key)}


def log_page_context(log: LogQueries, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """Return what a log page's template needs: the form and its errors, one page of rows, the
    total, the page number and count, and the filters for the page links."""
    form, chosen = log.read_filter()
    page = max(request.args.get("page", 1, type=int), 1)
    total = log.count(db.session, chosen) if chosen else 0
    rows = _page_rows(log, chosen, total, (page - 1) * page_size, page_size) if chosen else []
    return {
        "form": form,
        "errors": error_summary(form),
        "rows": rows,
        "total": total,
        "page": page,
        "pages": page_count(total, page_size),
        "query": filter_query(log.filter_keys),
    }


def _page_rows(log: LogQueries, chosen: Any, total: int, offset: int, size: int) -> list:
    """Return the page's rows, newest first. Past the middle of the list the page is read from
    the other end, oldest first, and turned round, so no OFFSET exceeds half the list (an
    OFFSET is read through, row by row: the last page of a million rows cost a second)."""
    if offset < total and offset > total // 2:
        limit = min(size, total - offset)
        rows = log.page_rows(
            db.session, chosen, limit=limit, offset=total - offset - limit, oldest_first=True
        )
        return list(reversed(rows))
    return log.page_rows(db.session, chosen, limit=size, offset=offset)


def log_csv(
    log: LogQueries,
    event: str,
    filename: str,
    headings: Sequence[str],
    cells: Callable[[Any], Iterable[Any]],
    show_page: Callable[[], Any],
) -> Response | Any:
    """Return every match as a CSV download, after logging the download (which filters, not
    their values); with a filter that has errors, return ``show_page()`` instead."""
    _form, chosen = log.read_filter()
    if chosen is None:
        return show_page()
    record_event(db.session, event, current_user, filters=sorted(filter_query(log.filter_keys)))
    db.session.commit()
    rows = streamed_rows(log.all_rows(chosen))
    return csv_response(filename, list(headings), (cells(row) for row in rows))
