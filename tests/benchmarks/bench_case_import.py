"""Case list import: its time and memory, measured against merely reading the same file.

Synthetic case lists of 25,000 and 100,000 rows as CSV, and of 25,000 rows as Excel (.xlsx),
are made in a temporary folder. For each engine (SQLite, and PostgreSQL when its binaries are
present; ``BENCH_DATABASES`` limits them) each measured step runs in a fresh process, so its
peak memory (the process's maximum resident set size) is its own:

- parse: read every row with Python's csv module, or with openpyxl in read-only mode; the least
  any import must do;
- import: the full import (check every row, then create the cases) into a database with no
  cases, whose schema was built by the migrations;
- insert floor: the database's own cost of writing the same cases, nothing else: the rows just
  imported are read back as the driver returns them, deleted, and inserted again in one driver
  call (PostgreSQL ``COPY``; SQLite ``executemany`` of one row and of 100 rows a statement, the
  cheaper kept) then committed, into the same schema.
  ``ratio_to_floor`` is the import's time over it: how close the import comes to the engine;
- re-import: the 100,000-row CSV again into that database, first unchanged (every case matched,
  nothing written), then with every row's worker changed (every case updated).

Prints ``BENCH import db=<db> file=<csv|xlsx> rows=<n> parse_s=<n> import_s=<n> ratio=<n>
peak_mb=<n> growth_mb=<n> parse_cpu_s=<n> import_cpu_s=<n> cpu_ratio=<n> insert_floor_s=<n>
ratio_to_floor=<n> insert_floor_cpu_s=<n> cpu_ratio_to_floor=<n>`` (target for 100,000 CSV rows:
ratio under 3, growth flat) and ``BENCH import_again db=<db> rows=<n> unchanged_s=<n>
updated_s=<n>``, then ``BENCH import_floor db=<db> rows=<n> schema_s=<n> no_foreign_key_s=<n>
unique_reference_only_s=<n>``: the bare insert of those rows as the schema stands, without the
foreign key to teams, and also without the index on team and reference (where the floor is).
The CPU figures are this process's own (on PostgreSQL the server's work is not in them); on a
shared machine they move far less than the wall-clock ones.

"growth" is the peak memory minus the memory the process held before the step began (after its
imports), so it shows what the step itself needed: it should stay nearly flat as files grow.
Each step is run twice and the faster run reported.
Run with ``python -m tests.benchmarks bench_case_import``.
"""

from __future__ import annotations

import csv
import multiprocessing
import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from itertools import chain
from pathlib import Path

from tests.cases.case_files import HEADINGS

SIZES = (25_000, 100_000)
XLSX_SIZE = 25_000  # a workbook's import is mostly openpyxl reading it: one size shows that
# Each step is run this many times and the fastest kept: other work on the machine only slows.
REPEATS = 2
TEAMS = [f"Bench team {n} (synthetic)" for n in range(1, 13)]
CASE_TYPES = (
    "Child in need",
    "CP",
    "CiC",
    "Contact",
    "Early help",
    "Care leaver",
    "LADO",
    "Homeless 16-17",
)
AGE_BANDS = ("0-4", "5-9", "10-15", "16-17", "18+")


def synthetic_rows(count: int, worker_offset: int = 0):
    """Yield synthetic case rows (dates as date objects)."""
    start = date(2020, 1, 1)
    for n in range(count):
        opened = start + timedelta(days=n % 2000)
        yield (
            f"SYN-{n:07d}",
            TEAMS[n % len(TEAMS)],
            CASE_TYPES[n % len(CASE_TYPES)],
            f"Worker {(n + worker_offset) % 400} (synthetic)",
            opened,
            opened + timedelta(days=90) if n % 3 == 0 else None,
            AGE_BANDS[n % len(AGE_BANDS)],
        )


def write_csv(path: Path, count: int, worker_offset: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADINGS)
        for row in synthetic_rows(count, worker_offset):
            writer.writerow(
                [*row[:4], f"{row[4]:%d/%m/%Y}", f"{row[5]:%d/%m/%Y}" if row[5] else "", row[6]]
            )


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cases")
    sheet.append(HEADINGS)
    for row in synthetic_rows(count):
        sheet.append(row)  # real Excel date cells
    workbook.save(path)


