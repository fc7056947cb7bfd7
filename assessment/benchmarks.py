"""Published figures of the Vlaamse Werkbaarheidsmonitor, from ``data/benchmarks.csv``.

One row per published statistic: a metric (``werkbaarheidsgraad``, ``<scale>_knelpunt`` for
the share with a knelpunt of any level, ``<scale>_acuut`` for the acute share), population
(:data:`POPULATIONS`: employees or the self-employed, measured with separate questionnaires),
year, scope (``flanders`` or a monitor ``sector``), value in percent and its source URL. The
monitor uses other items than ours, so every comparison is *indicative*.

Sources: the monitor's publisher (SERV and its Stichting Innovatie & Arbeid, on serv.be and
werkbaarwerk.be) or Statistiek Vlaanderen is the primary source of a figure (the hosts of
:data:`assessment.provenance.PRIMARY_HOSTS`). A figure found only in a secondary publication (a
newspaper, a union or federation summary, a document-sharing copy of an STIA report) is kept
only when its ``note`` starts with ``secondary:`` and says why; the loader refuses it otherwise.
A figure that cannot be sourced is left out: the screen then shows "—".

An organisation is matched to a monitor sector through its NACE-BEL 2008 division
(``data/benchmark_sectors.csv``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .errors import DataFileError
from .provenance import is_primary

DATA_DIR = paths.DATA_DIR
BENCHMARK_FILE = DATA_DIR / "benchmarks.csv"
SECTOR_FILE = DATA_DIR / "benchmark_sectors.csv"
POPULATION = "werknemers"
POPULATIONS = ("werknemers", "zelfstandigen")  # the monitor's two surveys
SECONDARY = "secondary:"  # how a note starts that says why a secondary source is kept


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
    source_url: str
    note: str  # for editors, never shown: how a figure was derived, why a source is secondary


@dataclass(frozen=True)
class Sector:
    code: str
    name_nl: str
    name_en: str
    nace_divisions: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nl


@cache
def load_benchmarks(path: Path = BENCHMARK_FILE) -> tuple[Benchmark, ...]:
    """Read and check the benchmark table.

    :raises BenchmarkError: for a missing column, a value that is not a percentage, a year
      that is not a number, a row without a source URL, an unknown scope or population, or a
      secondary source whose note does not say why it is kept — every bad row is listed with
      its line number.
    """
    try:
        return _read_benchmarks(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BenchmarkError([f"{path.name}: cannot be read ({exc})"]) from exc


def _read_benchmarks(path: Path) -> tuple[Benchmark, ...]:
    problems: list[str] = []
    rows: list[Benchmark] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(Benchmark.__dataclass_fields__) - set(reader.fieldnames or [])
        if missing:
            raise BenchmarkError([f"{path.name}: missing columns: {', '.join(sorted(missing))}"])
        for line, row in enumerate(reader, 2):
            if None in row.values() or None in row:
                problems.append(f"{path.name}: line {line}: wrong number of fields")
                continue
            try:
                value = float(row["value_pct"])
                year = int(row["year"])
            except ValueError:
                problems.append(f"{path.name}: line {line}: value_pct or year is not a number")
                continue
            if not 0 <= value <= 100:
                problems.append(f"{path.name}: line {line}: value_pct must lie from 0 to 100")
            if not row["source_url"].startswith(("http://", "https://")):
                problems.append(f"{path.name}: line {line}: source_url must be a web address")
            elif not is_primary(row["source_url"]) and not row["note"].startswith(SECONDARY):
                problems.append(f"{path.name}: line {line}: {row['source_url']} is not a primary "
                                f"source: cite the SERV publication, or start the note with "
                                f"'{SECONDARY}' and say why it is kept")
            if row["scope"] not in ("flanders", "sector"):
                problems.append(f"{path.name}: line {line}: scope must be flanders or sector")
            if row["population"] not in POPULATIONS:
                problems.append(f"{path.name}: line {line}: population must be one of "
                                f"{', '.join(POPULATIONS)}, found {row['population']!r}")
            rows.append(Benchmark(
                metric=row["metric"], population=row["population"], year=year,
                scope=row["scope"], sector_code=row["sector_code"], value_pct=value,
                comparability=row["comparability"], source_url=row["source_url"],
                note=row["note"],
            ))
    if problems:
        raise BenchmarkError(problems)
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
            needed = {"sector_code", "name_nl", "name_en", "nace_divisions"}
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
                sectors.append(Sector(fields["sector_code"], fields["name_nl"],
                                      fields["name_en"], divisions))
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
