"""The support catalogue: the public measures, their eligibility rules, amounts and sources,
read from ``data/support_measures.yaml`` and checked by :func:`load_catalogue` (every problem
with its place; ``werkbaar check`` prints them and the app does not start with a broken
catalogue). The engine that matches measures to an organisation is
:mod:`assessment.recommendations`.

What users may trust, the loader enforces:

- every source is a *primary* one, a page of the body that runs the measure
  (:data:`assessment.provenance.PRIMARY_HOSTS`; for a sector entry also the sector
  funds' own sites), unless ``secondary_reason`` says why a secondary one is kept. Decision:
  a news article or a provider's brochure is not evidence of what a government pays, so an
  entry citing one must say why (no primary page found), and an entry citing only such
  pages is reported as having no primary source;
- editors' remarks ("still to be verified", "achtergrondkennis"…) live in ``note_internal``,
  which the loader reads and drops: it is on no attribute of :class:`Measure`. A user-facing
  field with one of :data:`assessment.provenance.INTERNAL_PHRASES` is refused. What truly
  could not be confirmed is said once, plainly, in ``unverified`` ({nl, en});
- ``authority`` is a text per language, like ``name``;
- ``evidence`` (required, issue 24): the sources' own sentences, each with its address, the
  page's date and the day it was read (:func:`assessment.evidence.read_evidence` refuses a
  measure without any, a quote that is empty, from a secondary host without a reason, or
  checked before the page's date); a ``last_checked`` older than a page it relies on is
  refused too;
- ``changes``: the reforms of its terms with the day each takes effect
  (:meth:`Measure.live_state` says ``changed`` for a year; the card says what changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import paths
from .datafile import Checker, Text, read_yaml
from .errors import DataFileError
from .evidence import Evidence, read_evidence
from .profile import LEGAL_FORMS, REGIONS, SIZE_CLASSES
from .provenance import internal_phrase, is_primary
from .questionnaire import INDICATORS, RISK_FACTORS
from .self_assessment import PRACTICE_AREAS

CATALOGUE_FILE = paths.DATA_DIR / "support_measures.yaml"
STALE_AFTER = timedelta(days=365)
GAP_IDS = INDICATORS + RISK_FACTORS + PRACTICE_AREAS
LEVELS = ("flemish", "federal", "eu", "sector", "brussels")
TARGETS = ("employer", "employee")
KINDS = ("subsidy", "obligation", "service", "network", "information")
CONTEXTS = ("workability", "dismissal")
STATUSES = ("permanent", "call_based", "intermittent", "reform_pending", "discontinued")
SECTORS = ("any", "profit", "social_profit", "profit_or_listed_social_profit")
EMPLOYERS = ("any", "private", "public")
DISMISSALS = ("individual", "collective")
PERIODS = ("year", "project", "application", "once", "person")
LIST_RULES = {
    "regions": REGIONS, "size_classes": SIZE_CLASSES, "excluded_legal_forms": LEGAL_FORMS,
    "dismissal_types": DISMISSALS,
}
# min_*: at least; max_employees: at most; *_below: strictly less than (the law's "< 30 weeks").
NUMBER_RULES = ("min_employees", "max_employees", "min_age", "age_below",
                "min_notice_weeks", "notice_weeks_below", "min_seniority_years")
OTHER_RULES = ("sector", "employer", "joint_committees", "excluded_joint_committees", "requires",
               "restructuring_rules")
REQUIREMENTS = ("employer_cannot_bear_cost", "no_outplacement_offered")


class CatalogueError(DataFileError):
    """The support catalogue is broken; ``problems`` lists every problem with its place."""


CHANGED_FOR = timedelta(days=365)  # how long a change in force marks a scheme as "changed"


@dataclass(frozen=True)
class Change:
    """A change of a scheme's terms (a reform) and the day it takes effect; its evidence is
    among the measure's."""

    on: date
    what: Text


