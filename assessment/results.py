"""The figures of survey rounds, as the HR dashboard shows them.

Everything is read from the scale scores stored at submission (never by rescoring raw
answers) with aggregate queries, and filtered by :mod:`assessment.confidentiality` before it
leaves this module: a round that is still open, or a group below the threshold, yields counts
only, no figures; a breakdown hides the groups the differencing rule requires.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from . import confidentiality, round_summaries, rounds
from .group_formulas import (
    RESPONSE_COUNTS_SQL,
    response_counts,
    scale_counts,
    share,
    werkbaarheidsgraad,
)
from .rounds import SurveyRound, get_round
from .scoring import ACUUT, OK
from .storage import connection

OPEN, TOO_FEW = "open", "too_few"  # why a round's figures are not shown
DIMENSIONS = {"department": "department_id", "age_band": "age_band",
              "contract_type": "contract_type"}
WERKBAAR = "werkbaarheidsgraad"  # the column of a breakdown that is not a scale
BREAKDOWN_RULES = 2  # 2: no unanimous derivable set below 2k (issue 28)


@dataclass(frozen=True)
class ScaleFigures:
    scale_id: str
    n: int  # respondents with a score on this scale
    mean: float  # 0–100
    pct_knelpunt: float  # share with a knelpunt of any level (acute included), 0–100
    pct_acuut: float  # share at the acute level, 0–100


@dataclass(frozen=True)
class RoundResults:
    round_id: int
    n_responses: int
    n_invited: int  # reached: invitations made and paper questionnaires returned
    threshold: int
    response_rate: float | None  # None when fewer than 5 were invited
    shown: bool  # False: no figure is given (see ``reason``)
    werkbaarheidsgraad: float | None
    scales: dict[str, ScaleFigures]
    reason: str | None = None  # "open" (results come when the round closes) or "too_few"


def _threshold(survey_round: SurveyRound | None) -> int:
    """The threshold of a round's figures: its organisation's, read with the round."""
    return confidentiality.threshold(survey_round.min_group_size if survey_round else None)


def _figures(rows) -> dict:
    return {scale: ScaleFigures(scale, n, mean, share(knelpunt, n), share(acuut, n))
            for scale, n, mean, knelpunt, acuut in rows}


def round_results(ctx, round_id: int, *, today: date | None = None) -> RoundResults:
    """Counts and, where the confidentiality rules allow, figures for one round, at the
    threshold of the round's organisation."""
    survey_round = get_round(ctx, round_id)
    if survey_round is None:
        return _results(None, round_id, (0, 0, 0, 0, 0), None, False)
    return results_of(ctx, [survey_round], today=today)[round_id]


def results_of(ctx, survey_rounds: list[SurveyRound], *, today: date | None = None
               ) -> dict[int, RoundResults]:
    """:func:`round_results` of rounds already loaded, by id, in two reads at most: the stored
    totals of the closed ones together (:mod:`assessment.round_summaries`), the live counts
    of the others together."""
    today = today or ctx.today
    closed = [r.id for r in survey_rounds if confidentiality.figures_allowed(r, today)]
    totals = round_summaries.totals(ctx, closed) if closed else {}
    running = [r.id for r in survey_rounds if r.id not in totals]
    live = {}
    if running:
        with connection(ctx) as db:
            live = {row[0]: tuple(row[1:]) for row in db.execute(
                f"select round_id, {RESPONSE_COUNTS_SQL}, count(import_id), "
                "count(case when import_id is not null then werkbaar end) from responses "
                f"where round_id in ({', '.join('?' * len(running))}) group by round_id",
                running).fetchall()}
    return {r.id: _results(r, r.id, live.get(r.id, (0, 0, 0, 0, 0)), totals.get(r.id),
                           r.id in totals) for r in survey_rounds}


