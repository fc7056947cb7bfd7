"""What the platform admin is told about the reference data (issue 29, item 5): the benchmark
figures (``data/benchmarks.csv``) and the support catalogue (``data/support_measures.yaml``).

Decision: these stay files reviewed in git, not tables an admin edits, because every figure
and every measure carries its evidence (the source's own sentence, its address and dates:
:mod:`assessment.evidence`), and a change is reviewed with it. The admin sees which file is
live (its SHA-256, the same as ``sha256sum`` of the file in the deployed tree), how many rows
or measures it holds and when its facts were last checked; the review queue
(:mod:`assessment.review`) says which ones are due. Pure: reads the loaded data and the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import paths
from .benchmarks import BENCHMARK_FILE, Benchmark
from .catalogue import CATALOGUE_FILE, Measure
from .review import REVIEW_AFTER


@dataclass(frozen=True)
class FileState:
    """One live reference file: where (relative to the data folder's parent, as in git), its
    SHA-256 (first 12 hex digits), how many entries, the oldest and newest day a quote was
    read at its source, the newest date a source page shows, and how many entries are due
    for a new check (catalogue: checked longer than ``REVIEW_AFTER`` ago; benchmarks: none are
    reviewed by age, see :mod:`assessment.review`)."""

    file: str
    sha256: str
    entries: int
    oldest_checked: date | None
    newest_checked: date | None
    newest_source_date: date | None
    past_review_age: int = 0


def _where(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    try:
        shown = path.resolve().relative_to(paths.DATA_DIR.resolve().parent).as_posix()
    except ValueError:
        shown = path.name
    return shown, hashlib.sha256(data).hexdigest()[:12]


def _bounds(days) -> tuple[date | None, date | None]:
    days = [d for d in days if d is not None]
    return (min(days), max(days)) if days else (None, None)


def benchmarks_state(rows: tuple[Benchmark, ...], path: Path = BENCHMARK_FILE) -> FileState:
    """The live benchmark file: its figures and the dates of their evidence."""
    oldest, newest = _bounds(b.evidence.checked for b in rows)
    return FileState(*_where(path), len(rows), oldest, newest,
                     _bounds(b.evidence.source_date for b in rows)[1])


def catalogue_state(measures: tuple[Measure, ...], today: date,
                    path: Path = CATALOGUE_FILE) -> FileState:
    """The live support catalogue: its measures, the dates of their evidence, and how many
    were last checked more than ``REVIEW_AFTER`` before ``today``."""
    evidence = [e for m in measures for e in m.evidence]
    oldest, newest = _bounds(e.checked for e in evidence)
    return FileState(*_where(path), len(measures), oldest, newest,
                     _bounds(e.source_date for e in evidence)[1],
                     sum(today - m.last_checked > REVIEW_AFTER for m in measures))
