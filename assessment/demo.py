"""Demo data: fictional organisations in different sectors, with departments (some too small to
show, as in real organisations), two survey rounds each and plausible answers, so a new user
sees a full dashboard at once. Eleven of them are care organisations of joint committee 330,
enough for pooled sector figures (:data:`DEMO_SECTOR`, :mod:`assessment.sector`).

Deterministic: the answers come from a seeded generator, so the same call gives the same
responses (the round dates are set relative to ``today``). Loading is idempotent: an
organisation whose name already exists is left alone.

Answers are drawn from a simple model: each organisation has a profile (a mean per scale on
0–100, in the scale's own direction), departments shift it, each respondent varies around it,
and werkstress follows werkdruk, as in the monitor's analyses. One tiny organisation has too
few respondents, so its dashboard shows the confidentiality message.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import demo_module
from .access import PC, Sector
from .actions import add_action
from .organisations import create_organisation, get_organisation, list_organisations
from .profile import Profile, save_profile
from .questionnaire import Questionnaire, load_employee_questionnaire
from .responses import store_response
from .rounds import close_round, create_invitations, hash_token, open_round
from .scoring import score_response
from .self_assessment import ESTIMATE, load_employer_questionnaire, save_draft
from .storage import write_transaction

SEED = 20261122

# Profile values: how much of each construct, 0–100 (werkstress high = much fatigue, ...).
BASE = {
    "werkstress": 45,
    "motivatie": 66,
    "leermogelijkheden": 60,
    "werk_prive_balans": 64,
    "werkdruk": 55,
    "emotionele_belasting": 40,
    "taakvariatie": 62,
    "autonomie": 58,
    "ondersteuning_leiding": 64,
    "fysieke_omstandigheden": 30,
}


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    nace_section: str
    nace_division: str
    headcount: int
    departments: dict[str, tuple[float, dict[str, float]]]  # name → (weight, profile shifts)
    profile: dict[str, float] = field(default_factory=dict)  # shifts from BASE
    respondents: tuple[int, int] = (0, 0)  # first round, second round
    facts: dict = field(default_factory=dict)  # profile facts (assessment.profile.Profile)


ORGANISATIONS = (
    DemoOrganisation(
        "Zorggroep Scheldeland",
        "Q",
        "87",
        180,
        {
            "Verpleging": (0.40, {"werkdruk": 12, "werkstress": 8}),
            "Zorg en bewoners": (0.30, {"emotionele_belasting": 8}),
            "Keuken": (0.15, {"fysieke_omstandigheden": 20, "taakvariatie": -15}),
            "Onderhoud": (0.03, {"fysieke_omstandigheden": 25}),  # too small to show
            "Directie": (0.02, {"werkdruk": 10}),  # too small to show
            "Administratie": (0.10, {"emotionele_belasting": -20}),
        },
        {"emotionele_belasting": 22, "werkdruk": 8, "motivatie": 6, "fysieke_omstandigheden": 15},
        (118, 131),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 151.5, "enterprise_number": "0410123423"},
    ),
    DemoOrganisation(
        "Bouwbedrijf De Kempen",
        "F",
        "41",
        65,
        {
            "Werf": (0.7, {"fysieke_omstandigheden": 15}),
            "Planning en calculatie": (0.18, {"werkdruk": 10}),
            "Administratie": (0.12, {}),
        },
        {"fysieke_omstandigheden": 30, "emotionele_belasting": -12, "autonomie": 4},
        (41, 47),
        {"legal_form": "bv", "social_profit": False, "joint_committees": ("124", "200"),
         "fte": 62.0, "turnover_eur": 9_400_000, "enterprise_number": "0456789034"},
    ),
    DemoOrganisation(
        "Logistiek Waasland",
        "H",
        "49",
        120,
        {
            "Chauffeurs": (0.45, {"werk_prive_balans": -14, "autonomie": 6}),
            "Magazijn": (0.35, {"taakvariatie": -16, "autonomie": -12}),
            "Planning": (0.12, {"werkdruk": 14}),
            "Kantoor": (0.08, {}),
        },
        {"werk_prive_balans": -8, "taakvariatie": -8, "leermogelijkheden": -10, "motivatie": -6},
        (74, 82),
        {"legal_form": "nv", "social_profit": False, "joint_committees": ("140", "200"),
         "fte": 113.0, "turnover_eur": 31_000_000, "balance_total_eur": 18_000_000,
         "enterprise_number": "0789456175"},
    ),
    DemoOrganisation(
        "Softwarehuis Leie",
        "J",
        "62",
        42,
        {
            "Ontwikkeling": (0.6, {"leermogelijkheden": 8}),
            "Support": (0.25, {"werkdruk": 10, "taakvariatie": -6}),
            "Sales": (0.15, {"werk_prive_balans": -8}),
        },
        {
            "leermogelijkheden": 14,
            "autonomie": 14,
            "fysieke_omstandigheden": -22,
            "taakvariatie": 8,
        },
        (28, 33),
        {"legal_form": "bv", "social_profit": False, "joint_committees": ("200",),
         "fte": 39.0, "turnover_eur": 4_200_000, "enterprise_number": "0712345630"},
    ),
    DemoOrganisation(
        "Bakkerij Van Dijck",
        "C",
        "10",
        8,
        {"Atelier": (0.7, {}), "Winkel": (0.3, {})},
        {"fysieke_omstandigheden": 18},
        (3, 4),
        {"legal_form": "bv", "social_profit": False, "joint_committees": ("118.03", "201"),
         "fte": 6.5, "enterprise_number": "0654321022"},
    ),
    # Care organisations in joint committee 330 (NACE 87 and 88), added after the first five so
    # their seeds stay the same. Together with Zorggroep Scheldeland they make sector pc:330 show
    # its figures, with suppression at work (see DEMO_SECTOR).
    DemoOrganisation(
        "Woonzorgcentrum Ter Linde", "Q", "87", 95,
        {"Zorg en verpleging": (0.6, {"werkdruk": 10}),
         "Logistiek en schoonmaak": (0.2, {"fysieke_omstandigheden": 20, "taakvariatie": -10}),
         "Animatie en administratie": (0.2, {})},
        {"emotionele_belasting": 18, "werkdruk": 10, "fysieke_omstandigheden": 12,
         "werkstress": 4},
        (34, 38),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 78.4, "enterprise_number": "0459833943"},
    ),
    DemoOrganisation(
        "WZC Hof van Nazareth", "Q", "87", 120,
        {"Verpleging": (0.5, {"werkdruk": 12}),
         "Zorg": (0.3, {"emotionele_belasting": 6}),
         "Keuken en onderhoud": (0.2, {"fysieke_omstandigheden": 18})},
        {"emotionele_belasting": 20, "ondersteuning_leiding": 8, "motivatie": 8,
         "leermogelijkheden": 4},
        (36, 40),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 96.0, "enterprise_number": "0441122841"},
    ),
    DemoOrganisation(
        "Zorgcentrum De Vlasbloem", "Q", "87", 70,
        {"Zorg en verpleging": (0.7, {"werkdruk": 6}),
         "Hotel en onderhoud": (0.3, {"fysieke_omstandigheden": 15})},
        {"werkdruk": 16, "werkstress": 8, "ondersteuning_leiding": -10, "werk_prive_balans": -6,
         "emotionele_belasting": 16},
        (27, 31),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 55.2, "enterprise_number": "0737202374"},
    ),
    DemoOrganisation(
        "Residentie Molenbeek", "Q", "87", 44,
        {"Zorg": (0.7, {"emotionele_belasting": 6}),
         "Hotel en onderhoud": (0.3, {"fysieke_omstandigheden": 16})},
        {"werkdruk": 14, "emotionele_belasting": 14, "leermogelijkheden": -12, "autonomie": -8},
        (16, 19),
        {"legal_form": "nv", "social_profit": False, "joint_committees": ("330",),
         "fte": 38.5, "turnover_eur": 3_100_000, "enterprise_number": "0870317256"},
    ),
    DemoOrganisation(
        "Huize Sint-Jozef", "Q", "87", 38,
        {"Zorg": (0.75, {}), "Keuken en onderhoud": (0.25, {"fysieke_omstandigheden": 14})},
        {"emotionele_belasting": 14, "ondersteuning_leiding": 12, "motivatie": 10, "werkdruk": 4},
        (13, 15),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 31.0, "enterprise_number": "0413623935"},
    ),
    DemoOrganisation(
        "Zorgnetwerk Meetjesland", "Q", "88", 85,
        {"Gezinszorg": (0.55, {"werk_prive_balans": -6}),
         "Dagverzorging": (0.3, {}),
         "Coördinatie": (0.15, {"werkdruk": 10})},
        {"werk_prive_balans": -10, "autonomie": 10, "emotionele_belasting": 10,
         "fysieke_omstandigheden": 8, "taakvariatie": 4},
        (28, 33),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("318.02", "330"),
         "fte": 61.7, "enterprise_number": "0679377112"},
    ),
    DemoOrganisation(
        "Gezinszorg Waasland", "Q", "88", 260,
        {"Verzorgenden": (0.7, {}),
         "Logistieke hulp": (0.2, {"taakvariatie": -10}),
         "Staf": (0.1, {"werkdruk": 8})},
        {"werk_prive_balans": -12, "autonomie": 12, "fysieke_omstandigheden": 14,
         "leermogelijkheden": -4, "emotionele_belasting": 10},
        (34, 40),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("318.02", "330"),
         "fte": 182.0, "enterprise_number": "0830327027"},
    ),
    DemoOrganisation(
        "Dagcentrum De Brug", "Q", "88", 36,
        {"Begeleiding": (0.8, {}), "Vervoer en onderhoud": (0.2, {"fysieke_omstandigheden": 10})},
        {"werkdruk": -6, "motivatie": 10, "taakvariatie": 8, "emotionele_belasting": 8},
        (12, 14),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 27.5, "enterprise_number": "0682639181"},
    ),
    DemoOrganisation(
        "Dagverzorgingscentrum Zonnehoeve", "Q", "88", 28,
        {"Zorg": (0.8, {}), "Keuken": (0.2, {"fysieke_omstandigheden": 12})},
        {"werkdruk": 6, "emotionele_belasting": 12, "fysieke_omstandigheden": 10},
        (13, 16),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 22.0, "enterprise_number": "0897742225"},
    ),
    DemoOrganisation(
        "Dagverzorging De Schakel", "Q", "88", 31,
        {"Zorg en begeleiding": (0.7, {}), "Vervoer": (0.3, {"werk_prive_balans": -6})},
        {"ondersteuning_leiding": -8, "werkdruk": 8, "leermogelijkheden": -6},
        (15, 18),
        {"legal_form": "vzw", "social_profit": True, "joint_committees": ("330",),
         "fte": 24.6, "enterprise_number": "0602662384"},
    ),
)
ORIGINAL = 5  # the first five have two rounds; the care organisations after them also a third,
# two years ago, so the sector view (which publishes ended years only) has a trend

# The sector the demo is built to show (assessment.sector): eleven care organisations of joint
# committee 330 in NACE divisions 87 and 88. In the latest year the sector total, the medium-sized
# organisations and both divisions are shown; the one large organisation is hidden (too few
# organisations) and so are the small ones (complementary suppression: otherwise the total minus
# the shown classes would give the large one's figures). Joint committee 200 (three
# organisations) stays hidden altogether.
DEMO_SECTOR = Sector(PC, "330")
DEMO_HIDDEN_SECTOR = Sector(PC, "200")

AGE_BANDS = (("lt30", 0.2), ("30_39", 0.25), ("40_49", 0.25), ("50_54", 0.13), ("55plus", 0.17))
CONTRACTS = (("permanent", 0.82), ("fixed_term", 0.12), ("other", 0.06))
OPEN_ANSWERS = (
    "Meer collega's op piekmomenten zou veel verschil maken.",
    "Ik zou graag vaker een opleiding volgen.",
    "Betere planning van de shiften, liefst wat vroeger bekend.",
    "De sfeer in het team is goed, daar mogen we trots op zijn.",
    "Minder administratie zodat er meer tijd is voor het eigenlijke werk.",
    "Meer inspraak in hoe we ons werk organiseren.",
)


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def respondent_answers(
    rng: random.Random, questionnaire: Questionnaire, profile: dict[str, float]
) -> dict[str, int]:
    levels = {scale: rng.gauss(mean, 17) for scale, mean in profile.items()}
    levels["werkstress"] += 0.6 * (levels["werkdruk"] - profile["werkdruk"])
    levels["motivatie"] += 0.4 * (levels["taakvariatie"] - profile["taakvariatie"])
    answers = {}
    for item in questionnaire.items:
        if rng.random() < 0.02:  # now and then a question left open
            continue
        target = levels[item.scale]
        target = 100 - target if item.reverse else target
        answers[item.id] = min(5, max(1, round(1 + target / 25 + rng.gauss(0, 0.6))))
    return answers


def _fill_round(ctx,
    rng: random.Random,
    questionnaire: Questionnaire,
    round_id: int,
    org: DemoOrganisation,
    department_ids: dict[str, int],
    n: int,
    improvement: float,
    submitted_on: date,
    module: random.Random | None = None,
    ) -> None:
    """``module``: the generator of the psychosocial module's answers, for the round that
    asks it (:mod:`assessment.demo_module`)."""
    tokens = create_invitations(ctx, round_id, max(n, round(org.headcount * 0.92)))
    names = list(org.departments)
    weights = [org.departments[d][0] for d in names]
    with write_transaction(ctx) as db:
        for token in tokens[:n]:
            department = rng.choices(names, weights=weights)[0]
            profile = {
                s: v + org.profile.get(s, 0) + org.departments[department][1].get(s, 0)
                for s, v in BASE.items()
            }
            profile["werkdruk"] -= improvement
            profile["autonomie"] += improvement
            answers = respondent_answers(rng, questionnaire, profile)
            results, is_werkbaar = score_response(questionnaire, answers)
            if module is not None:
                answers |= demo_module.answers(module, department)
            skip_background = rng.random() < 0.1
            background = (
                {}
                if skip_background
                else {
                    "department": department_ids[department],
                    "age_band": _weighted(rng, AGE_BANDS),
                    "contract_type": _weighted(rng, CONTRACTS),
                }
            )
            open_answer = rng.choice(OPEN_ANSWERS) if rng.random() < 0.3 else ""
            db.execute("update invitations set used = 1 where token_hash = ?", [hash_token(token)])
            store_response(
                db,
                round_id,
                answers,
                results,
                is_werkbaar,
                background,
                open_answer,
                submitted_on,
                secrets.randbits(62),
            )


# Organisations that also filled in the self-assessment, with the action they took a year ago.
SELF_ASSESSED = {
    "Zorggroep Scheldeland": "Werkdruk samen met de teams herverdelen",
    "Logistiek Waasland": "Planning van de ritten vroeger bekendmaken",
}


def _self_assessment(ctx, rng: random.Random, org_id: int, on: date) -> None:
    """A completed self-assessment that underestimates the problems a little, as employers
    often do."""
    q = load_employer_questionnaire()
    answers: dict[str, object] = {}
    for item in q.items:
        if item.kind == ESTIMATE:
            answers[item.id] = rng.choice(["lt10", "10_25", "10_25", "25_50"])
        else:
            answers[item.id] = rng.choice([2, 3, 3, 4] if not item.reverse else [2, 3, 4, 4])
    save_draft(ctx, org_id, q, answers, len(q.sections), complete=True, today=on)


def _a_year_before(day: date) -> date:
    """The same day a calendar year earlier; 29 February becomes 28 February (``date.replace``
    alone raises ValueError there)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _first_round_dates(today: date) -> tuple[date, date]:
    """When the first round opens and closes: a year ago, closed four weeks later, but always
    in the calendar year before the one in which the second round closes (two days ago), so
    the sector trend has two years whatever the date. Only from early December (or on the
    first two days of January) does this move the round."""
    year_ago = today - timedelta(days=365)
    closes = min(year_ago + timedelta(days=28),
                 date((today - timedelta(days=2)).year - 1, 12, 31))
    return min(year_ago, closes - timedelta(days=28)), closes


