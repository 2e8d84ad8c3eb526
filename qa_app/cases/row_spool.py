"""A temporary file of checked case rows, written in batches and read back batch by batch.

Checking a case list must finish before anything is written (all or nothing), but holding every
row in memory would make memory grow with the file. Checked rows go to a temporary file in
compact form instead, so writing them needs neither the memory nor a second parse of the file.
A batch is kept as columns (a list per field): that is how the checks produce it and how the
writer sends it, and marshal stores a few long lists far faster than many short tuples.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from types import TracebackType

from qa_app.cases.case_list import CaseRow

BATCH_ROWS = 5000
_LENGTH_BYTES = 8


@dataclass
class CaseBatch:
    """Checked rows as columns, in file order. Dates are day numbers (``date.toordinal``)."""

    rows: list[int]
    references: list[str]
    teams: list[str]
    case_types: list[str]
    workers: list[str | None]
    opened: list[int | None]
    closed: list[int | None]
    age_bands: list[str | None]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[CaseRow]:
        """Yield the batch's rows one at a time, as CaseRow."""
        for number, reference, team, case_type, worker, opened, closed, age_band in zip(
            self.rows,
            self.references,
            self.teams,
            self.case_types,
            self.workers,
            self.opened,
            self.closed,
            self.age_bands,
            strict=True,
        ):
            yield CaseRow(
                number,
                reference,
                team,
                case_type,
                worker,
                date.fromordinal(opened) if opened else None,
                date.fromordinal(closed) if closed else None,
                age_band,
            )

    @classmethod
    def of_rows(cls, rows: list[CaseRow]) -> CaseBatch:
        """Return the rows as a batch."""
        return cls(
            [r.row for r in rows],
            [r.reference for r in rows],
            [r.team for r in rows],
            [r.case_type for r in rows],
            [r.allocated_worker for r in rows],
            [r.opened_on.toordinal() if r.opened_on else None for r in rows],
            [r.closed_on.toordinal() if r.closed_on else None for r in rows],
            [r.age_band for r in rows],
        )


class RowSpool:
    """Checked rows on disk. Use as a context manager; the file is deleted on exit."""

    def __init__(self, batch_rows: int = BATCH_ROWS) -> None:
        self.batch_rows = batch_rows
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.buffer: list[CaseRow] = []
        self.count = 0

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.file.close()

    def append(self, row: CaseRow) -> None:
        """Add a checked row."""
        self.buffer.append(row)
        self.count += 1
        if len(self.buffer) >= self.batch_rows:
            self._flush()

    def append_batch(self, batch: CaseBatch) -> None:
        """Add a batch of checked rows, after any rows added one at a time."""
        self._flush()
        self._write(batch)
        self.count += len(batch)

    def batches(self) -> Iterator[CaseBatch]:
        """Yield the rows in the order they were added, a batch at a time."""
        self._flush()
        self.file.seek(0)
        while header := self.file.read(_LENGTH_BYTES):
            columns = marshal.loads(self.file.read(int.from_bytes(header, "little")))
            yield CaseBatch(*columns)

    def _flush(self) -> None:
        if self.buffer:
            self._write(CaseBatch.of_rows(self.buffer))
            self.buffer = []

    def _write(self, batch: CaseBatch) -> None:
        # marshal is fast and compact but knows no dates: the batch holds them as day numbers.
        # Each batch is its length then its bytes: one read per batch when reading back.
        data = marshal.dumps(
            (
                batch.rows,
                batch.references,
                batch.teams,
                batch.case_types,
                batch.workers,
                batch.opened,
                batch.closed,
                batch.age_bands,
            )
        )
        self.file.seek(0, 2)
        self.file.write(len(data).to_bytes(_LENGTH_BYTES, "little"))
        self.file.write(data)
