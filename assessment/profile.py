"""The organisation profile: the facts that decide which public support an organisation can use.

Enterprise number (KBO/BCE, 10 digits with mod-97 check digits), NACE-BEL code with its version,
joint committees (paritaire comités), headcount and FTE, optional turnover and balance-sheet
total, legal form, region of establishment and social profit or not. Derived: the EU size class,
with the rule that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import nace
from .errors import InputError, Problem
from .organisations import MAX_HEADCOUNT
from .storage import connection, write_transaction

REGIONS = ("flanders", "brussels", "wallonia")
LEGAL_FORMS = (
    "bv", "nv", "cv", "vof", "commv", "vzw", "ivzw", "stichting", "eenmanszaak",
    "tijdelijke_handelsvennootschap", "feitelijke_vereniging", "stille_handelsvennootschap",
    "maatschap", "publiekrechtelijk", "other",
)
NACE_VERSIONS = ("2008", "2025")
MICRO, SMALL, MEDIUM, LARGE = "micro", "small", "medium", "large"
SIZE_CLASSES = (MICRO, SMALL, MEDIUM, LARGE)
# EU Recommendation 2003/361/EC: headcount below, and turnover or balance sheet at most (EUR).
SIZE_RULES = (
    (MICRO, 10, 2_000_000, 2_000_000),
    (SMALL, 50, 10_000_000, 10_000_000),
    (MEDIUM, 250, 50_000_000, 43_000_000),
)
MAX_EUR = 10**13
_JOINT_COMMITTEE = re.compile(r"^\d{3}(\.\d{2})?$")

# NACE-BEL 2025 (NACE Rev. 2.1) divisions per section. The letters after I differ from 2008.
NACE_2025_SECTIONS = {
    "A": range(1, 4), "B": range(5, 10), "C": range(10, 34), "D": range(35, 36),
    "E": range(36, 40), "F": range(41, 44), "G": range(46, 48), "H": range(49, 54),
    "I": range(55, 57), "J": range(58, 61), "K": range(61, 64), "L": range(64, 67),
    "M": range(68, 69), "N": range(69, 76), "O": range(77, 83), "P": range(84, 85),
    "Q": range(85, 86), "R": range(86, 89), "S": range(90, 94), "T": range(94, 97),
    "U": range(97, 99), "V": range(99, 100),
}


@dataclass(frozen=True)
class Profile:
    """What the recommendation engine needs to know about an organisation. ``None`` means
    unknown (not given)."""

    enterprise_number: str | None = None  # 10 digits, normalised
    nace_version: str = "2008"
    nace_division: str | None = None  # two digits
    joint_committees: tuple[str, ...] = ()  # "124", "111.01", ...
    headcount: int | None = None
    fte: float | None = None
    turnover_eur: int | None = None
    balance_total_eur: int | None = None
    legal_form: str | None = None
    region: str | None = None
    social_profit: bool | None = None

    @property
    def employer_type(self) -> str | None:
        """``public`` for a public-law body, ``private`` otherwise (None when unknown)."""
        if self.legal_form is None:
            return None
        return "public" if self.legal_form == "publiekrechtelijk" else "private"


@dataclass(frozen=True)
class SizeClass:
    code: str  # micro, small, medium, large
    rule_key: str  # i18n key of the sentence that explains the decision
    params: dict


def normalise_enterprise_number(value: str) -> str:
    """Digits only, without a ``BE`` prefix: ``BE 0403.170.701`` → ``0403170701``."""
    text = re.sub(r"[\s.\-/]", "", str(value or "")).upper()
    return text[2:] if text.startswith("BE") else text


def enterprise_number_valid(value: str) -> bool:
    """A Belgian enterprise number: 10 digits, starting with 0 or 1, whose last two digits
    are 97 minus the first eight modulo 97."""
    digits = normalise_enterprise_number(value)
    if not re.fullmatch(r"[01]\d{9}", digits):
        return False
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def format_enterprise_number(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def size_class(headcount: int, turnover_eur: int | None, balance_total_eur: int | None
               ) -> SizeClass:
    """The EU size class (Recommendation 2003/361/EC, as used for the kmo-portefeuille): a
    class applies when the headcount is below its ceiling and the turnover *or* the balance
    sheet total is at most its ceiling. Without turnover and balance sheet, only the headcount
    decides, and the rule says so."""
    financials = [v for v in (turnover_eur, balance_total_eur) if v is not None]
    for code, max_staff, max_turnover, max_balance in SIZE_RULES:
        if headcount >= max_staff:
            continue
        params = {"headcount": headcount, "limit": max_staff,
                  "turnover": _eur(max_turnover), "balance": _eur(max_balance)}
        if not financials:
            return SizeClass(code, "size.rule_headcount_only", params)
        if (turnover_eur is not None and turnover_eur <= max_turnover) or (
            balance_total_eur is not None and balance_total_eur <= max_balance
        ):
            return SizeClass(code, "size.rule_met", params)
    last = SIZE_RULES[-1]
    if headcount >= last[1]:
        return SizeClass(LARGE, "size.rule_large_headcount",
                         {"headcount": headcount, "limit": last[1]})
    return SizeClass(LARGE, "size.rule_large_financial",
                     {"headcount": headcount, "turnover": _eur(last[2]), "balance": _eur(last[3])})


def _eur(amount: int) -> str:
    return f"{amount // 1_000_000}"


def parse_joint_committees(text: str) -> tuple[list[str], list[str]]:
    """Split ``"124, 200 111.01"`` into valid codes and the parts that are not codes."""
    good, bad = [], []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        (good if _JOINT_COMMITTEE.match(part) else bad).append(part)
    return sorted(set(good)), bad


def nace_2025_section(division: str) -> str | None:
    if not re.fullmatch(r"\d{2}", division or ""):
        return None
    number = int(division)
    return next((s for s, r in NACE_2025_SECTIONS.items() if number in r), None)


def validate_profile(profile: Profile, bad_joint_committees: list[str] = ()) -> list[Problem]:
    """Every problem with a profile, as translatable messages."""
    problems = []
    if profile.enterprise_number and not enterprise_number_valid(profile.enterprise_number):
        problems.append(Problem("enterprise_number", "error.enterprise_number"))
    if profile.nace_version not in NACE_VERSIONS:
        problems.append(Problem("nace_version", "error.nace_version"))
    elif profile.nace_division:
        known = (nace.lookup(profile.nace_division) if profile.nace_version == "2008"
                 else nace_2025_section(profile.nace_division))
        if not known:
            problems.append(Problem("nace_division", "error.nace_code"))
    if bad_joint_committees:
        problems.append(Problem("joint_committees", "error.joint_committee",
                                {"value": ", ".join(bad_joint_committees)}))
    if not _whole(profile.headcount, 1, MAX_HEADCOUNT):
        problems.append(Problem("headcount", "error.headcount", {"max": MAX_HEADCOUNT}))
    if profile.fte is not None and (
        isinstance(profile.fte, bool) or not isinstance(profile.fte, int | float)
        or not 0 < profile.fte <= MAX_HEADCOUNT
        or (_whole(profile.headcount, 1, MAX_HEADCOUNT) and profile.fte > profile.headcount)
    ):
        problems.append(Problem("fte", "error.fte"))
    for name in ("turnover_eur", "balance_total_eur"):
        value = getattr(profile, name)
        if value is not None and not _whole(value, 0, MAX_EUR):
            problems.append(Problem(name, "error.amount"))
    if profile.legal_form is not None and profile.legal_form not in LEGAL_FORMS:
        problems.append(Problem("legal_form", "error.legal_form"))
    if profile.region is not None and profile.region not in REGIONS:
        problems.append(Problem("region", "error.region"))
    return problems


def _whole(value: object, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def parse_amount(text: str) -> int | None:
    """Read an amount in euro as typed: ``1.250.000``, ``1 250 000``, ``€ 1250000``,
    ``1250000,00`` or ``1.5 mio``.

    :raises ValueError: when it is not an amount (letters, two decimal separators, negative).
    """
    raw = (text or "").strip().lower().replace("€", "").replace("eur", "").strip()
    if not raw:
        return None
    factor = 1
    for suffix, multiple in (("mio", 10**6), ("miljoen", 10**6), ("million", 10**6),
                             ("m", 10**6), ("k", 10**3)):
        if raw.endswith(suffix):
            raw, factor = raw[: -len(suffix)].strip(), multiple
            break
    raw = raw.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw) and factor == 1:
        raw = re.sub(r"[.,]", "", raw)  # thousands separators
    elif re.fullmatch(r"\d+([.,]\d{3})*[.,]\d{1,2}", raw):
        whole, decimals = re.split(r"[.,](?=\d{1,2}$)", raw)
        raw = re.sub(r"[.,]", "", whole) + "." + decimals
    if not re.fullmatch(r"\d+(\.\d+)?", raw):
        raise ValueError(f"not an amount: {text!r}")
    return round(float(raw) * factor)


def load_profile(ctx, organisation_id: int) -> Profile | None:
    """The stored profile of an organisation, or ``None`` when the organisation is unknown."""
    with connection(ctx) as db:
        row = next(db.query("select * from organisations where id = ?", [organisation_id]),
                   None)
    if row is None:
        return None
    return Profile(
        enterprise_number=row["enterprise_number"],
        nace_version=row["nace_version"] or "2008",
        nace_division=row["nace_division"],
        joint_committees=tuple((row["joint_committees"] or "").split()),
        headcount=row["headcount"],
        fte=row["fte"],
        turnover_eur=row["turnover_eur"],
        balance_total_eur=row["balance_total_eur"],
        legal_form=row["legal_form"],
        region=row["region"],
        social_profit=None if row["social_profit"] is None else bool(row["social_profit"]),
    )


def save_profile(ctx, organisation_id: int, profile: Profile,
                 bad_joint_committees: list[str] = ()) -> Profile:
    """Validate and store a profile; return it as stored (enterprise number normalised).

    :raises InputError: listing every problem; nothing is stored then.
    """
    problems = validate_profile(profile, bad_joint_committees)
    if problems:
        raise InputError(problems)
    if profile.enterprise_number:
        profile = replace(profile,
                          enterprise_number=normalise_enterprise_number(profile.enterprise_number))
    section = (nace.lookup(profile.nace_division).section if profile.nace_version == "2008"
               else nace_2025_section(profile.nace_division)) if profile.nace_division else None
    with write_transaction(ctx) as db:
        values = {
            "enterprise_number": profile.enterprise_number or None,
            "nace_version": profile.nace_version,
            "nace_division": profile.nace_division,
            "joint_committees": " ".join(profile.joint_committees) or None,
            "headcount": profile.headcount,
            "fte": profile.fte,
            "turnover_eur": profile.turnover_eur,
            "balance_total_eur": profile.balance_total_eur,
            "legal_form": profile.legal_form,
            "region": profile.region,
            "social_profit": None if profile.social_profit is None else int(profile.social_profit),
        }
        if section:
            values["nace_section"] = section
        if not db.execute("select 1 from organisations where id = ?",
                          [organisation_id]).fetchone():
            raise InputError([Problem("organisation", "error.unknown_organisation")])
        db["organisations"].update(organisation_id, values)
    return profile
