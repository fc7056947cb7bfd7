"""NACE-BEL 2008 sections (A–U) and divisions (two digits), read from
``data/nace-bel-2008.csv``. Used to describe an organisation's sector and to match it to the
monitor's sector benchmarks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NACE_FILE = Path(__file__).resolve().parent.parent / "data" / "nace-bel-2008.csv"


@dataclass(frozen=True)
class NaceCode:
    code: str
    level: str  # "section" or "division"
    section: str
    name_nl: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nl


@cache
def _codes() -> dict[str, NaceCode]:
    with NACE_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = {}
    for row in rows:
        code = row["code"].strip()
        if row["level"] == "division":
            code = code.zfill(2)
        codes[code] = NaceCode(code, row["level"], row["section"], row["name_nl"], row["name_en"])
    return codes


def sections() -> list[NaceCode]:
    return [c for c in _codes().values() if c.level == "section"]


def divisions(section: str | None = None) -> list[NaceCode]:
    return [
        c for c in _codes().values()
        if c.level == "division" and (section is None or c.section == section)
    ]


def lookup(code: str) -> NaceCode | None:
    return _codes().get(code)