def load_demo(ctx, today: date | None = None) -> list[str]:
    """Create the demo organisations that are not there yet; return their names.

    Each gets a round a year ago and one that closed two days ago, both with responses
    (figures are only published for closed rounds); the care organisations added for the
    sector view also one two years ago.
    """
    today = today or ctx.today
    questionnaire = load_employee_questionnaire()
    existing = {o.name for o in list_organisations(ctx)}
    created = []
    for number, org in enumerate(ORGANISATIONS):
        if org.name in existing:
            continue
        rng = random.Random(SEED + number)
        org_id = create_organisation(ctx,
            org.name,
            org.nace_section,
            org.nace_division,
            org.headcount,
            list(org.departments),
            today=today - timedelta(days=400),
        )
        department_ids = {
            d.name: d.id for d in get_organisation(ctx, org_id).departments
        }
        year_ago = today - timedelta(days=365)
        first_opens, first_closes = _first_round_dates(today)
        first = open_round(ctx,
            org_id,
            f"Bevraging {first_opens.year}",
            first_opens,
            first_opens + timedelta(days=28),
            questionnaire,
            today=first_opens,
        )
        _fill_round(
            ctx,
            rng,
            questionnaire,
            first,
            org,
            department_ids,
            org.respondents[0],
            0.0,
            first_opens + timedelta(days=7),
        )
        close_round(ctx, first, today=first_closes)
        save_profile(ctx, org_id, Profile(nace_division=org.nace_division, headcount=org.headcount,
                                     region="flanders", **org.facts))
        if org.name in SELF_ASSESSED:
            _self_assessment(ctx, rng, org_id, year_ago + timedelta(days=35))
            # the action that followed the risk analysis (its measure: not one the tests plan)
            add_action(ctx, org_id, SELF_ASSESSED[org.name], owner="HR", status="in_progress",
                       gap_id="werkdruk", measure_id="psychosociale_risicoanalyse",
                       due_on=today + timedelta(days=60), today=year_ago + timedelta(days=40))
        asks_module = org.name == demo_module.ORGANISATION  # one round with the module
        second = open_round(ctx,
            org_id,
            f"Bevraging {today.year}",
            today - timedelta(days=30),
            today - timedelta(days=2),
            questionnaire,
            today=today - timedelta(days=30),
            extras=demo_module.stored_extras() if asks_module else None,
        )
        _fill_round(
            ctx,
            rng,
            questionnaire,
            second,
            org,
            department_ids,
            org.respondents[1],
            6.0,
            today - timedelta(days=12),
            random.Random(SEED * 3 + number) if asks_module else None,
        )
        if number >= ORIGINAL:  # the care sector's members also took part the year before
            opens = _a_year_before(first_opens)
            older = open_round(ctx, org_id, f"Bevraging {opens.year}", opens,
                               opens + timedelta(days=28), questionnaire, today=opens)
            _fill_round(ctx, random.Random(SEED - number), questionnaire, older, org,
                        department_ids, org.respondents[0], -4.0, opens + timedelta(days=7))
            close_round(ctx, older, today=opens + timedelta(days=28))
        created.append(org.name)
    return created


