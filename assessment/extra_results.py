"""The figures of a round's modules and own questions, under the same disclosure rules as
every werkbaar-werk figure.

Each **column** is decided on its own (:func:`assessment.results.decide_column`, the rule the
breakdowns use): over the respondents who answered it, no set derivable from the shown groups,
their complements and the organisation total may hold between 1 and k − 1 of them, and none
below 2k may be unanimous about what the column shows. The columns:

* a **module question**: the share who *reported* it (an answer at or above the item's
  ``problem_from``; the module's scoring rule, stated in its file): status "reported";
* a **module domain** (``domain:<module>.<domain>``): the share who reported at least one of
  its questions, among those who answered one;
* an **own question**: the share of each answer, value 1 first: one status per answer (a
  small set all choosing the same answer would tell each member's choice; none of it choosing
  one of several answers does not).

Only answers given online are counted: the paper questionnaire holds the round's questionnaire
only (:mod:`assessment.reports.paper_pdf`). A group shows shares, never its n (the groups page
gives a group's n from one audited column, :func:`assessment.results.counted_scale`); the
organisation total shows its n and shares from the threshold, like a scale.

Decided once per round and groups and stored (:mod:`assessment.round_summaries`, kind
``extras``), like the breakdowns, so a page shows them with one read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import confidentiality, packed_answers, round_summaries
from .results import BREAKDOWN_RULES, load_round
from .results import decide_column as decide
from .round_extras import RoundExtras, of_round
from .storage import connection

EXTRAS_RULES = 1
DOMAIN = "domain:"  # the prefix of a module domain's column


@dataclass(frozen=True)
class ItemFigures:
    column: str  # an item id, or DOMAIN + "<module>.<domain>"
    n: int  # who answered it (for the organisation total only)
    shares: tuple[float, ...]  # 0–100: (reported,) for a module column; per answer for own


@dataclass(frozen=True)
class ExtraFigures:
    """What may be shown: ``whole`` by column; ``groups``: dimension → group → column →
    shares (a column left out was withheld)."""

    whole: dict[str, ItemFigures]
    groups: dict[str, dict]


def domain_column(module_id: str, domain_id: str) -> str:
    return f"{DOMAIN}{module_id}.{domain_id}"


def extra_figures(ctx, survey_round, groups: dict[str, list], *,
                  today: date | None = None) -> ExtraFigures | None:
    """The figures of ``survey_round``'s modules and own questions per the rules, with
    ``groups`` as :func:`assessment.results.round_breakdowns` takes them; ``None`` when the
    round has none; nothing shown while it is open."""
    extras = of_round(survey_round)
    if not extras:
        return None
    if not confidentiality.figures_allowed(survey_round, today or ctx.today):
        return ExtraFigures({}, {})
    key = _key(survey_round, groups)
    stored = round_summaries.load(ctx, survey_round.id, "extras", key)
    if stored is None:
        stored = _decide(ctx, survey_round, extras, groups)
        round_summaries.store(ctx, survey_round.id, "extras", key, stored)
    return ExtraFigures(
        {c: ItemFigures(c, n, tuple(shares)) for c, n, shares in stored["whole"]},
        {d: {g: {c: tuple(s) for c, s in cells} for g, cells in shown}
         for d, shown in stored["groups"]})


def _key(survey_round, groups: dict[str, list]) -> list:
    return [[[d, list(g)] for d, g in groups.items()],
            confidentiality.threshold(survey_round.min_group_size), BREAKDOWN_RULES,
            EXTRAS_RULES]


def extras_stored(ctx, survey_round, groups: dict[str, list]) -> bool:
    """Whether showing :func:`extra_figures` reads one row (decided), or the round has none."""
    return not of_round(survey_round) or round_summaries.load(
        ctx, survey_round.id, "extras", _key(survey_round, groups)) is not None


def columns(extras: RoundExtras, answers: dict[str, dict]) -> list[tuple[str, dict, tuple]]:
    """Every column of ``extras`` as (name, respondent → value, answers shown): a module
    column's value is 1 when reported, else 0; an own question's the answer given.
    ``answers``: item → respondent → answer."""
    found = []
    for m in extras.modules:
        for d in m.domains:
            domain: dict = {}
            for item in d.items:
                column = {r: int(v >= item.problem_from) for r, v in answers[item.id].items()}
                found.append((item.id, column, (1,)))
                for r, v in column.items():
                    domain[r] = max(domain.get(r, 0), v)
            found.append((domain_column(m.id, d.id), domain, (1,)))
    for q in extras.questions:
        found.append((q.id, answers[q.id], tuple(range(1, len(q.labels()) + 1))))
    return found


def _shares(column: dict, members, values: tuple) -> tuple[float, ...]:
    answered = [column[r] for r in members]
    return tuple(100 * sum(v == value for v in answered) / len(answered) for value in values)


def _decide(ctx, survey_round, extras: RoundExtras, groups: dict[str, list]) -> dict:
    """:func:`extra_figures` decided from the answers (the audits), for a closed round."""
    threshold = confidentiality.threshold(survey_round.min_group_size)
    data = load_round(ctx, survey_round.id)
    with connection(ctx) as db:
        layout = packed_answers.layout(db, survey_round.id)
        rows = db.execute("select id, answers from responses where round_id = ? and "
                          "import_id is null order by id", [survey_round.id]).fetchall()
    positions = {item: layout.index(item) for item in extras.items}
    answers: dict[str, dict] = {item: {} for item in extras.items}
    for rid, packed in rows:
        for item, at in positions.items():
            if packed[at] != packed_answers.NOT_ANSWERED:
                answers[item][rid] = int(packed[at])
    whole, by_group = [], {d: {} for d in groups}
    for name, column, values in columns(extras, answers):
        if not confidentiality.may_show_with_known(len(column), 0, threshold):
            continue
        whole.append([name, len(column), list(_shares(column, column, values))])
        # a module column: reported by all or by none of a small set tells each member's
        # answer; an own question: all choosing one answer does (none choosing one of
        # several answers does not)
        statuses = tuple((frozenset(r for r, v in column.items() if v == value),
                          len(values) == 1) for value in values)
        members, shown = decide(data, column, groups, threshold, statuses)
        for d in shown:
            for g in shown[d]:
                by_group[d].setdefault(g, []).append(
                    [name, list(_shares(column, members[d][g], values))])
    return {"whole": whole, "groups": [[d, [[g, cells] for g, cells in shown.items()]]
                                       for d, shown in by_group.items()]}