@dataclass(frozen=True)
class Measure:
    id: str
    name: Text
    authority: Text
    level: str
    target: str
    kind: str
    context: str
    status: str
    valid_from: date | None
    valid_to: date | None
    summary: Text
    support: Text
    amounts: dict
    addresses: tuple[str, ...]
    eligibility: dict
    also_check: tuple[Text, ...]
    source_urls: tuple[str, ...]
    last_checked: date
    unverified: Text | None = None  # what could not be confirmed, said once to the user
    evidence: tuple[Evidence, ...] = ()  # the sources' own sentences (read_evidence; required)
    changes: tuple[Change, ...] = ()  # reforms of its terms, oldest first

    def live_state(self, today: date) -> str:
        """What an employer can do with it on ``today``, decided from the data's dates:

        - ``ended``: discontinued, or a standing scheme past its ``valid_to``;
        - ``open_call``: a call- or round-based measure (``call_based``, ``intermittent``)
          whose known window (``valid_from`` to ``valid_to``, both given) holds ``today``;
        - ``no_open_call``: call- or round-based, and no known window holds ``today`` (the
          last call ended, or none with dates is known): watch for the next call;
        - ``changed``: a standing scheme in force whose terms changed (``changes``) within
          :data:`CHANGED_FOR` before ``today``: it fits, and says what changed from when;
        - ``standing``: a standing scheme (``permanent``, ``reform_pending``) in force.

        Only ``open_call``, ``standing`` and ``changed`` can fit now
        (:func:`assessment.recommendations.recommend`); no text may say a call is open unless
        this says ``open_call``."""
        if self.status == "discontinued":
            return "ended"
        if self.status in ("call_based", "intermittent"):
            window = self.valid_from is not None and self.valid_to is not None
            return ("open_call" if window and self.valid_from <= today <= self.valid_to
                    else "no_open_call")
        if self.valid_to is not None and self.valid_to < today:
            return "ended"
        return "changed" if self.recent_changes(today) else "standing"

    def recent_changes(self, today: date) -> tuple[Change, ...]:
        """The changes in force on ``today`` for less than :data:`CHANGED_FOR`."""
        return tuple(c for c in self.changes if c.on <= today < c.on + CHANGED_FOR)

    def coming_changes(self, today: date) -> tuple[Change, ...]:
        """The changes announced for a day after ``today``."""
        return tuple(c for c in self.changes if c.on > today)


def _choice(check: Checker, node: dict, key: str, options: tuple, where: str) -> str:
    value = node.get(key)
    if value not in options:
        check.problem(where, f"field '{key}' must be one of {', '.join(options)}, found {value!r}")
    return str(value)


def _changes(check: Checker, raw: Any, where: str, measure_id: str) -> tuple[Change, ...]:
    """``changes``: a list of {since: date, what: {nl, en}}, oldest first (not ``on``: YAML
    reads that key as true)."""
    if raw is None:
        return ()
    found = []
    for number, item in enumerate(check.listing(raw, f"{where}: changes"), 1):
        here = f"{where}: changes {number}"
        node = check.mapping(item, here)
        on, what = check.day(node, "since", here, required=True), check.text(
            node, "what", here, place=f"{measure_id}.changes.{number}")
        if on and what:
            found.append(Change(on, what))
    if [c.on for c in found] != sorted(c.on for c in found):
        check.problem(where, "field 'changes' must list the oldest change first")
    return tuple(found)


def _eligibility(check: Checker, raw: Any, where: str) -> dict:
    rules = check.mapping(raw if raw is not None else {}, f"{where}: eligibility")
    for key, value in rules.items():
        here = f"{where}: eligibility.{key}"
        if key in LIST_RULES:
            if not isinstance(value, list) or not value or any(
                    v not in LIST_RULES[key] for v in value):
                check.problem(here, f"must list values from {', '.join(LIST_RULES[key])}")
        elif key in NUMBER_RULES:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                check.problem(here, "must be a number from 0")
        elif key == "sector" and value not in SECTORS:
            check.problem(here, f"must be one of {', '.join(SECTORS)}")
        elif key == "employer" and value not in EMPLOYERS:
            check.problem(here, f"must be one of {', '.join(EMPLOYERS)}")
        elif key in ("joint_committees", "excluded_joint_committees") and (
                not isinstance(value, list) or not value):
            check.problem(here, "must list joint committee numbers, e.g. ['124', '200']")
        elif key == "requires" and (not isinstance(value, list) or not value
                                    or any(v not in REQUIREMENTS for v in value)):
            check.problem(here, f"must list values from {', '.join(REQUIREMENTS)}")
        elif key == "restructuring_rules" and value is not True:
            check.problem(here, "must be true: data/collective_dismissal.yaml decides")
        elif key not in LIST_RULES and key not in NUMBER_RULES and key not in OTHER_RULES:
            check.problem(here, "unknown condition")
    if "joint_committees" in rules and isinstance(rules["joint_committees"], list):
        rules = {**rules, "joint_committees": [str(v) for v in rules["joint_committees"]]}
    return rules


USER_FIELDS = ("name", "authority", "summary", "support", "unverified")