def _results(survey_round: SurveyRound | None, round_id: int, counts: tuple,
             totals: round_summaries.Totals | None, is_closed: bool) -> RoundResults:
    """The rules applied to one round's counts: ``totals`` when it is closed, else the live
    ``counts`` (responses, rated, werkbaar, imported, imported and rated)."""
    threshold = _threshold(survey_round)
    if is_closed:
        n_responses, n_rated, n_werkbaar, n_imported, n_imported_rated = (
            totals.n, totals.n_rated, totals.n_werkbaar, totals.n_imported,
            totals.n_imported_rated)
        scale_rows = [(s, n, mean, knelpunt, acuut)
                      for s, (n, mean, knelpunt, acuut, _) in totals.scales.items()]
        imported = {s: v[4] for s, v in totals.scales.items()}
    else:  # while open: counts only
        n_responses, n_rated, n_werkbaar, n_imported, n_imported_rated = counts
        scale_rows, imported = [], {}
    n_invited = survey_round.reached if survey_round else 0
    shown = is_closed and confidentiality.may_show_with_known(n_responses, n_imported, threshold)
    return RoundResults(
        round_id=round_id,
        n_responses=n_responses,
        n_invited=n_invited,
        threshold=threshold,
        response_rate=100 * n_responses / n_invited
        if confidentiality.may_show_response_rate(n_invited) else None,
        shown=shown,
        werkbaarheidsgraad=werkbaarheidsgraad(n_werkbaar, n_rated) if shown and confidentiality.
        may_show_with_known(n_rated, n_imported_rated, threshold) else None,
        scales={s: f for s, f in _figures(scale_rows).items() if shown and confidentiality.
                may_show_with_known(f.n, imported.get(s, 0), threshold)},
        reason=None if shown else (OPEN if not is_closed else TOO_FEW),
    )


@dataclass(frozen=True)
class GroupFigures:
    """One group of a breakdown: the figures that may be shown for it. A column left out was
    withheld by the rules."""

    group: object
    n: int  # respondents in the group
    werkbaarheidsgraad: float | None
    scales: dict[str, ScaleFigures] = field(default_factory=dict)


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    groups: tuple  # every group that exists, in order, shown or not
    shown: dict  # group → GroupFigures, only groups with at least one figure shown


def round_breakdowns(ctx, round_id: int, groups: dict[str, list], *,
                     today: date | None = None) -> dict[str, Breakdown]:
    """The figures of one round per department, age band and contract type, decided together.

    ``groups`` lists the groups of each dimension in display order (department first: it is
    kept longest). Every column (the werkbaarheidsgraad and each scale) is decided on its own by
    :func:`assessment.confidentiality.publishable_sets` over all dimensions at once, so that no
    set of respondents derivable by adding and subtracting what is shown (groups, complements,
    the organisation total) holds between 1 and threshold − 1 respondents. Nothing while the
    round is open.

    :raises ValueError: for a dimension other than department, age_band or contract_type.
    """
    unknown = set(groups) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimension {sorted(unknown)}")
    survey_round = get_round(ctx, round_id)
    if not confidentiality.figures_allowed(survey_round, today or ctx.today):
        return {d: Breakdown(d, tuple(g), {}) for d, g in groups.items()}
    key = _breakdown_key(survey_round, groups)
    stored = round_summaries.load(ctx, round_id, "breakdowns", key)
    if stored is not None:
        return _breakdowns_from(stored)
    found = _decide_breakdowns(ctx, survey_round, groups, _threshold(survey_round))
    round_summaries.store(ctx, round_id, "breakdowns", key, _breakdowns_to(found))
    return found


def _breakdown_key(survey_round: SurveyRound, groups: dict[str, list]) -> list:
    """What a stored decision is valid for: the groups, the threshold and the rules' version
    (a decision stored under older rules is taken again)."""
    return [[[d, list(g)] for d, g in groups.items()], _threshold(survey_round),
            BREAKDOWN_RULES]


def breakdowns_stored(ctx, survey_round: SurveyRound, groups: dict[str, list]) -> bool:
    """Whether :func:`round_breakdowns` of this round and these groups is decided and stored
    (showing it then reads one row)."""
    return round_summaries.load(ctx, survey_round.id, "breakdowns",
                                _breakdown_key(survey_round, groups)) is not None


def counted_scale(whole: RoundResults, questionnaire) -> str | None:
    """The column whose respondent count is a group's n on the groups page and in the report:
    the first scale every respondent of the round has. In that one audited column the shown
    counts tell nothing more together; counts of different columns could be subtracted (a
    group shown in one column minus a group shown only in another)."""
    return next((s.id for s in questionnaire.scales if s.id in whole.scales
                 and whole.scales[s.id].n == whole.n_responses), None)


def breakdown_groups(organisation, questionnaire) -> dict[str, list]:
    """The groups of :func:`round_breakdowns` as the pages and the report ask for them: the
    organisation's departments, then the questionnaire's background questions' codes."""
    return {"department": [d.id for d in organisation.departments], **{
        b.id: [o.code for o in b.options] for b in questionnaire.background
        if b.id != "department"}}


def _breakdowns_to(found: dict[str, Breakdown]) -> list:
    return [[b.dimension, list(b.groups), [
        [g, f.n, f.werkbaarheidsgraad, [[s.scale_id, s.n, s.mean, s.pct_knelpunt, s.pct_acuut]
                                        for s in f.scales.values()]]
        for g, f in b.shown.items()]] for b in found.values()]


