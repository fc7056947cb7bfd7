"""NACE-BEL 2008 sections (A–U) and divisions (two digits), read from
``data/nace-bel-2008.csv``. Used to describe an organisation's sector and to match it to the
monitor's sector benchmarks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .datafile import Text
from .errors import DataFileError

NACE_FILE = paths.DATA_DIR / "nace-bel-2008.csv"


@dataclass(frozen=True)
class NaceCode:
    code: str
    level: str  # "section" or "division"
    section: str
    names: Text

    def name(self, lang: str) -> str:
        return self.names(lang)


class NaceError(DataFileError):
    """The NACE file is broken; ``problems`` says where."""


@cache
def _codes() -> dict[str, NaceCode]:
    return load_codes(NACE_FILE)


def load_codes(path: Path) -> dict[str, NaceCode]:
    """Read and check the NACE codes: code → :class:`NaceCode`.

    :raises NaceError: for a missing column, a level other than section or division, a
      division that is not a number of at most two digits or whose section is not in the file,
      an empty name or a code used twice — every bad row with its line number.
    """
    problems: list[str] = []
    codes: dict[str, NaceCode] = {}
    needed = ("code", "level", "section", "name_nl")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = set(needed) - set(reader.fieldnames or [])
            if missing:
                raise NaceError([f"{path.name}: missing columns: {', '.join(sorted(missing))}"])
            rows = list(enumerate(reader, 2))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NaceError([f"{path.name}: cannot be read ({exc})"]) from exc
    for line, row in rows:
        code, level, section, name_nl = ((row.get(n) or "").strip() for n in needed)
        if level == "division" and code.isdigit() and len(code) <= 2:
            code = code.zfill(2)
        elif level == "division":
            problems.append(f"{path.name}: line {line}: division code {code!r} is not two digits")
            continue
        elif level != "section" or not (len(code) == 1 and code.isalpha()):
            problems.append(f"{path.name}: line {line}: expected a section (one letter) or a "
                            f"division (two digits), found {level!r} {code!r}")
            continue
        if not name_nl:
            problems.append(f"{path.name}: line {line}: empty name_nl")
        if code in codes:
            problems.append(f"{path.name}: line {line}: code {code} is used more than once")
        codes[code] = NaceCode(code, level, section, Text.of(f"data.nace.{code}", nl=name_nl))
    sections = {c.code for c in codes.values() if c.level == "section"}
    for c in codes.values():
        if c.level == "division" and c.section not in sections:
            problems.append(f"{path.name}: division {c.code}: section {c.section!r} is not "
                            "in the file")
    if not problems and not sections:
        problems.append(f"{path.name}: no codes")
    if problems:
        raise NaceError(problems)
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
