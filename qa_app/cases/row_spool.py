"""A temporary file of checked case rows, written in batches and read back batch by batch.

Checking a case list must finish before anything is written (all or nothing), but holding every
row in memory would make memory grow with the file. Checked rows go to a temporary file in
compact form instead, so writing them needs neither the memory nor a second parse of the file.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from datetime import date
from types import TracebackType

from qa_app.cases.case_list import CaseRow

BATCH_ROWS = 5000
_LENGTH_BYTES = 8


class RowSpool:
    """Checked rows on disk. Use as a context manager; the file is deleted on exit."""

    def __init__(self, batch_rows: int = BATCH_ROWS) -> None:
        self.batch_rows = batch_rows
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.buffer: list[tuple] = []
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
        # marshal is fast and compact but knows no dates: store them as day numbers.
        self.buffer.append(
            (
                row.row,
                row.reference,
                row.team,
                row.case_type,
                row.allocated_worker,
                row.opened_on.toordinal() if row.opened_on else None,
                row.closed_on.toordinal() if row.closed_on else None,
                row.age_band,
            )
        )
        self.count += 1
        if len(self.buffer) >= self.batch_rows:
            self._flush()

    def batches(self) -> Iterator[list[CaseRow]]:
        """Yield the rows in the order they were added, a batch at a time."""
        self._flush()
        self.file.seek(0)
        while header := self.file.read(_LENGTH_BYTES):
            stored = marshal.loads(self.file.read(int.from_bytes(header, "little")))
            yield [
                CaseRow(
                    number,
                    reference,
                    team,
                    case_type,
                    worker,
                    date.fromordinal(opened) if opened else None,
                    date.fromordinal(closed) if closed else None,
                    age_band,
                )
                for number, reference, team, case_type, worker, opened, closed, age_band in stored
            ]

    def _flush(self) -> None:
        if self.buffer:
            # Each batch is its length then its bytes: one read per batch when reading back.
            data = marshal.dumps(self.buffer)
            self.file.seek(0, 2)
            self.file.write(len(data).to_bytes(_LENGTH_BYTES, "little"))
            self.file.write(data)
            self.buffer = []