# --- demo accounts ---------------------------------------------------------------------------

DEMO_PASSWORD = "werkbaar-demo"  # published in the README: for demo databases only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    organisation: str | None = None  # name of a demo organisation
    sectors: tuple[str, ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount("admin@demo", "Platformbeheer (demo)", "platform_admin"),
    DemoAccount("hr@zorggroep.demo", "HR Zorggroep Scheldeland", "organisation_admin",
                "Zorggroep Scheldeland"),
    DemoAccount("lezer@zorggroep.demo", "Directie Zorggroep (alleen lezen)", "hr_viewer",
                "Zorggroep Scheldeland"),
    DemoAccount("hr@logistiek.demo", "HR Logistiek Waasland", "organisation_admin",
                "Logistiek Waasland"),
    DemoAccount("analist@sociaalfonds.demo", "Analist sociaal fonds", "sector_analyst",
                sectors=("pc:330", "pc:200")),
)


def demo_accounts() -> tuple[DemoAccount, ...]:
    return DEMO_ACCOUNTS


def load_demo_accounts(ctx) -> list[str]:
    """Create the demo accounts that are not there yet (after :func:`load_demo`); return their
    user names. All share :data:`DEMO_PASSWORD`, so never load them into a real database."""
    from .accounts import create_account, list_usernames

    existing = set(list_usernames(ctx))
    orgs = {o.name: o.id for o in list_organisations(ctx)}
    created = []
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            continue
        create_account(ctx, account.username, DEMO_PASSWORD, account.role,
                       display_name=account.display_name,
                       organisation_id=orgs.get(account.organisation),
                       sectors=account.sectors)
        created.append(account.username)
    return created