def _trust(check: Checker, node: dict, where: str, level: str, urls: list[str]) -> None:
    """The rules that keep the catalogue trustworthy (see the module docstring): a primary
    source or a reason why not, no editor's note in a field a user reads, internal fields as
    plain text."""
    for key in ("note_internal", "secondary_reason"):
        if key in node and (not isinstance(node[key], str) or not node[key].strip()):
            check.problem(where, f"field '{key}' must be a non-empty text")
    secondary = [u for u in urls if not is_primary(u, sector=level == "sector")]
    if secondary and not node.get("secondary_reason"):
        check.problem(where, (
            "no primary source among 'source_urls' (an official page of the body that runs "
            "it)" if len(secondary) == len(urls) else
            f"secondary source {', '.join(secondary)}") + ": replace it by the primary page, "
            "or say in 'secondary_reason' why it is kept")
    texts = [(key, node.get(key)) for key in USER_FIELDS] + [
        (f"also_check #{n}", text) for n, text in enumerate(node.get("also_check") or [], 1)] + [
        (f"changes #{n}", change.get("what")) for n, change in enumerate(
            node.get("changes") or [], 1) if isinstance(change, dict)]
    for key, value in texts:
        for lang, text in (value.items() if isinstance(value, dict) else ()):
            if isinstance(text, str) and (phrase := internal_phrase(text)):
                check.problem(where, f"field '{key}' ({lang}) reads like an internal note "
                                     f"('{phrase}'): move it to 'note_internal', and tell "
                                     "users what could not be confirmed in 'unverified'")


def load_catalogue(path: Path | str = CATALOGUE_FILE) -> tuple[Measure, ...]:
    """Read and validate the support catalogue.

    :raises CatalogueError: when the file is missing or not YAML, or any entry breaks the
      schema; ``problems`` lists every problem with the file, the measure id and the field.
    """
    path = Path(path)
    check = Checker(path.name, namespace="measure")
    raw = read_yaml(path, CatalogueError)
    root = check.mapping(raw, "file")
    measures = []
    for n, node in enumerate(check.listing(root.get("measures"), "measures"), 1):
        node = check.mapping(node, f"measure #{n}")
        measure_id = check.string(node, "id", f"measure #{n}")
        where = f"measure {measure_id or '#' + str(n)}"
        addresses = node.get("addresses")
        if not isinstance(addresses, list) or any(
                a not in GAP_IDS + ("any",) for a in addresses):
            check.problem(where, "field 'addresses' must list scale ids, practice areas or 'any'")
            addresses = []
        amounts = check.mapping(node.get("amounts") or {}, f"{where}: amounts")
        if "per" in amounts and amounts["per"] not in PERIODS:
            check.problem(f"{where}: amounts", f"'per' must be one of {', '.join(PERIODS)}")
        urls = node.get("source_urls")
        if not isinstance(urls, list) or not urls or any(
                not str(u).startswith(("http://", "https://")) for u in urls):
            check.problem(where, "field 'source_urls' must list at least one web address")
            urls = []
        also = node.get("also_check") or []
        context = _choice(check, node, "context", CONTEXTS, where)
        if context == "workability" and not addresses:
            check.problem(where, "field 'addresses' is empty: which gaps does it address?")
        level = _choice(check, node, "level", LEVELS, where)
        _trust(check, node, where, level, [str(u) for u in urls])
        measures.append(Measure(
            id=measure_id, name=check.text(node, "name", where, place=f"{measure_id}.name"),
            authority=check.text(node, "authority", where, place=f"{measure_id}.authority"),
            level=level,
            target=_choice(check, node, "target", TARGETS, where),
            kind=_choice(check, node, "kind", KINDS, where), context=context,
            status=_choice(check, node, "status", STATUSES, where),
            valid_from=check.day(node, "valid_from", where),
            valid_to=check.day(node, "valid_to", where),
            summary=check.text(node, "summary", where, place=f"{measure_id}.summary"),
            support=check.text(node, "support", where, place=f"{measure_id}.support"),
            amounts=amounts, addresses=tuple(addresses),
            eligibility=_eligibility(check, node.get("eligibility"), where),
            also_check=tuple(check.text({"t": a}, "t", f"{where}: also_check",
                                        place=f"{measure_id}.also_check.{n}")
                             for n, a in enumerate(also, 1)),
            source_urls=tuple(str(u) for u in urls),
            last_checked=check.day(node, "last_checked", where, required=True) or date.min,
            unverified=check.text(node, "unverified", where, required=False,
                                  place=f"{measure_id}.unverified"),
            evidence=read_evidence(check, node.get("evidence"), where, sector=level == "sector"),
            changes=_changes(check, node.get("changes"), where, measure_id),
        ))
    for m in measures:  # a check older than a page it relies on confirmed an older page
        newer = [e for e in m.evidence if e.source_date and e.source_date > m.last_checked]
        if newer:
            check.problem(f"measure {m.id}", f"last_checked {m.last_checked} is older than the "
                          f"page of {newer[0].source_date} it relies on ({newer[0].url}): "
                          "read the measure again")
    check.unique([m.id for m in measures], "measure")
    if check.problems:
        raise CatalogueError(check.problems)
    return tuple(measures)
