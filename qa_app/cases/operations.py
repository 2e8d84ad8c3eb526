"""Importing a case list: check the whole file, then create and update cases in batches.

All or nothing: if any row has a problem, nothing is written. Everything happens in the caller's
transaction; the caller commits (or rolls back). Views and the command line both call
:func:`import_case_list`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import BinaryIO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.cases.case_check import MAX_ROWS, check_case_file
from qa_app.cases.case_files import CaseFileError, open_case_file
from qa_app.cases.case_list import RowProblem, TeamNames
from qa_app.cases.case_writer import case_writer
from qa_app.cases.row_spool import RowSpool
from qa_app.models import Team, User

IMPORT_EVENT = "cases_imported"


@dataclass(frozen=True)
class CaseImportResult:
    """What an import did, or why it did nothing (``file_problems`` and ``row_problems``)."""

    filename: str
    file_problems: list[str] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: list[str] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    event_id: int | None = None

    @property
    def imported(self) -> bool:
        """Return True when the file was imported (no problems were found)."""
        return not self.file_problems and not self.row_problems


@contextmanager
def _collector_paused() -> Iterator[None]:
    # The import makes a few hundred thousand short-lived lists and tuples (rows, cells, columns)
    # and none of them form cycles, yet each few hundred trigger Python's cycle collector, whose
    # full passes walk every object the app holds: over a quarter of a 100,000-row import's time.
    # Nothing is lost by pausing it: reference counting frees all of them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def import_case_list(
    session: Session,
    stream: BinaryIO,
    filename: str,
    actor: User | None,
    *,
    create_teams: bool = False,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int, int | None, str], None] | None = None,
) -> CaseImportResult:
    """Check the case list in ``stream`` and, if every row is good, create or update its cases.

    Cases are matched by reference; a matched case takes the file's team, type, worker, dates
    and age band. Teams the file names must exist unless ``create_teams`` is set. Returns the
    counts, or the problems found (and then nothing was changed). Writes a ``cases_imported``
    event. ``stream`` must be a seekable binary file. ``progress`` (a background job's) is told
    how many rows have been checked, and when the cases are being written.
    """
    try:
        case_file = open_case_file(stream, filename, sheet)
    except CaseFileError as error:
        return CaseImportResult(filename, file_problems=[str(error)])
    if progress is not None:
        case_file = _ReportingCaseFile(case_file, progress)
    try:
        teams = TeamNames(
            list(session.scalars(select(Team.name).where(Team.retired_at.is_(None)))),
            create=create_teams,
            retired=list(session.scalars(select(Team.name).where(Team.retired_at.is_not(None)))),
        )
        # Checked first and written after, through a spool of checked rows on disk (about 6% of
        # a 100,000-row import's time): writing while checking would hold SQLite's one write
        # lock for the whole check, so every other write (each audit viewed logs one) and the
        # job's progress reports would wait for the check as well as for the writing.
        with RowSpool() as spool:
            check = check_case_file(case_file, teams, spool, max_rows=max_rows)
            if not check.ok:
                return CaseImportResult(
                    filename,
                    check.file_problems,
                    check.row_problems,
                    check.rows,
                    ignored_columns=check.ignored_columns,
                )
            if progress is not None:
                # The last report before the single write transaction: SQLite has one writer.
                progress(check.rows, check.rows, f"Writing {check.rows:,} cases")
            team_ids = _create_teams_and_map_ids(session, check.new_teams)
            created, updated, unchanged = _write_cases(session, spool, team_ids)
    finally:
        case_file.close()
    event = record_event(
        session,
        IMPORT_EVENT,
        actor,
        file=filename,
        source=case_file.description,
        rows=check.rows,
        created=created,
        updated=updated,
        unchanged=unchanged,
        teams_created=check.new_teams,
        ignored_columns=list(check.ignored_columns),
    )
    session.flush()
    return CaseImportResult(
        filename,
        rows=check.rows,
        created=created,
        updated=updated,
        unchanged=unchanged,
        teams_created=check.new_teams,
        ignored_columns=check.ignored_columns,
        event_id=event.id,
    )


def _create_teams_and_map_ids(session: Session, new_teams: list[str]) -> dict[str, int]:
    """Create the new teams; return every team's id by name."""
    if new_teams:
        now = utcnow()
        session.execute(
            insert(Team),
            [{"name": name, "created_at": now, "updated_at": now} for name in new_teams],
        )
    return {name: team_id for name, team_id in session.execute(select(Team.name, Team.id))}


def _write_cases(
    session: Session, spool: RowSpool, team_ids: dict[str, int]
) -> tuple[int, int, int]:
    """Insert new cases and update changed ones, a batch at a time; return the three counts."""
    # The session's own connection, so the cases are written in its transaction.
    writer = case_writer(session.connection())
    now = writer.timestamp_param(utcnow())
    created = updated = unchanged = 0
    for batch in spool.batches():
        # Rows to insert, built column by column in C: reference, the updated columns, times.
        rows = list(
            zip(
                batch.references,
                map(team_ids.__getitem__, batch.teams),
                batch.case_types,
                batch.workers,
                map(writer.date_param, batch.opened),
                map(writer.date_param, batch.closed),
                batch.age_bands,
                repeat(now),
                repeat(now),
                strict=False,  # the timestamps repeat; the columns are a batch's, all as long
            )
        )
        existing = writer.existing(batch.references)
        if not existing:
            writer.insert(rows)
            created += len(rows)
            continue
        inserts: list[tuple] = []
        updates: list[tuple] = []
        for row in rows:
            current = existing.get(row[0])
            if current is None:
                inserts.append(row)
            elif current[1:] != row[1:7]:
                updates.append((*row[1:7], now, current[0]))
            else:
                unchanged += 1
        if inserts:
            writer.insert(inserts)
        if updates:
            writer.update(updates)
        created += len(inserts)
        updated += len(updates)
    writer.finish(created)
    return created, updated, unchanged


class _ReportingCaseFile:
    """A case file that reports how many rows have been read as they are read."""

    def __init__(self, case_file, progress: Callable[[int, int | None, str], None]) -> None:
        self._case_file = case_file
        self._progress = progress
        self.text_only = case_file.text_only

    @property
    def description(self) -> str:
        return self._case_file.description

    def rows(self) -> Iterator[Sequence[object]]:
        return self._case_file.rows()

    def batches(self, size: int) -> Iterator[list[Sequence[object]]]:
        # The checks read a batch at a time: a report per batch (5,000 rows) costs nothing.
        read = 0
        for batch in self._case_file.batches(size):
            if read:
                self._progress(read, None, f"Checking the file: {read:,} rows checked")
            yield batch
            read += len(batch)

    def close(self) -> None:
        self._case_file.close()