def _breakdowns_from(stored: list) -> dict[str, Breakdown]:
    return {dimension: Breakdown(dimension, tuple(groups), {
        g: GroupFigures(g, n, graad, {s[0]: ScaleFigures(*s) for s in scales})
        for g, n, graad, scales in shown}) for dimension, groups, shown in stored}


def _decide_breakdowns(ctx, survey_round: SurveyRound, groups: dict[str, list], threshold: int
                       ) -> dict[str, Breakdown]:
    """:func:`round_breakdowns` decided from the answers (the audit), for a closed round."""
    data = load_round(ctx, survey_round.id)
    dims = [d for d in DIMENSIONS if d in groups]  # priority: department first
    figures = {d: {} for d in dims}

    def entry(d, g) -> dict:
        return figures[d].setdefault(g, {"n": len(data.members(d, g)), "graad": None,
                                         "scales": {}})

    members, shown = decide_column(data, data.werkbaar, groups, threshold,
                             ((frozenset(r for r, v in data.werkbaar.items() if v), True),))
    for d in dims:
        for g in shown[d]:
            _, known, werkbaar = response_counts(data.werkbaar[r] for r in members[d][g])
            entry(d, g)["graad"] = werkbaarheidsgraad(werkbaar, known)
    for scale, values in sorted(data.scores.items()):
        members, shown = decide_column(data, values, groups, threshold, _statuses(values))
        for d in dims:
            for g in shown[d]:
                n, mean, knelpunt, acuut = scale_counts(values[r] for r in members[d][g])
                entry(d, g)["scales"][scale] = ScaleFigures(
                    scale, n, mean, share(knelpunt, n), share(acuut, n))
    return {d: Breakdown(d, tuple(groups[d]), {
        g: GroupFigures(g, v["n"], v["graad"], v["scales"]) for g, v in figures[d].items()})
        for d in dims}


@dataclass(frozen=True)
class _RoundData:
    """One closed round's respondents, read once: background per respondent, the werkbaar flag
    where known, and each scale's (score, level) per respondent who has it."""

    background: dict  # response id → {dimension: group}
    imported: frozenset  # ids of the responses imported from paper (known to the importer)
    werkbaar: dict  # response id → 0/1
    scores: dict  # scale → {response id → (score, level)}
    decided: dict = field(default_factory=dict)  # _decide's results per column population
    _members: dict = field(default_factory=dict)

    def members(self, dimension: str, group) -> frozenset:
        """The respondents of one group, computed once per group, not once per cell."""
        if (dimension, group) not in self._members:
            self._members[dimension, group] = frozenset(
                r for r, b in self.background.items() if b[dimension] == group)
        return self._members[dimension, group]


def load_round(ctx, round_id: int) -> _RoundData:
    """The respondent data of a round whose figures may be published (the caller checked)."""
    with connection(ctx) as db:
        rows = db.execute(
            "select r.id, r.department_id, r.age_band, r.contract_type, r.werkbaar, s.scale_id, "
            "s.score, s.level, r.import_id from responses r left join response_scores s "
            "on s.response_id = r.id where r.round_id = ? order by r.id, s.scale_id",
            [round_id]).fetchall()  # in order: two deciders break ties alike
    background, werkbaar, scores, imported = {}, {}, {}, set()
    for rid, dept, age, contract, is_werkbaar, scale, score, level, import_id in rows:
        background[rid] = {"department": dept, "age_band": age, "contract_type": contract}
        if import_id is not None:
            imported.add(rid)
        if is_werkbaar is not None:
            werkbaar[rid] = is_werkbaar
        if scale is not None:
            scores.setdefault(scale, {})[rid] = (score, level)
    return _RoundData(background, frozenset(imported), werkbaar, scores)


def _statuses(column: dict) -> tuple[tuple[frozenset, bool], ...]:
    """The respondents with a knelpunt (all or none may not be a small set), and at the acute
    level (all may not), of a scale's column (respondent → (score, level)): the statuses whose
    shares a breakdown shows (:mod:`assessment.confidentiality.homogeneity`)."""
    return ((frozenset(r for r, (_, level) in column.items() if level != OK), True),
            (frozenset(r for r, (_, level) in column.items() if level == ACUUT), False))


