"""Collective dismissal: whether the employment cell (tewerkstellingscel) and its outplacement
apply, decided by the rule table in ``data/collective_dismissal.yaml``.

The "activerend beleid bij herstructureringen" obliges an employer who dismisses collectively
to set up (or join) an employment cell and to offer outplacement through it. Whether it applies
depends on four facts, each rule stated by a primary source (FOD WASO's herstructureringen.be,
werk.belgie.be, RVA/ONEM) whose quote the data carries:

1. the joint committee: not in PC 225 and PC 328 (``excluded_joint_committees``);
2. the size of the dismissal: the regime's own thresholds (``thresholds``: half of at most 11
   workers, 6 of 12–20, 10 of 21–99, 10% from 100), not those of CAO 24;
3. in PC 327, workers with a disability are exempt, the others are not
   (``disabled_workers_pc327``);
4. an employer of at most 20 workers is obliged only when workers leave on SWT (brugpensioen)
   at a reduced age (``small_employer``); then a caution that SWT is being abolished
   (``swt_reform``).

Otherwise the regime applies (``applies``). Rules are tried in that order and the first that
decides, decides. A fact the case does not give leaves the answer open (``None``) with what to
fill in. A sub-committee (328.01) counts under its joint committee (328): the sources name only
the joint committees, so that reading is said to the user every time it decides.

:func:`load_rules` raises :class:`RulesError` with every problem of the file (a rule without
evidence, a quote from a secondary host, a band out of order).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .datafile import Checker, read_yaml
from .errors import DataFileError
from .evidence import Evidence, read_evidence
from .i18n import Message

RULES_FILE = paths.DATA_DIR / "collective_dismissal.yaml"
RULE_ORDER = ("excluded_joint_committees", "thresholds", "disabled_workers_pc327",
              "small_employer", "swt_reform", "applies")


class RulesError(DataFileError):
    """The rule table is broken; ``problems`` lists every problem with its place."""


@dataclass(frozen=True)
class Band:
    """Employers of at most ``max_headcount`` workers (``None``: any larger): a collective
    dismissal from ``min_dismissed`` workers, or from ``min_share_pct`` % of the workforce."""

    max_headcount: int | None
    min_dismissed: int | None
    min_share_pct: int | None

    def needed(self, headcount: int) -> int:
        """The fewest dismissed workers that make a collective dismissal at this size."""
        if self.min_dismissed is not None:
            return self.min_dismissed
        return -(-headcount * self.min_share_pct // 100)  # "ten minste": rounded up


@dataclass(frozen=True)
class Rules:
    excluded_joint_committees: tuple[str, ...]
    bands: tuple[Band, ...]
    disabled_exempt_joint_committees: tuple[str, ...]
    small_employer_max: int
    evidence: dict[str, tuple[Evidence, ...]]  # per rule id of RULE_ORDER


@dataclass(frozen=True)
class Restructuring:
    """One planned collective dismissal, as the rule table needs it."""

    headcount: int | None  # the employer's workers
    dismissed: int | None  # workers to be dismissed (in the restructuring)
    joint_committees: tuple[str, ...] = ()  # of the dismissed workers
    reduced_age_swt: bool = False  # workers leave on SWT (brugpensioen) at a reduced age
    disabled_only: bool = False  # PC 327: every dismissed worker has a disability


@dataclass(frozen=True)
class Ruling:
    """The answer: ``applies`` (True, False, or None when a fact is missing), the reasons in
    words (the deciding one first, then cautions) and the evidence of the rules that spoke."""

    applies: bool | None
    reasons: tuple[Message, ...]
    evidence: tuple[Evidence, ...]


def _codes(check: Checker, raw, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(c, str) and c for c in raw):
        check.problem(where, "'joint_committees' must be a list of codes in quotes ('225')")
        return ()
    return tuple(raw)


def _bands(check: Checker, raw, where: str) -> tuple[Band, ...]:
    bands = []
    for number, item in enumerate(raw if isinstance(raw, list) else [], 1):
        node = check.mapping(item, f"{where}: band {number}")
        top, count, share = (node.get("max_headcount"), node.get("min_dismissed"),
                             node.get("min_share_pct"))
        if (count is None) == (share is None):
            check.problem(f"{where}: band {number}", "needs min_dismissed or min_share_pct")
            continue
        bands.append(Band(top, count, share))
    tops = [b.max_headcount for b in bands]
    if not bands or tops[-1] is not None or tops[:-1] != sorted(t for t in tops[:-1] if t):
        check.problem(where, "'bands' must rise by max_headcount and end with max_headcount: null")
    return tuple(bands)


def read_rules(raw, source: str = RULES_FILE.name) -> Rules:
    """Rules from parsed YAML; raises :class:`RulesError` listing every problem."""
    check = Checker(source)
    rules = check.mapping(check.mapping(raw, "file").get("rules"), "rules")
    for unknown in sorted(set(rules) - set(RULE_ORDER)):
        check.problem(f"rules.{unknown}", f"unknown rule (known: {', '.join(RULE_ORDER)})")
    node = {rule: check.mapping(rules.get(rule), f"rules.{rule}") for rule in RULE_ORDER}
    evidence = {rule: read_evidence(check, node[rule].get("evidence"), f"rules.{rule}")
                for rule in RULE_ORDER}
    small = node["small_employer"].get("max_headcount")
    if not isinstance(small, int):
        check.problem("rules.small_employer", "'max_headcount' must be a whole number")
    result = Rules(
        _codes(check, node["excluded_joint_committees"].get("joint_committees"),
               "rules.excluded_joint_committees"),
        _bands(check, node["thresholds"].get("bands"), "rules.thresholds"),
        _codes(check, node["disabled_workers_pc327"].get("joint_committees"),
               "rules.disabled_workers_pc327"),
        small if isinstance(small, int) else 0, evidence)
    if check.problems:
        raise RulesError(check.problems)
    return result


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The shipped rule table, read once per process."""
    return read_rules(read_yaml(path, RulesError), path.name)


