"""Names of Belgian joint committees (paritaire comités, PC), read from
``data/joint_committees.csv``: so that a sector fund's page says "PC 330 – Gezondheidsinrichtingen
en -diensten" instead of a bare number.

The file lists main committees only, with their Dutch names abridged from the official list of
the FOD Werkgelegenheid (https://www.minimumlonen.be/jc_overview.html: "Paritair comité voor de
…" left out); their English (our own) and French (abridged the same way) are in the catalogues,
``data/i18n/<lang>.yaml`` under ``data.pc.<code>``. A sub-committee
(``318.02``) is named after its main committee, marked as a sub-committee: the official
sub-committee names are long and not needed to recognise the sector. A committee that is
not in the file has no name; pages then show its number only.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from . import paths
from .datafile import Text
from .errors import DataFileError
from .i18n import t

JOINT_COMMITTEE_FILE = paths.DATA_DIR / "joint_committees.csv"
CODE = re.compile(r"\d{3}")


class JointCommitteeError(DataFileError):
    """The joint committee file is broken; ``problems`` says where."""


def load_names(path: Path = JOINT_COMMITTEE_FILE) -> dict[str, Text]:
    """``code → name``.

    :raises JointCommitteeError: for an unreadable file, a missing column, a code that is not
      three digits (main committees only), a code listed twice or an empty name — every bad
      row with its line number.
    """
    needed = ("code", "name_nl")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = set(needed) - set(reader.fieldnames or [])
            if missing:
                raise JointCommitteeError(
                    [f"{path.name}: missing columns: {', '.join(sorted(missing))}"])
            rows = list(enumerate(reader, 2))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise JointCommitteeError([f"{path.name}: cannot be read ({exc})"]) from exc
    names: dict[str, Text] = {}
    problems = []
    for line, row in rows:
        code, name_nl = ((row.get(n) or "").strip() for n in needed)
        if not CODE.fullmatch(code):
            problems.append(f"{path.name}: line {line}: {code!r} is not a main joint committee "
                            "(three digits)")
        elif code in names:
            problems.append(f"{path.name}: line {line}: code {code} is listed twice")
        elif not name_nl:
            problems.append(f"{path.name}: line {line}: empty name_nl")
        else:
            names[code] = Text.of(f"data.pc.{code}", nl=name_nl)
    if problems:
        raise JointCommitteeError(problems)
    return names


@cache
def _names() -> dict[str, Text]:
    return load_names()


def name(code: str, lang: str) -> str | None:
    """The committee's name in ``lang``; a sub-committee's is its main committee's, marked as a
    sub-committee; ``None`` for a committee we have no name for."""
    main, _, sub = code.partition(".")
    found = _names().get(main)
    if found is None:
        return None
    text = found(lang)
    return t("sector.subcommittee_of", lang, name=text) if sub else text