def decide_column(data: _RoundData, column: dict, groups: dict[str, list], threshold: int,
                  statuses: tuple[frozenset, ...]) -> tuple[dict, dict]:
    """For one column (respondent → value): each dimension's groups restricted to the
    respondents with a value, and the groups that may be shown; ``statuses``: the respondents
    at each status whose share the column shows (knelpunt and acute; werkbaar)."""
    population = frozenset(column)
    plain = (population, tuple((d, tuple(g)) for d, g in groups.items()), threshold)
    if plain not in data.decided:  # on size alone: one audit for the columns of one population
        members = {d: {g: data.members(d, g) & population for g in groups[d]}
                   for d in DIMENSIONS if d in groups}
        data.decided[plain] = members, confidentiality.publishable_sets(
            members, population, threshold, data.imported)
    key = (*plain, statuses)
    if key not in data.decided:  # then rule 8: decided again only where a unanimous set shows
        members, shown = data.decided[plain]
        partitions = [{g: members[d][g] for g in shown[d]} for d in members]
        data.decided[key] = (members, shown) if confidentiality.unanimous_free(
            partitions, population, statuses, threshold, data.imported) else (
            members, confidentiality.publishable_sets(members, population, threshold,
                                                      data.imported, statuses))
    return data.decided[key]


def open_answers(ctx, round_id: int, *, today: date | None = None) -> list[str]:
    """The round's open answers as :func:`assessment.confidentiality.open_answers` allows:
    whole organisation only, from 10 respondents, no dates; nothing while open.

    In a stable order per round (the same on every visit and click, so HR can read on where it
    stopped): sorted by SHA-256 of the round id and the answer's text. That order is a function
    of the *set of texts* alone: whatever order the rows were submitted or stored in, the same
    answers come out in the same order, so the position of an answer says nothing about when it
    was sent or by whom (no row id, time or token enters it). The round id only makes the
    permutation differ between rounds; no secret is needed, since knowing the permutation
    reveals nothing the texts themselves do not. Identical answers are indistinguishable."""
    survey_round = get_round(ctx, round_id)
    if not confidentiality.figures_allowed(survey_round, today):
        return []
    with connection(ctx) as db:
        rows = db.execute("select open_answer, import_id from responses where round_id = ?",
                          [round_id]).fetchall()
    shown = confidentiality.open_answers([r[0] for r in rows], len(rows),
                                         n_known=sum(r[1] is not None for r in rows))
    return sorted(shown, key=lambda answer: hashlib.sha256(
        f"{round_id}\n{answer}".encode()).hexdigest())


@dataclass(frozen=True)
class Driver:
    """How a risk factor goes together with an indicator's knelpunten in one round: the share
    with a knelpunt on ``indicator`` among those for whom ``risk_factor`` is a knelpunt, and
    among those for whom it is not."""

    risk_factor: str
    indicator: str
    n_risk: int
    n_no_risk: int
    pct_with_risk: float
    pct_without_risk: float

    @property
    def difference(self) -> float:
        return self.pct_with_risk - self.pct_without_risk


def drivers(ctx, round_id: int, indicators: list[str], risk_factors: list[str], *,
            groups: dict[str, list] | None = None,
            limit: int = 5, today: date | None = None) -> list[Driver]:
    """The ``limit`` strongest (risk factor, indicator) pairs that the rules allow, strongest
    link first. Only these are published, so only these enter the audit.

    The round must be closed and have at least 25 respondents, both compared subgroups must
    reach the threshold (:func:`assessment.confidentiality.may_show_drivers`), the same
    respondents must have both scores, and the two subgroups are sums over sets of the
    indicator's respondents too: taken with the groups of ``groups`` that
    :func:`round_breakdowns` shows in that column and the stronger drivers already accepted,
    every atom must keep the threshold (:func:`assessment.confidentiality.refines_safely`).
    """
    survey_round = get_round(ctx, round_id)
    if not confidentiality.figures_allowed(survey_round, today or ctx.today):
        return []
    threshold = _threshold(survey_round)
    key = (indicators, risk_factors, [[d, list(g)] for d, g in (groups or {}).items()],
           threshold, limit, BREAKDOWN_RULES)  # audited beside the breakdowns of these rules
    stored = round_summaries.load(ctx, round_id, "drivers", key)
    if stored is None:
        stored = [list(vars(d).values()) for d in _decide_drivers(
            ctx, round_id, indicators, risk_factors, threshold, groups=groups, limit=limit)]
        round_summaries.store(ctx, round_id, "drivers", key, stored)
    return [Driver(*values) for values in stored]