# Each step runs in its own process and sends back (seconds, peak KB, KB before the step, note).


def _parse_csv(path: str) -> tuple[float, float, str]:
    started, cpu = time.perf_counter(), time.process_time()
    with open(path, newline="", encoding="utf-8-sig") as stream:
        rows = sum(1 for _ in csv.reader(stream))
    return time.perf_counter() - started, time.process_time() - cpu, f"{rows - 1:,} rows"


def _parse_xlsx(path: str) -> tuple[float, float, str]:
    from openpyxl import load_workbook

    started, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(path, read_only=True, data_only=False)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - started, time.process_time() - cpu, f"{rows - 1:,} rows"


def _app(url: str):
    from qa_app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})


def _import(path: str, url: str) -> tuple[float, float, str]:
    from qa_app.cases.operations import import_case_list
    from qa_app.extensions import db

    app = _app(url)
    with app.app_context():
        db.session.connection()  # connect before timing, as a running app would have
        started, cpu = time.perf_counter(), time.process_time()
        with open(path, "rb") as stream:
            result = import_case_list(db.session, stream, Path(path).name, None, create_teams=True)
        if not result.imported:
            raise RuntimeError(f"benchmark file refused: {result.file_problems[:3]}")
        db.session.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.engine.dispose()
    note = f"{result.created:,} created, {result.updated:,} updated, {result.unchanged:,} unchanged"
    return seconds, cpu, note


def _insert_floor(url: str) -> tuple[float, float, str]:
    """Time the database's own cost of the cases just imported: read them back as the driver
    gives them, delete them, then insert them again in one driver call and commit (PostgreSQL:
    ``COPY`` of text made beforehand; SQLite: ``executemany`` of one row a statement and of 100
    rows a statement, the cheaper kept). No import can write the rows for much less."""
    from qa_app.cases.case_writer import INSERTED_COLUMNS
    from qa_app.extensions import db

    columns = ", ".join(INSERTED_COLUMNS)
    app = _app(url)
    with app.app_context():
        connection = db.session.connection()
        driver = connection.connection.driver_connection
        cursor = driver.cursor()
        cursor.execute(f"SELECT {columns} FROM cases ORDER BY id")
        rows = cursor.fetchall()
        if db.engine.dialect.name == "postgresql":
            ways = {"COPY": _copy_rows(rows)}
        else:
            ways = {
                "one row a statement": _insert_rows(1),
                "100 rows a statement": _insert_rows(100),
            }
        runs = []
        for name, insert in ways.items():
            cursor.execute("DELETE FROM cases")
            driver.commit()
            started, cpu = time.perf_counter(), time.process_time()
            insert(cursor, rows)
            driver.commit()
            runs.append((time.perf_counter() - started, time.process_time() - cpu, name))
        cursor.close()
        db.session.rollback()
        db.engine.dispose()
    seconds, cpu, name = min(runs)
    return seconds, cpu, f"{len(rows):,} rows, {name}"