def _covering(listed: tuple[str, ...], codes: tuple[str, ...]) -> tuple[str, str] | None:
    """The first (code, listed committee) where ``code`` is the listed committee or one of its
    sub-committees (328.01 under 328)."""
    for code in codes:
        for pc in listed:
            if code == pc or code.split(".")[0] == pc:
                return code, pc
    return None


def _reading(hit: tuple[str, str]) -> tuple[Message, ...]:
    """Say so when a sub-committee decided through its joint committee (our reading)."""
    code, pc = hit
    return () if code == pc else (Message("cd.subcommittee", {"pc": code, "parent": pc}),)


def rule(case: Restructuring, rules: Rules | None = None) -> Ruling:
    """Whether the employment cell and its outplacement apply to ``case`` (see the module)."""
    rules = rules or load_rules()
    ev = rules.evidence
    excluded = _covering(rules.excluded_joint_committees, case.joint_committees)
    if excluded:
        return Ruling(False, (Message("cd.excluded_pc", {"pc": excluded[0]}),
                              *_reading(excluded)), ev["excluded_joint_committees"])
    cautions = () if case.joint_committees else (Message("cd.pc_unknown"),)
    if case.headcount is None or case.dismissed is None:
        return Ruling(None, (Message("cd.count_unknown"), *cautions), ev["thresholds"])
    band = next(b for b in rules.bands
                if b.max_headcount is None or case.headcount <= b.max_headcount)
    needed = band.needed(case.headcount)
    size = {"headcount": case.headcount, "dismissed": case.dismissed, "needed": needed}
    if case.dismissed < needed:
        return Ruling(False, (Message("cd.not_collective", size),), ev["thresholds"])
    reasons = [Message("cd.collective", size)]
    evidence = list(ev["thresholds"])
    sheltered = _covering(rules.disabled_exempt_joint_committees, case.joint_committees)
    if sheltered:
        evidence += ev["disabled_workers_pc327"]
        if case.disabled_only:
            return Ruling(False, (Message("cd.pc327_disabled", {"pc": sheltered[0]}),
                                  *_reading(sheltered)), tuple(evidence))
        reasons += [Message("cd.pc327_others", {"pc": sheltered[0]}), *_reading(sheltered)]
    if case.headcount <= rules.small_employer_max:
        evidence += ev["small_employer"]
        if not case.reduced_age_swt:
            return Ruling(False, (Message("cd.small_no_swt", size),), tuple(evidence))
        reasons += [Message("cd.small_swt", size), Message("cd.swt_reform")]
        evidence += ev["swt_reform"]
    return Ruling(True, (*reasons, Message("cd.applies"), *cautions),
                  (*evidence, *ev["applies"]))
