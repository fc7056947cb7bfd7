"""Published figures of the Vlaamse Werkbaarheidsmonitor, from ``data/benchmarks.csv``.

One row per published statistic: a metric (``werkbaarheidsgraad``, ``<scale>_knelpunt`` for
the share with a knelpunt of any level, ``<scale>_acuut`` for the acute share), population
(:data:`POPULATIONS`: employees or the self-employed, measured with separate questionnaires),
year, scope (``flanders`` or a monitor ``sector``), value in percent and its source URL. The
monitor uses other items than ours, so every comparison is *indicative*.

Evidence (issue 24): every row carries the sentence that states its figure — ``source_url``,
``quote`` (verbatim), ``source_date`` (the date the page shows, blank when it shows none; a
month-only date is stored as its first day), ``checked`` (the day the quote was read there) —
read by :func:`assessment.evidence.read_one`. The monitor's publisher (SERV and its Stichting
Innovatie & Arbeid, on serv.be and werkbaarwerk.be) or Statistiek Vlaanderen is the primary
source (:data:`assessment.provenance.PRIMARY_HOSTS`). A figure found only in a secondary
publication (a newspaper, a union or federation summary, a document-sharing copy) is kept only
with a ``secondary_reason`` saying why no primary page could be cited, and every screen and
report that shows it names it as "no primary source" (:attr:`Benchmark.primary`). A figure no
page states is left out: the screen then shows "—". ``note`` is for editors (how a figure was
derived) and never shown.

An organisation is matched to a monitor sector through its NACE-BEL 2008 division
(``data/benchmark_sectors.csv``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .datafile import Checker, Text
from .errors import DataFileError
from .evidence import Evidence, read_one

DATA_DIR = paths.DATA_DIR
BENCHMARK_FILE = DATA_DIR / "benchmarks.csv"
SECTOR_FILE = DATA_DIR / "benchmark_sectors.csv"
POPULATION = "werknemers"
POPULATIONS = ("werknemers", "zelfstandigen")  # the monitor's two surveys
COLUMNS = ("metric", "population", "year", "scope", "sector_code", "value_pct", "comparability",
           "source_url", "quote", "source_date", "checked", "secondary_reason", "note")


class BenchmarkError(DataFileError):
    """The benchmark file is broken; ``problems`` says where."""


@dataclass(frozen=True)
class Benchmark:
    metric: str
    population: str
    year: int
    scope: str  # "flanders" or "sector"
    sector_code: str
    value_pct: float
    comparability: str
    evidence: Evidence  # the sentence that states the figure
    note: str = ""  # for editors, never shown: how a figure was derived

    @property
    def source_url(self) -> str:
        return self.evidence.url

    @property
    def primary(self) -> bool:
        """Whether the figure is quoted from the monitor's publisher or Statistiek Vlaanderen;
        a secondary one is named as such wherever it is shown."""
        return self.evidence.primary


@dataclass(frozen=True)
class Sector:
    code: str
    names: Text
    nace_divisions: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.names(lang)


@cache
def load_benchmarks(path: Path = BENCHMARK_FILE) -> tuple[Benchmark, ...]:
    """Read and check the benchmark table.

    :raises BenchmarkError: for a missing column, a value that is not a percentage, a year
      that is not a number, an unknown scope or population, or evidence that
      :func:`assessment.evidence.read_one` refuses (no quote, no check date, a secondary source
      without a reason, a check before the page's date) — every bad row is listed with its
      line number.
    """
    try:
        return _read_benchmarks(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BenchmarkError([f"{path.name}: cannot be read ({exc})"]) from exc


def _read_benchmarks(path: Path) -> tuple[Benchmark, ...]:
    check = Checker(path.name)
    rows: list[Benchmark] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise BenchmarkError([f"{path.name}: missing columns: {', '.join(sorted(missing))}"])
        for line, row in enumerate(reader, 2):
            here = f"line {line}"
            if None in row.values() or None in row:
                check.problem(here, "wrong number of fields")
                continue
            try:
                value = float(row["value_pct"])
                year = int(row["year"])
            except ValueError:
                check.problem(here, "value_pct or year is not a number")
                continue
            if not 0 <= value <= 100:
                check.problem(here, "value_pct must lie from 0 to 100")
            if row["scope"] not in ("flanders", "sector"):
                check.problem(here, "scope must be flanders or sector")
            if row["population"] not in POPULATIONS:
                check.problem(here, f"population must be one of {', '.join(POPULATIONS)}, "
                                    f"found {row['population']!r}")
            evidence = read_one(check, {
                "url": row["source_url"], "quote": row["quote"],
                "source_date": row["source_date"] or None, "checked": row["checked"] or None,
                "secondary_reason": row["secondary_reason"]}, here)
            if evidence:
                rows.append(Benchmark(
                    metric=row["metric"], population=row["population"], year=year,
                    scope=row["scope"], sector_code=row["sector_code"], value_pct=value,
                    comparability=row["comparability"], evidence=evidence, note=row["note"]))
    if check.problems:
        raise BenchmarkError(check.problems)
    return tuple(rows)


@cache
def load_sectors(path: Path = SECTOR_FILE) -> tuple[Sector, ...]:
    """Read and check the monitor sectors and their NACE divisions.

    :raises BenchmarkError: for a missing column, an empty code or name, a sector code used
      twice, or a division that is not two digits — every bad row with its line number.
    """
    problems: list[str] = []
    sectors: list[Sector] = []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            needed = {"sector_code", "name_nl", "nace_divisions"}
            missing = needed - set(reader.fieldnames or [])
            if missing:
                raise BenchmarkError(
                    [f"{path.name}: missing columns: {', '.join(sorted(missing))}"])
            for line, row in enumerate(reader, 2):
                fields = {name: (row.get(name) or "").strip() for name in needed}
                empty = sorted(name for name, value in fields.items()
                               if not value and name != "nace_divisions")
                if empty:
                    problems.append(f"{path.name}: line {line}: empty {', '.join(empty)}")
                    continue
                divisions = tuple(fields["nace_divisions"].split())
                bad = [d for d in divisions if not (len(d) == 2 and d.isdigit())]
                if bad:
                    problems.append(f"{path.name}: line {line}: NACE divisions must be two "
                                    f"digits, found {', '.join(bad)}")
                if any(s.code == fields["sector_code"] for s in sectors):
                    problems.append(f"{path.name}: line {line}: sector_code "
                                    f"{fields['sector_code']} is used more than once")
                code = fields["sector_code"]
                sectors.append(Sector(code, Text.of(f"data.sector.{code}",
                                                    nl=fields["name_nl"]), divisions))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BenchmarkError([f"{path.name}: cannot be read ({exc})"]) from exc
    if problems:
        raise BenchmarkError(problems)
    return tuple(sectors)


def sector_for_division(nace_division: str | None) -> Sector | None:
    """The monitor sector an organisation's NACE division belongs to, if any."""
    if not nace_division:
        return None
    return next((s for s in load_sectors() if nace_division in s.nace_divisions), None)


def latest(metric: str, sector_code: str | None = None) -> Benchmark | None:
    """The most recent published employee figure for ``metric``: for Flanders as a whole, or
    for the monitor sector ``sector_code``."""
    scope = "sector" if sector_code else "flanders"
    matches = [
        b for b in load_benchmarks()
        if b.metric == metric and b.population == POPULATION and b.scope == scope
        and b.sector_code == (sector_code or "")
    ]
    return max(matches, key=lambda b: b.year, default=None)
