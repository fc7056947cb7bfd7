"""Support recommendations: which public measures fit an organisation, why, and which do not.

The measures are data (:mod:`assessment.catalogue`). This module is the engine: pure and
deterministic. :func:`recommend` takes a profile, the measured gaps and a date and returns the
measures that fit, ranked as :func:`recommend` says, each with its reasons in plain language;
and the measures that do not fit, each with why not. An entry past its end date, or last
checked more than a year ago, carries a "check current conditions" flag.

Eligibility is a small vocabulary of conditions (region, size class, headcount, legal form,
sector, joint committee, employer type; and, for the outplacement check, age, notice,
seniority, kind of dismissal). Each condition is met, not met, or unknown when the profile does
not say; unknown conditions do not exclude a measure but are listed ("fill in your region").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from . import collective_dismissal, formatting
from .catalogue import STALE_AFTER, Measure
from .datafile import Text
from .evidence import Evidence
from .i18n import Message
from .profile import Profile, size_class

# --- the engine ----------------------------------------------------------------------------


# Where a gap comes from, in the order it ranks: what employees answered in a survey round
# (measured), the employer's estimate of that same share (self-assessed), and the employer's
# own practice score (self-assessed, on another scale: 100 minus the score).
GAP_SOURCES = ("employees", "estimate", "practice")


@dataclass(frozen=True)
class Gap:
    """A gap a measure can address: a scale with many employees at knelpunt (measured, or the
    employer's own estimate before any round), or a weak practice area. ``size`` (0–100) ranks
    gaps of one source; :attr:`rank` ranks gaps of every source together. ``label`` names the
    scale or area, for a table cell or a select box."""

    id: str
    size: float
    message: Message
    source: str = "employees"
    label: Text | None = None

    @property
    def measured(self) -> bool:
        return self.source == "employees"

    @property
    def rank(self) -> tuple:
        """Sort key, largest first: every measured gap before every self-assessed one (a
        practice score of 35/100 is the employer's own view, a knelpunt share of 53% is what
        employees said), then by size, then by id so ties keep one order."""
        return (GAP_SOURCES.index(self.source), -self.size, self.id)


@dataclass(frozen=True)
class Condition:
    met: bool | None  # None: the profile does not say
    message: Message
    evidence: tuple[Evidence, ...] = ()  # the sources' sentences behind it, where the data has them


@dataclass(frozen=True)
class Recommendation:
    measure: Measure
    fits: bool
    gaps: tuple[Gap, ...]  # the organisation's gaps this measure addresses, largest first
    conditions: tuple[Condition, ...]
    support: Message | Text
    flags: tuple[Message, ...]  # "check current conditions", with why

    @property
    def reasons_not(self) -> tuple[Message, ...]:
        """Why it does not fit, in words."""
        failed = tuple(c.message for c in self.conditions if c.met is False)
        if self.measure.status == "discontinued":
            return (Message("rec.discontinued", {"date": Day(self.measure.valid_to)}),) + failed
        if not failed and not self.gaps:
            return (Message("rec.no_gap"),)
        return failed

    @property
    def unknown(self) -> tuple[Message, ...]:
        return tuple(c.message for c in self.conditions if c.met is None)

    def ended(self, today: date) -> bool:
        """Not open now (:meth:`Measure.live_state`: the call or scheme ended, or no call is
        open): it may fit, but the employer can only watch for the next call."""
        return self.measure.live_state(today) in ("ended", "no_open_call")


@dataclass(frozen=True)
class Advice:
    fitting: tuple[Recommendation, ...]
    not_fitting: tuple[Recommendation, ...]
    ended: tuple[Recommendation, ...] = ()  # would fit, but no call is open now: watch for one
    obligations: tuple[Recommendation, ...] = ()  # what the law requires of this organisation


@dataclass(frozen=True)
class Day:
    """A date that formats itself per language (27/11/2026), "—" when unknown."""

    value: date | None

    def __call__(self, lang: str) -> str:
        return formatting.day(self.value, lang)


@dataclass(frozen=True)
class Decimal1:
    """A percentage with one decimal, written the way the reader writes it: 33,2 or 33.2."""

    value: float | None

    def __call__(self, lang: str) -> str:
        return formatting.number(self.value, lang, 1)


@dataclass(frozen=True)
class Euro:
    """An amount that formats itself per language: €7.500 in Dutch, €7,500 in English."""

    amount: float

    def __call__(self, lang: str) -> str:
        return formatting.euro(self.amount, lang)


def check_conditions(rules: dict, profile: Profile, case: DismissalCase | None = None
                     ) -> tuple[Condition, ...]:
    """Evaluate every eligibility condition of a measure against a profile (and, for the
    outplacement check, a dismissal case)."""
    out = []
    headcount = profile.headcount
    for key, value in rules.items():
        if key == "regions":
            out.append(_member(profile.region, value, "region"))
        elif key == "size_classes":
            if headcount is None:
                out.append(Condition(None, Message("cond.unknown", {"what": Message(
                    "field.headcount")})))
            else:
                size = size_class(headcount, profile.turnover_eur, profile.balance_total_eur)
                out.append(Condition(size.code in value, Message(
                    "cond.size_ok" if size.code in value else "cond.size_not",
                    {"size": Message(f"size.{size.code}"), "headcount": headcount,
                     "rule": Message(size.rule_key, size.params)})))
        elif key in ("min_employees", "max_employees"):
            out.append(_bound(headcount, value, key.startswith("min"), "employees", "headcount"))
        elif key == "excluded_legal_forms":
            if profile.legal_form is None:
                out.append(Condition(None, Message("cond.unknown",
                                                   {"what": Message("field.legal_form")})))
            else:
                ok = profile.legal_form not in value
                out.append(Condition(ok, Message("cond.legal_form_ok" if ok else
                                                 "cond.legal_form_not",
                                                 {"form": Message(f"legal.{profile.legal_form}")})))
        elif key == "sector" and value != "any":
            out.append(_sector(profile.social_profit, value))
        elif key == "employer" and value != "any":
            kind = profile.employer_type if case is None else case.employer
            if kind is None:
                out.append(Condition(None, Message("cond.unknown",
                                                   {"what": Message("field.legal_form")})))
            else:
                out.append(Condition(kind == value, Message(
                    "cond.employer_ok" if kind == value else "cond.employer_not",
                    {"employer": Message(f"employer.{kind}")})))
        elif key in ("joint_committees", "excluded_joint_committees"):
            out.append(_joint(profile.joint_committees, value, key.startswith("excluded")))
        elif key == "restructuring_rules":  # dismissal_types says when the case is another kind
            if case is not None and case.dismissal == "collective":
                out.extend(_restructuring(case, profile))
        elif case is not None:
            out.append(_dismissal_condition(key, value, case))
    return tuple(out)


def _member(actual: str | None, allowed: list, what: str) -> Condition:
    if actual is None:
        return Condition(None, Message("cond.unknown", {"what": Message(f"field.{what}")}))
    ok = actual in allowed
    return Condition(ok, Message(f"cond.{what}_{'ok' if ok else 'not'}",
                                 {what: Message(f"{what}.{actual}")}))


def _bound(actual: float | None, limit: float, minimum: bool, unit: str, field: str,
           strict: bool = False) -> Condition:
    """``actual >= limit`` (minimum), ``actual <= limit``, or ``actual < limit`` (strict)."""
    if actual is None:
        return Condition(None, Message("cond.unknown", {"what": Message(f"field.{field}")}))
    ok = actual >= limit if minimum else (actual < limit if strict else actual <= limit)
    rule = f"min_{unit}" if minimum else (f"{unit}_below" if strict else f"max_{unit}")
    key = f"cond.{rule}_{'ok' if ok else 'not'}"
    return Condition(ok, Message(key, {"actual": _number(actual), "limit": _number(limit)}))


def _number(value: float) -> str:
    return f"{value:g}"


def _sector(social_profit: bool | None, rule: str) -> Condition:
    if social_profit is None:
        return Condition(None, Message("cond.unknown", {"what": Message("field.social_profit")}))
    if rule == "profit_or_listed_social_profit":  # the list itself is not in our data
        return Condition(None if social_profit else True, Message(
            "cond.social_profit_listed" if social_profit else "cond.profit_ok"))
    ok = social_profit == (rule == "social_profit")
    kind = "social_profit" if social_profit else "profit"
    return Condition(ok, Message(f"cond.{kind}_{'ok' if ok else 'not'}"))


def _joint(actual: tuple[str, ...], listed: list[str], excluded: bool) -> Condition:
    if not actual:  # a measure for named committees does not apply to an unknown one
        return Condition(None, Message("cond.unknown", {"what": Message(
            "field.joint_committees")})) if excluded else Condition(False, Message(
                "cond.pc_unknown", {"listed": ", ".join(listed)}))
    hits = [pc for pc in actual if pc in listed or pc.split(".")[0] in listed]
    ok = not hits if excluded else bool(hits)
    if excluded:
        return Condition(ok, Message("cond.pc_excluded_ok" if ok else "cond.pc_excluded_not",
                                     {"pc": ", ".join(hits or actual)}))
    parents = [pc for pc in actual if any(sub.split(".")[0] == pc for sub in listed)]
    if not ok and parents:  # "140" for a measure of sub-committee 140.03: it may be theirs
        return Condition(None, Message("cond.pc_sub", {
            "pc": ", ".join(parents), "listed": ", ".join(listed)}))
    return Condition(ok, Message("cond.pc_ok" if ok else "cond.pc_not",
                                 {"pc": ", ".join(hits or actual),
                                  "listed": ", ".join(listed)}))


def measure_support(measure: Measure, profile: Profile) -> Message | Text:
    """The expected support in one sentence: from the structured amounts where they give a rate
    for this organisation's size, else the catalogue's own wording."""
    amounts = measure.amounts
    rate = amounts.get("rate_pct")
    if isinstance(rate, dict):
        if profile.headcount is None:
            return measure.support
        size = size_class(profile.headcount, profile.turnover_eur, profile.balance_total_eur)
        rate = rate.get(size.code)
    if isinstance(rate, int | float) and "max_eur" in amounts:
        return Message(f"support.rate_max_{amounts.get('per', 'once')}",
                       {"rate": _number(rate), "max": Euro(amounts["max_eur"])})
    return measure.support


def _flags(measure: Measure, today: date) -> tuple[Message, ...]:
    flags = []
    state = measure.live_state(today)
    if measure.valid_to and measure.valid_to < today and measure.status != "discontinued":
        flags.append(Message("rec.flag_ended", {"date": Day(measure.valid_to)}))
    elif state == "no_open_call":  # no known call at all, or one still to come
        flags.append(Message("rec.flag_no_call"))
    flags += [Message("rec.flag_changed", {"date": Day(c.on), "what": c.what})
              for c in measure.recent_changes(today)]
    flags += [Message("rec.flag_changes", {"date": Day(c.on), "what": c.what})
              for c in measure.coming_changes(today)]
    if today - measure.last_checked > STALE_AFTER:
        flags.append(Message("rec.flag_old", {"date": Day(measure.last_checked)}))
    return tuple(flags)


def evaluate(measure: Measure, profile: Profile, gaps: list[Gap], today: date,
             case: DismissalCase | None = None) -> Recommendation:
    """One measure against one organisation: its conditions, the gaps it addresses (measured
    ones first, see :attr:`Gap.rank`), the flags. A workability measure fits only when it
    addresses a gap, except a legal obligation, which applies whatever the results say."""
    conditions = check_conditions(measure.eligibility, profile, case)
    addressed = tuple(sorted(
        (g for g in gaps if "any" in measure.addresses or g.id in measure.addresses),
        key=lambda g: g.rank))
    needs_gap = measure.context == "workability" and measure.kind != "obligation"
    fits = (measure.status != "discontinued"
            and all(c.met is not False for c in conditions)
            and (bool(addressed) or not needs_gap))
    return Recommendation(measure, fits, addressed, conditions,
                          measure_support(measure, profile), _flags(measure, today))


HELP_KINDS = ("service", "network", "information")  # help to ask for now, no application round


def _rank(rec: Recommendation) -> tuple:
    no_gap = (len(GAP_SOURCES), 0.0, "")
    generic = "any" in rec.measure.addresses
    tier = 0 if rec.measure.kind in HELP_KINDS else 1
    return (tier, rec.gaps[0].rank if rec.gaps else no_gap, generic, -len(rec.gaps),
            rec.measure.id)


def recommend(profile: Profile, gaps: list[Gap], catalogue: tuple[Measure, ...], today: date
              ) -> Advice:
    """What the law requires, the workability measures that fit, and those that do not.

    The ranking rule, in this order:

    1. Legal obligations that apply (kind ``obligation``: the psychosocial risk analysis, the
       prevention policy) are not ranked among the subsidies: they come first, in
       :attr:`Advice.obligations`, whether or not a gap was measured.
    2. Then what the employer can do this month: help available now (:data:`HELP_KINDS`: the
       sector consultant, the sector fund's own programmes, a network) before subsidies open
       now; calls that are not open come last, in :attr:`Advice.ended`.
    3. Within each, by the best gap a measure addresses, by :attr:`Gap.rank`: a measure
       addressing a gap measured in the employees' survey comes before every measure that
       addresses only self-assessed gaps (the employer's estimate, then the practice scores),
       whatever their sizes; among measured gaps the larger share with a knelpunt first. So a
       self-assessed diversity score of 35/100 never outranks a measured werkdruk knelpunt of
       53%.
    4. Ties on that gap: a measure made for it before a generic one (``addresses: [any]``, a
       sector fund's whole offer, which "addresses" every gap), then the measure addressing
       more gaps, then by id, so the order is stable.

    Only what the employer can act on now fits: a standing scheme, or a call open today
    (:meth:`Measure.live_state`). A measure that would fit but has no open call now goes to
    :attr:`Advice.ended` ("watch for the next call", with the last known terms); the measures
    that do not fit are listed by id, each with why not.
    """
    evaluated = [evaluate(m, profile, gaps, today) for m in catalogue
                 if m.context == "workability"]
    fitting = sorted((r for r in evaluated if r.fits), key=_rank)
    not_fitting = sorted((r for r in evaluated if not r.fits), key=lambda r: r.measure.id)
    current = [r for r in fitting if not r.ended(today)]
    return Advice(
        fitting=tuple(r for r in current if r.measure.kind != "obligation"),
        not_fitting=tuple(not_fitting),
        ended=tuple(r for r in fitting if r.ended(today)),
        obligations=tuple(r for r in current if r.measure.kind == "obligation"))


# --- gaps ----------------------------------------------------------------------------------

SCALE_MIN_SHARE_PCT = 20  # a scale is a gap when at least this share of employees has a knelpunt
PRACTICE_MAX_SCORE = 50  # a practice area is a gap when its score is at most this


def scale_gaps(shares: dict[str, float], labels: dict[str, Text], from_estimate: bool,
               benchmarks: dict[str, float] | None = None) -> list[Gap]:
    """Gaps from the share of employees with a knelpunt per scale: measured (the employees'
    result) or, when there is no employee round yet, the employer's own estimate."""
    gaps = []
    for scale, share in shares.items():
        if share < SCALE_MIN_SHARE_PCT:
            continue
        flanders = (benchmarks or {}).get(scale)
        key = "gap.estimate" if from_estimate else (
            "gap.employees_vs" if flanders is not None else "gap.employees")
        gaps.append(Gap(scale, share, Message(key, {"scale": labels[scale], "pct": round(share),
                                                   "flanders": Decimal1(flanders)}),
                        "estimate" if from_estimate else "employees", labels[scale]))
    return gaps


def practice_gaps(practices: dict[str, float], labels: dict[str, Text]) -> list[Gap]:
    """Gaps from weak practice areas in the employer self-assessment (self-assessed)."""
    return [Gap(area, 100 - score, Message("gap.practice", {"area": labels[area],
                                                           "score": round(score)}),
                "practice", labels[area])
            for area, score in practices.items() if score <= PRACTICE_MAX_SCORE]


# --- the outplacement check ----------------------------------------------------------------


@dataclass(frozen=True)
class DismissalCase:
    """One planned dismissal, as the outplacement check asks for it."""

    dismissal: str  # "individual" or "collective"
    age: int
    notice_weeks: float  # notice period or compensation in weeks
    seniority_years: float
    employer: str  # "private" or "public"
    urgent_reason: bool = False  # dismissal for urgent reason (dringende reden)
    employer_cannot_bear_cost: bool = False
    no_outplacement_offered: bool = False  # the 45+ obligation was not met
    dismissed_count: int | None = None  # collective: workers dismissed in the restructuring
    reduced_age_swt: bool = False  # collective: workers leave on SWT at a reduced age
    disabled_only: bool = False  # collective, PC 327: every dismissed worker has a disability


def _restructuring(case: DismissalCase, profile: Profile) -> tuple[Condition, ...]:
    """The employment cell's rule table (:mod:`assessment.collective_dismissal`), as
    conditions: every reason of the ruling carries its outcome, so a caution ("our reading of
    a sub-committee") shows with it whether the regime applies or not."""
    ruling = collective_dismissal.rule(collective_dismissal.Restructuring(
        profile.headcount, case.dismissed_count, profile.joint_committees, case.reduced_age_swt,
        case.disabled_only))
    first, *rest = ruling.reasons
    return (Condition(ruling.applies, first, ruling.evidence),
            *(Condition(ruling.applies, reason) for reason in rest))


def _dismissal_condition(key: str, value: Any, case: DismissalCase) -> Condition:
    if key in ("min_age", "age_below"):
        return _bound(case.age, value, key == "min_age", "age", "age", strict=True)
    if key in ("min_notice_weeks", "notice_weeks_below"):
        return _bound(case.notice_weeks, value, key == "min_notice_weeks", "notice",
                      "notice_weeks", strict=True)
    if key == "min_seniority_years":
        return _bound(case.seniority_years, value, True, "seniority", "seniority_years")
    if key == "dismissal_types":
        ok = case.dismissal in value
        return Condition(ok, Message(f"cond.dismissal_{'ok' if ok else 'not'}",
                                     {"kind": Message(f"dismissal.{case.dismissal}")}))
    if key == "requires":  # any one of the listed situations
        present = [flag for flag in value if getattr(case, flag)]
        if present:
            return Condition(True, Message("cond.requires_ok",
                                           {"what": Message(f"requires.{present[0]}")}))
        return Condition(False, Message("cond.requires_not", {"what": Message(
            "requires.either", {"a": Message(f"requires.{value[0]}"),
                                "b": Message(f"requires.{value[-1]}")})
            if len(value) > 1 else Message(f"requires.{value[0]}")}))
    raise ValueError(f"unknown condition {key}")


def outplacement_check(case: DismissalCase, profile: Profile, catalogue: tuple[Measure, ...],
                       today: date) -> Advice:
    """What applies to one dismissal: every measure of the dismissal context, with the
    conditions that decide it. A dismissal for urgent reason brings no outplacement duty."""
    evaluated = []
    for measure in (m for m in catalogue if m.context == "dismissal"):
        rec = evaluate(measure, profile, [], today, case)
        if case.urgent_reason and measure.kind == "obligation":
            rec = Recommendation(rec.measure, False, (), rec.conditions + (
                Condition(False, Message("cond.urgent_reason")),), rec.support, rec.flags)
        evaluated.append(rec)
    return Advice(tuple(r for r in evaluated if r.fits),
                  tuple(r for r in evaluated if not r.fits))
