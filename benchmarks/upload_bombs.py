"""How fast and in how much memory each hostile upload of tests/bombs.py is refused (issue 28),
and what an honest 5,000-row file costs to read; with ``--before``, the same files through the
reader the import used before (openpyxl's read-only mode, copied below from commit 05ff707),
each in a process of its own that is stopped after ``--timeout`` seconds.

    .venv/bin/python benchmarks/upload_bombs.py            # about a minute on 2 cores
    .venv/bin/python benchmarks/upload_bombs.py --before   # a few minutes more

Time is the median of ``--repeat`` refusals (wall clock, no tracing); memory is tracemalloc's
peak during one more, so it counts what Python allocates (expat's and zlib's buffers included)
and not the file itself. For ``--before`` memory is the process's peak resident size minus
what it held before reading. A Markdown table goes to stdout.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.errors import InputError  # noqa: E402
from assessment.questionnaire import load_employee_questionnaire  # noqa: E402
from assessment.spreadsheet import read_table  # noqa: E402
from tests import bombs  # noqa: E402
from tests.test_paper_import import rows_for, to_csv, to_xlsx  # noqa: E402


def _honest(write):
    questionnaire = load_employee_questionnaire()
    return write(questionnaire, rows_for(questionnaire, 5_000))


def files() -> dict[str, tuple]:
    """Every bomb and two honest files: name → (make its bytes, file name)."""
    found = {name: (make, "a.xlsx") for name, (make, _) in bombs.WORKBOOKS.items()}
    found |= {f"CSV: {name}": (make, "a.csv") for name, (make, _) in bombs.CSVS.items()}
    found["honest: 5,000 template rows, XLSX"] = (lambda: _honest(to_xlsx), "a.xlsx")
    found["honest: 5,000 template rows, CSV"] = (lambda: _honest(to_csv), "a.csv")
    return found


def outcome(read, data: bytes, filename: str) -> str:
    try:
        _, body = read(data, filename)
    except InputError as error:
        return error.messages("en")[0]
    return f"read: {len(body):,} rows"


def measure(data: bytes, filename: str, repeat: int) -> tuple[float, float, str]:
    """(median seconds, peak MB, the outcome) of reading ``data`` now."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        said = outcome(read_table, data, filename)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    outcome(read_table, data, filename)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6, said


# --- the reader before issue 28 (commit 05ff707, assessment/paper_import.py) -----------------


def _old_cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def old_read(data: bytes, filename: str):
    """The rows as the import read them before: openpyxl read-only, every row built (it
    stopped after 5,100 rows with content), or the whole CSV parsed once per separator."""
    if data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows, filled = [], 0
        for values in book.worksheets[0].iter_rows(values_only=True):
            rows.append([_old_cell(v) for v in values])
            filled += any(rows[-1])
            if filled > 5_100:
                break
        book.close()
    else:
        text = data.decode("utf-8-sig")
        rows = []
        for delimiter in (",", ";", "\t"):  # the separator giving the widest first row
            parsed = [[c.strip() for c in row] for row in csv.reader(
                io.StringIO(text, newline=""), delimiter=delimiter)]
            width = len(next((r for r in parsed if any(r)), []))
            if width > len(next((r for r in rows if any(r)), [])):
                rows = parsed
    numbered = [(n, row) for n, row in enumerate(rows, 1) if any(row)]
    return [], numbered[1:]


def before_one(path: str, filename: str) -> None:
    """In a child process: read one file the old way, print seconds and MB of growth."""
    data = Path(path).read_bytes()
    import openpyxl  # noqa: F401 - loaded before the baseline, as in a running app

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        said = outcome(old_read, data, filename)
    except Exception as error:  # noqa: BLE001 - openpyxl refused it its own way
        said = f"refused: {type(error).__name__}"
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    print(f"{time.perf_counter() - start:.2f}\t{grown:.0f}\t{said}")


def before(data: bytes, filename: str, timeout: float) -> str:
    with tempfile.NamedTemporaryFile(suffix=filename) as file:
        file.write(data)
        file.flush()
        try:
            done = subprocess.run([sys.executable, __file__, "--before-one", file.name,
                                   filename], capture_output=True, text=True, timeout=timeout,
                                  check=True)
        except subprocess.TimeoutExpired:
            return f"still reading after {timeout:.0f} s (stopped)"
    seconds, grown, said = done.stdout.strip().split("\t", 2)
    return f"{_time(float(seconds))}, +{grown} MB: {said[:40]}"


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--before-one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.before_one:
        before_one(*args.before_one)
        return
    print("| file | uploaded | refused in (median) | peak memory | by | before |")
    print("|---|---:|---:|---:|---|---|")
    for name, (make, filename) in files().items():
        print(f"measuring {name}", file=sys.stderr)
        data = make()
        seconds, peak, said = measure(data, filename, args.repeat)
        old = before(data, filename, args.timeout) if args.before else ""
        print(f"| {name} | {len(data) / 1e6:.2f} MB | {_time(seconds)} | {peak:.1f} MB "
              f"| {said[:60]} | {old} |")


if __name__ == "__main__":
    main()
