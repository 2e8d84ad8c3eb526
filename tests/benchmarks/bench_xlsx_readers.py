"""Reading the 100,000-row case list workbook: openpyxl's read-only mode against python-calamine.

The case import reads .xlsx with openpyxl (read-only, streamed). calamine (Rust) is the usual
faster reader; it is taken only if it is faster and keeps every check the import makes. Prints:

    BENCH xlsx_read rows=<n> openpyxl_seconds=<s> calamine_seconds=<s> ratio=<openpyxl/calamine>
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.benchmarks.bench_case_import import measure, write_xlsx

ROWS = 100_000


def _openpyxl(path: str) -> tuple[float, str]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=False)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - started, f"{rows - 1:,} rows"


def _calamine(path: str) -> tuple[float, str]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return float("nan"), "python-calamine is not installed"
    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(path)
    sheet = workbook.get_sheet_by_index(0)
    rows = sum(1 for _ in sheet.iter_rows())
    return time.perf_counter() - started, f"{rows - 1:,} rows"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="xlsx-read-bench-") as folder:
        path = Path(folder) / "cases-synthetic.xlsx"
        write_xlsx(path, ROWS)
        opx = measure(_openpyxl, str(path))
        cal = measure(_calamine, str(path))
        print(
            f"BENCH xlsx_read rows={ROWS} openpyxl_seconds={opx[0]:.2f} "
            f"calamine_seconds={cal[0]:.2f} ratio={opx[0] / cal[0]:.1f}"
        )
        print(
            "calamine gives cached values only: it cannot see that a cell holds a formula, so "
            "the import's 'paste values only' check would be lost; the import keeps openpyxl."
        )


if __name__ == "__main__":
    main()
