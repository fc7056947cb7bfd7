"""The demo's one round with the psychosocial module (:data:`ORGANISATION`'s latest): its
stored extras and plausible answers, so the dashboard, the groups page, the organisation report
and the risk-analysis export have a module to show (:mod:`assessment.demo`).

The answers come from a generator of their own (seeded by the caller), so adding them changed
none of the demo's werkbaar-werk answers. Per question a chance to report it (an answer at or
above its ``problem_from``), higher in the departments where the hazard fits the work:
drivers meet aggression from outsiders and changing schedules, the warehouse broken or unfit
equipment, planning conflicting expectations. Rare behaviour (sexual harassment) stays rare,
so small departments show rule 8 at work: everyone in a small group answering alike is hidden.
"""

from __future__ import annotations

import random

from .modules import module
from .round_extras import to_stored, validated

ORGANISATION = "Logistiek Waasland"
PSYCHOSOCIAL = ("psychosocial", 1)
REPORTED = {
    "ps_ao1": 0.22, "ps_ao2": 0.14, "ps_ai1": 0.12, "ps_ai2": 0.15, "ps_av1": 0.24,
    "ps_av2": 0.18, "ps_ac1": 0.20, "ps_ac2": 0.09, "ps_ir1": 0.07, "ps_ir2": 0.11,
    "ps_ir3": 0.04, "ps_ir4": 0.14, "ps_ir5": 0.08, "ps_ir6": 0.04,
}
SHIFTS = {
    "Chauffeurs": {"ps_av1": 0.16, "ps_ir4": 0.18, "ps_ir5": 0.08, "ps_ac2": 0.10},
    "Magazijn": {"ps_ac1": 0.18, "ps_ao1": 0.08, "ps_ir2": 0.05},
    "Planning": {"ps_ao1": 0.16, "ps_ai1": 0.06, "ps_av2": 0.05},
}


def stored_extras() -> str | None:
    """What ``survey_rounds.extras`` holds for the demo's module round."""
    return to_stored(validated((module(*PSYCHOSOCIAL),), ()))


def answers(rng: random.Random, department: str) -> dict[str, int]:
    """One respondent's answers to the module (now and then a question left open)."""
    found = {}
    for item in module(*PSYCHOSOCIAL).items:
        if rng.random() < 0.03:
            continue
        chance = REPORTED[item.id] + SHIFTS.get(department, {}).get(item.id, 0.0)
        found[item.id] = (rng.randint(item.problem_from, 5) if rng.random() < chance
                          else rng.randint(1, item.problem_from - 1))
    return found
