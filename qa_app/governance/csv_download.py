"""Streaming a log as a formula-safe CSV file, a thousand rows at a time."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from flask import Response, stream_with_context
from sqlalchemy import Select

from qa_app.exports.safe_cells import csv_writer, write_csv_row
from qa_app.extensions import db

BATCH = 1000


def streamed_rows(query: Select) -> Iterator[Any]:
    """Yield the query's rows a batch at a time. The query runs when the first row is asked
    for, while the response streams, after every after-request hook has committed."""
    yield from db.session.execute(query.execution_options(yield_per=BATCH))


def csv_lines(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Yield the CSV text of the headings and rows, every field quoted and formula-safe."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    write_csv_row(writer, headings)
    for count, row in enumerate(rows, start=1):
        write_csv_row(writer, row)
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """Return a streamed CSV download (UTF-8 with a byte order mark, so Excel reads accents)."""

    def body() -> Iterator[str]:
        yield "\ufeff"
        yield from csv_lines(headings, rows)

    return Response(
        stream_with_context(body()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