def _decide_drivers(ctx, round_id: int, indicators: list[str], risk_factors: list[str],
                    threshold: int, *, groups: dict[str, list] | None, limit: int
                    ) -> list[Driver]:
    """:func:`drivers` decided from the answers (the audits), for a closed round."""
    data = load_round(ctx, round_id)
    if len(data.background) < confidentiality.MIN_DRIVERS:
        return []
    levels = {scale: {r: level != "ok" for r, (_, level) in values.items()}
              for scale, values in data.scores.items()}
    candidates = []
    for risk in risk_factors:
        for indicator in indicators:
            risk_of, indicator_of = levels.get(risk, {}), levels.get(indicator, {})
            if not risk_of or set(risk_of) != set(indicator_of):
                continue
            with_risk = frozenset(r for r, is_risk in risk_of.items() if is_risk)
            without = frozenset(risk_of) - with_risk
            if confidentiality.may_show_drivers(len(risk_of), [len(with_risk), len(without)],
                                                threshold):
                candidates.append(Driver(
                    risk, indicator, len(with_risk), len(without),
                    100 * sum(indicator_of[r] for r in with_risk) / len(with_risk),
                    100 * sum(indicator_of[r] for r in without) / len(without)))
    # by the difference as the page shows it (whole percentages), so the order tells nothing
    # more precise than the figures on screen
    candidates.sort(key=lambda d: (round(d.pct_without_risk) - round(d.pct_with_risk),
                                   d.risk_factor, d.indicator))
    published: dict[str, list] = {}
    found = []
    for driver in candidates:
        column = data.scores[driver.indicator]
        if driver.indicator not in published:
            members, shown = decide_column(data, column, groups or {}, threshold,
                                           _statuses(column))
            published[driver.indicator] = [{g: members[d][g] for g in shown[d]} for d in shown]
        with_risk = frozenset(r for r in column if levels[driver.risk_factor][r])
        split = {True: with_risk, False: frozenset(column) - with_risk}
        if confidentiality.refines_safely([*published[driver.indicator], split],
                                          frozenset(column), threshold, data.imported):
            published[driver.indicator].append(split)
            found.append(driver)
            if len(found) == limit:
                break
    return found


@dataclass(frozen=True)
class DepartmentResponse:
    department_id: int
    headcount: int | None
    responses: int | None  # None where the rules do not allow it
    rate: float | None


def department_response(ctx, round_id: int, departments: list) -> list[DepartmentResponse]:
    """Responses per department against its headcount, also while the round runs: only where
    the department's responses so far reach the threshold (the organisation's own, if higher)
    *and* its headcount is known and allows a response rate; otherwise ``None``. HR types the
    headcounts itself, so a headcount alone proves nothing: a team of 2 typed as 5 would
    show, live, which of its two people answered. The page also shows the round's total, so
    the departments not shown must hold together none or enough responses
    (:func:`confidentiality.publishable`), or the total minus the shown ones would name them."""
    with connection(ctx) as db:
        counts = dict(db.execute("select department_id, count(*) from responses "
                                 "where round_id = ? group by 1", [round_id]).fetchall())
    rated = {d.id: counts.get(d.id, 0) for d in departments
             if d.headcount is not None and confidentiality.may_show_response_rate(d.headcount)}
    shown = confidentiality.publishable(rated, sum(counts.values()),
                                        _threshold(get_round(ctx, round_id)))
    out = []
    for d in departments:
        n = rated[d.id] if d.id in shown else None
        out.append(DepartmentResponse(d.id, d.headcount, n,
                                      None if n is None else min(100.0, 100 * n / d.headcount)))
    return out


@dataclass(frozen=True)
class ChannelResponse:
    channel: str  # one of assessment.rounds.CHANNELS
    invited: int  # invitations made for this channel (paper: none)
    responses: int | None  # None where the rules do not allow it


def channel_response(ctx, round_id: int) -> list[ChannelResponse]:
    """Responses per channel (link, slip, e-mail, paper), also while the round runs, beside
    the invitations made for it. Like :func:`department_response`: a channel's count only where
    it reaches the threshold, and the channels not shown hold together none or enough
    responses (:func:`confidentiality.publishable`), so that the round's total minus the
    shown ones names nobody's channel. The invitations are the employer's own numbers."""
    counts = rounds.channel_counts(ctx, round_id)
    answered = {c: n["responses"] for c, n in counts.items()}
    shown = confidentiality.publishable(answered, sum(answered.values()),
                                        _threshold(get_round(ctx, round_id)))
    return [ChannelResponse(c, n["invited"], answered[c] if c in shown else None)
            for c, n in counts.items() if n["invited"] or n["responses"]]