def _floor_parts(url: str) -> tuple[float, str]:
    """Time the bare insert of the cases in the database (as :func:`_insert_floor`, 100 rows a
    statement on SQLite) with the schema as migrated, then without the foreign key to teams,
    then also without the index on team and reference (leaving the primary key and the unique
    reference): where the engine's time goes. It changes the schema, so it runs last."""
    from qa_app.cases.case_writer import INSERTED_COLUMNS
    from qa_app.extensions import db

    app = _app(url)
    with app.app_context():
        driver = db.session.connection().connection.driver_connection
        cursor = driver.cursor()
        cursor.execute(f"SELECT {', '.join(INSERTED_COLUMNS)} FROM cases ORDER BY id")
        rows = cursor.fetchall()
        postgresql = db.engine.dialect.name == "postgresql"
        insert = _copy_rows(rows) if postgresql else _insert_rows(100)

        def fastest() -> float:
            runs = []
            for _ in range(REPEATS):
                cursor.execute("DELETE FROM cases")
                driver.commit()
                started = time.perf_counter()
                insert(cursor, rows)
                driver.commit()
                runs.append(time.perf_counter() - started)
            return min(runs)

        figures = {"schema_s": fastest()}
        if postgresql:
            cursor.execute(
                "SELECT conname FROM pg_constraint "
                "WHERE conrelid = 'cases'::regclass AND contype = 'f'"
            )
            for (constraint,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE cases DROP CONSTRAINT {constraint}")
        else:
            cursor.execute("PRAGMA foreign_keys=OFF")
        driver.commit()
        figures["no_foreign_key_s"] = fastest()
        cursor.execute("DROP INDEX ix_cases_team_id_reference")
        driver.commit()
        figures["unique_reference_only_s"] = fastest()
        cursor.close()
        db.session.rollback()
        db.engine.dispose()
    return figures["schema_s"], " ".join(f"{k}={v:.3f}" for k, v in figures.items())


def _copy_rows(rows: list[tuple]) -> Callable[[object, list[tuple]], None]:
    from qa_app.cases.case_writer import INSERTED_COLUMNS
    from qa_app.cases.copy_text import copy_field

    # The COPY text is made before the clock starts: only sending it and the server's work count.
    text = "".join("\t".join(map(copy_field, row)) + "\n" for row in rows)

    def copy_text(cursor, _rows: list[tuple]) -> None:
        with cursor.copy(f"COPY cases ({', '.join(INSERTED_COLUMNS)}) FROM STDIN") as copy:
            copy.write(text)

    return copy_text


def _insert_rows(per_statement: int) -> Callable[[object, list[tuple]], None]:
    from qa_app.cases.case_writer import INSERTED_COLUMNS

    values = f"({', '.join('?' * len(INSERTED_COLUMNS))})"
    sql = f"INSERT INTO cases ({', '.join(INSERTED_COLUMNS)}) VALUES "

    def insert(cursor, rows: list[tuple]) -> None:
        whole = len(rows) - len(rows) % per_statement
        groups = zip(*[iter(rows[:whole])] * per_statement, strict=True)
        cursor.executemany(
            sql + ", ".join([values] * per_statement),
            [list(chain.from_iterable(g)) for g in groups],
        )
        cursor.executemany(sql + values, rows[whole:])

    return insert


def _build_schema(url: str) -> tuple[float, str]:
    from flask_migrate import upgrade

    from qa_app.extensions import db

    app = _app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return 0.0, ""


def _empty_cases(url: str) -> tuple[float, str]:
    """Remove every case, team and event: the next import starts as on a new database."""
    from sqlalchemy import delete

    from qa_app.extensions import db
    from qa_app.models import AuditEvent, Case, Team

    app = _app(url)
    with app.app_context():
        for model in (AuditEvent, Case, Team):
            db.session.execute(delete(model))
        db.session.commit()
        db.engine.dispose()
    return 0.0, ""


def _child(function: Callable[..., tuple[float, str]], args: tuple, pipe) -> None:
    # Modules the step needs are imported before "before" is read, so growth is the step's own.
    if function is _import:
        import qa_app.cases.operations  # noqa: F401
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # A step returns (seconds, note), or (seconds, CPU seconds, note).
    seconds, *cpu, note = function(*args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pipe.send((seconds, peak, before, note, cpu[0] if cpu else float("nan")))
    pipe.close()


def best_of(
    repeats: int, function: Callable[..., tuple[float, str]], *args: object
) -> tuple[float, int, int, str]:
    """Measure the step ``repeats`` times (each in a fresh process); return the fastest run."""
    return min((measure(function, *args) for _ in range(repeats)), key=lambda run: run[0])


def measure(
    function: Callable[..., tuple[float, str]], *args: object
) -> tuple[float, int, int, str]:
    """Run the step in a fresh process; return its seconds, peak KB, KB before, a note, and its
    CPU seconds (NaN when the step does not measure them)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(function, args, sender))
    process.start()
    sender.close()
    result = receiver.recv()
    process.join()
    if process.exitcode:
        raise RuntimeError(f"{function.__name__} failed with exit code {process.exitcode}")
    return result


def main() -> None:
    from tests.benchmarks.council_seed import bench_databases

    with tempfile.TemporaryDirectory(prefix="case-import-bench-") as folder_name:
        folder = Path(folder_name)
        started = time.perf_counter()
        files: dict[tuple[str, int], Path] = {}
        for size in SIZES:
            files["CSV", size] = folder / f"cases-{size}.csv"
            write_csv(files["CSV", size], size)
        files["XLSX", XLSX_SIZE] = folder / f"cases-{XLSX_SIZE}.xlsx"
        write_xlsx(files["XLSX", XLSX_SIZE], XLSX_SIZE)
        changed = folder / f"cases-{SIZES[-1]}-changed.csv"
        write_csv(changed, SIZES[-1], worker_offset=1)
        print(f"Synthetic files made in {time.perf_counter() - started:.1f} s", flush=True)
        parses = {
            key: best_of(REPEATS, _parse_csv if key[0] == "CSV" else _parse_xlsx, str(path))
            for key, path in files.items()
        }
        for name, url in bench_databases("import"):
            _run(name, url, files, parses, changed)


def _run(name, url, files, parses, changed) -> None:
    measure(_build_schema, url)
    results = []
    for (kind, size), path in files.items():
        runs = []
        for _ in range(REPEATS):  # each run imports into a database with no cases
            measure(_empty_cases, url)
            runs.append(measure(_import, str(path), url))
        full = min(runs, key=lambda run: run[0])
        # The cases of the last import are in the database: write them again, bare.
        floor = best_of(REPEATS, _insert_floor, url)
        floor_s, floor_cpu = floor[0], floor[4]
        results.append((f"{kind} {size:,} rows", path.stat().st_size, parses[kind, size], full))
        parse_s, full_s, full_peak, full_before = parses[kind, size][0], *full[:3]
        parse_cpu, full_cpu = parses[kind, size][4], full[4]
        print(
            f"BENCH import db={name} file={kind.lower()} rows={size} parse_s={parse_s:.3f} "
            f"import_s={full_s:.3f} ratio={full_s / parse_s:.1f} peak_mb={_mb(full_peak)} "
            f"growth_mb={_mb(full_peak - full_before)} parse_cpu_s={parse_cpu:.3f} "
            f"import_cpu_s={full_cpu:.3f} cpu_ratio={full_cpu / parse_cpu:.1f} "
            f"insert_floor_s={floor_s:.3f} ratio_to_floor={full_s / floor_s:.1f} "
            f"insert_floor_cpu_s={floor_cpu:.3f} cpu_ratio_to_floor={full_cpu / floor_cpu:.1f}",
            flush=True,
        )
    measure(_empty_cases, url)
    measure(_import, str(files["CSV", SIZES[-1]]), url)
    again = measure(_import, str(files["CSV", SIZES[-1]]), url)
    updated = measure(_import, str(changed), url)
    print(
        f"BENCH import_again db={name} rows={SIZES[-1]} unchanged_s={again[0]:.3f} "
        f"updated_s={updated[0]:.3f}",
        flush=True,
    )
    parts = measure(_floor_parts, url)
    print(f"BENCH import_floor db={name} rows={SIZES[-1]} {parts[3]}", flush=True)
    print(f"\n{name}:")
    _print_table(results, [("unchanged", again), ("every case updated", updated)])


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f}"


def _print_table(results, reimports) -> None:
    print()
    print(
        f"{'file':<20}{'size MB':>8} | {'parse s':>8}{'peak MB':>8}{'growth':>7} | "
        f"{'import s':>9}{'peak MB':>8}{'growth':>7} | {'ratio':>6}  rows/s"
    )
    for name, size, parse, full in results:
        parse_s, parse_peak, parse_before, *_ = parse
        full_s, full_peak, full_before, *_ = full
        rows = int(name.split()[1].replace(",", ""))
        print(
            f"{name:<20}{size / 1e6:>8.1f} | {parse_s:>8.2f}{_mb(parse_peak):>8}"
            f"{_mb(parse_peak - parse_before):>7} | {full_s:>9.2f}{_mb(full_peak):>8}"
            f"{_mb(full_peak - full_before):>7} | {full_s / parse_s:>5.1f}x  {rows / full_s:,.0f}"
        )
    print()
    for label, (seconds, peak, before, note, _) in reimports:
        print(
            f"Re-import of CSV {SIZES[-1]:,} rows, {label}: {seconds:.2f} s, peak "
            f"{_mb(peak)} MB (growth {_mb(peak - before)} MB): {note}"
        )
    print("ratio = import time / parse time. growth = peak memory minus memory before the step.")


if __name__ == "__main__":
    main()
