"""Werkbaar benchmark of the reports: how long the organisation report (PDF and XLSX) takes for
the demo care organisation (Zorggroep Scheldeland, 131 respondents) and for an organisation of
5,000 respondents, and the sector fund report of the demo sector, each beside a reference
measured in the same run: writing an fpdf2 document of one page with one line of the embedded
DejaVu font (what any PDF of ours costs at least). Run ``.venv/bin/python benchmarks/report.py``;
see ``benchmarks/README.md`` for the figures.

Each figure is the median of ``--repeat`` runs of the whole download as the app makes it
(:mod:`assessment.reports.downloads`: access check, every domain read, the drawing, the audit
entry), after one first run that is reported apart (it fills the process's caches). Two fresh
databases in a temporary folder (``--dir``): the demo (``assessment.demo.load_demo``), and
the same code making one organisation of 5,400 people with two rounds of 4,600 and 5,000
respondents. Progress goes to stderr, the Markdown table to stdout; nothing in the repository
is written.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import demo  # noqa: E402
from assessment.access import PLATFORM_ADMIN, Scope  # noqa: E402
from assessment.catalogue import load_catalogue  # noqa: E402
from assessment.context import Context
from assessment.organisations import visible_organisations  # noqa: E402
from assessment.questionnaire import load_employee_questionnaire  # noqa: E402
from assessment.reports import downloads  # noqa: E402
from assessment.reports.pdf import Document  # noqa: E402
from assessment.results import round_results  # noqa: E402
from assessment.rounds import list_rounds  # noqa: E402
from assessment.self_assessment import load_employer_questionnaire  # noqa: E402
from assessment.storage import init_db  # noqa: E402

ADMIN = Scope(0, "benchmark", PLATFORM_ADMIN)
LARGE = replace(demo.ORGANISATIONS[0], name="Zorgnet Groot", headcount=5400,
                respondents=(4600, 5000))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(work: Callable[[], bytes], repeat: int) -> tuple[float, float, list[float], int]:
    """(first run s, median of the next ``repeat`` runs s, those runs, size in bytes)."""
    start = time.perf_counter()
    size = len(work())
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return first, statistics.median(runs), runs, size


def reference() -> bytes:
    doc = Document("Werkbaar", "Werkbaar", "nl", "pagina")
    doc.add_page()
    doc.paragraph("Werkbaar werk: 44% · € 7.500 · −8 pp")
    return doc.render()


def newest_round(db: Path, organisation_id: int) -> int:
    return next(r.id for r in list_rounds(Context(db), organisation_id)
                if round_results(Context(db), r.id).shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--dir", default=None, help="where the temporary databases go")
    args = parser.parse_args()
    q, eq, catalogue = (load_employee_questionnaire(), load_employer_questionnaire(),
                        load_catalogue())
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        demo_db = init_db(Path(folder) / "demo.db")
        log("loading the demo ...")
        demo.load_demo(Context(demo_db))
        large_db = init_db(Path(folder) / "large.db")
        log("making an organisation of 5,000 respondents ...")
        original = demo.ORGANISATIONS
        demo.ORGANISATIONS = (LARGE,)
        try:
            demo.load_demo(Context(large_db))
        finally:
            demo.ORGANISATIONS = original
        cases = []
        for db, name in ((demo_db, "Zorggroep Scheldeland"), (large_db, LARGE.name)):
            org = next(o for o in visible_organisations(Context(db), ADMIN) if o.name == name)
            round_id = newest_round(db, org.id)
            n = round_results(Context(db), round_id).n_responses
            for kind, make in (("PDF", downloads.organisation_report_pdf),
                               ("XLSX", downloads.organisation_report_xlsx)):
                cases.append((f"organisation report {kind}: {name} ({n:,} respondents)",
                              lambda make=make, db=db, org=org, r=round_id: make(db,
                                  ADMIN, org.id, r, "nl", q, eq, catalogue)))
        cases.append(("sector fund report PDF: PC 330 (demo)",
                      lambda: downloads.sector_report_pdf(Context(demo_db), ADMIN,
                                                          demo.DEMO_SECTOR, "nl", q)))
        log("reference ...")
        ref = timed(reference, args.repeat)
        rows = []
        for label, work in cases:
            log(f"{label} ...")
            rows.append((label, timed(work, args.repeat)))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}; median of {args.repeat} runs "
          "after a first run.\n")
    print("| what | first run | median | range | × reference | size |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| reference: one page, one line of DejaVu Sans (fpdf2) | {ref[0]:.3f} s | "
          f"{ref[1]:.3f} s | {min(ref[2]):.3f}–{max(ref[2]):.3f} s | 1 | {ref[3]:,} B |")
    for label, (first, median, runs, size) in rows:
        print(f"| {label} | {first:.3f} s | {median:.3f} s | {min(runs):.3f}–{max(runs):.3f} s "
              f"| {median / ref[1]:.1f} | {size:,} B |")


if __name__ == "__main__":
    main()
