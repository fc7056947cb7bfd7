"""Departments and groups: a closed round's indicators and risk factors per department, age
band or contract type as a heatmap beside the whole organisation (withheld cells marked), the
open answers of the whole organisation, and which risk factors go together with knelpunten.

Decisions: the page keeps its own round (``groups.round_id``), apart from the dashboard's and
the rounds page's, and starts on the newest closed round whose figures may be shown. A column
head gives a group's n only as the respondent count of one audited column: the first scale
that every respondent of the round has (its organisation n is the round's n). In that column
:func:`assessment.results.round_breakdowns` already holds every set derivable from the shown
groups (of all three dimensions) and the organisation total at 0 or at least the threshold, so
the shown counts, taken together and with the total, tell nothing more; counts taken from
different columns could (a group shown in one column minus a group shown only in another).
A group without figures says "hidden" and carries no number; a group with figures but not in
that column gets no n."""

import streamlit as st

from assessment import batch, extras_view, ui
from assessment.access import VIEW_RESULTS
from assessment.charts import HeatmapColumn, heatmap
from assessment.formatting import day, number
from assessment.results import (
    WERKBAAR,
    counted_scale,
    drivers,
    open_answers,
    round_breakdowns,
    round_results,
)
from assessment.rounds import CLOSED, list_rounds
from assessment.ui.extras import show_groups
from assessment.ui.router import entry_guard

ROUND_KEY = "groups.round_id"
OPEN_PAGE = 50  # open answers shown at a time

entry_guard(VIEW_RESULTS)
lang, ctx, q = ui.lang(), ui.context(), ui.questionnaire()
st.title(ui.tr("groups.title"))
org = ui.organisation_picker()
rounds = [r for r in list_rounds(ctx, org.id) if r.status() == CLOSED] if org else []
if not rounds:
    st.info(ui.tr("groups.no_closed_round"))
    st.stop()
results = {r.id: ui.cached(round_results, ctx, r.id) for r in rounds}
ids = [r.id for r in rounds]  # newest first
if st.session_state.get(ROUND_KEY) not in ids:
    st.session_state[ROUND_KEY] = next((i for i in ids if results[i].shown), ids[0])
round_id = st.selectbox(
    ui.tr("rounds.choose"), ids, index=ids.index(st.session_state[ROUND_KEY]),
    format_func=lambda i: next(f"{r.title} · {day(r.closed_early_on or r.closes_on, lang)}"
                               for r in rounds if r.id == i))
st.session_state[ROUND_KEY] = round_id
whole = results[round_id]

bands = {b.id: {o.code: o.label(lang) for o in b.options} for b in q.background}
names = {"department": {d.id: d.name for d in org.departments}, **{
    k: v for k, v in bands.items() if k != "department"}}
groups = {d: list(g) for d, g in names.items()}
if not batch.breakdowns_ready(ctx, next(r for r in rounds if r.id == round_id), groups):
    st.info(ui.tr("groups.preparing"))  # a large round: decided in the background, not here
    st.stop()
views = ui.cached(round_breakdowns, ctx, round_id, groups)
dimension = st.segmented_control(ui.tr("groups.by"), list(names), default="department",
                                 format_func=lambda d: ui.tr(f"groups.dim.{d}")) or "department"
view = views[dimension]
rows = [(s.id, s.label(lang)) for s in q.scales] + [(WERKBAAR, ui.tr("groups.not_werkbaar"))]


def column(label: str, graad: float | None, scales: dict, n: int | None) -> HeatmapColumn:
    """One heatmap column from figures that passed the rules (``scales``: scale → figures)."""
    return HeatmapColumn(label, [
        (None if graad is None else 100 - graad) if scale == WERKBAAR
        else (scales[scale].pct_knelpunt if scale in scales else None) for scale, _ in rows], n)


counted = counted_scale(whole, q)  # see the docstring


def count(scales: dict) -> int | None:
    return scales[counted].n if counted in scales else None


groups = [column(names[dimension][g], view.shown[g].werkbaarheidsgraad, view.shown[g].scales,
                 count(view.shown[g].scales)) if g in view.shown
          else column(names[dimension][g], None, {}, None) for g in view.groups]
organisation = column(ui.tr("groups.organisation"), whole.werkbaarheidsgraad, whole.scales,
                      whole.n_responses if whole.shown else None)
# On a narrow screen (a phone) the heatmap keeps a readable width and scrolls sideways in its
# own box, like a wide table, instead of squeezing its columns below their labels: about
# 150 px of (wrapped) row labels and 72 px per column. On a desktop it simply fills the width.
st.html(f"<style>.st-key-heatmap {{ overflow-x: auto; }} .st-key-heatmap > "
        f"[data-testid='stElementContainer'] {{ min-width: {150 + 72 * (len(groups) + 1)}px; }}"
        "</style>")
with st.container(key="heatmap"):
    ui.chart(heatmap([label for _, label in rows], groups, lang, organisation))
st.caption(ui.tr("groups.heatmap_help"))
chosen = next(r for r in rounds if r.id == round_id)
if chosen.extras:  # the round's modules and own questions, per group of the same dimension
    show_groups(extras_view.build(ctx, chosen, {d: list(g) for d, g in names.items()}, lang),
                dimension, names[dimension])

st.subheader(ui.tr("groups.drivers"))
found = ui.cached(drivers, ctx, round_id, [s.id for s in q.indicators],
                  [s.id for s in q.risk_factors], groups={d: list(g) for d, g in names.items()})
if not found:
    st.info(ui.tr("groups.drivers_too_few"))
for d in found:
    st.markdown(ui.tr("groups.driver", risk=q.scale(d.risk_factor).label(lang),
                      indicator=q.scale(d.indicator).label(lang),
                      with_risk=number(d.pct_with_risk, lang),
                      without=number(d.pct_without_risk, lang)))
st.caption(ui.tr("groups.drivers_help"))

answers = open_answers(ctx, round_id)  # not cached: a purge removes them
with st.expander(ui.tr("groups.open", count=number(len(answers), lang))):
    if not answers:
        st.info(ui.tr("groups.open_too_few"))
    else:
        st.caption(ui.tr("groups.open_order"))
    # Fifty at a time: every answer is an element of its own, and a large round's 1,500 answers
    # made every rerun of this page cost about a second (benchmarks/scale.py).
    starts = list(range(0, len(answers), OPEN_PAGE))
    last = {i: min(i + OPEN_PAGE, len(answers)) for i in starts}
    first = st.selectbox(
        ui.tr("groups.open_page"), starts, key="groups.open_page",
        format_func=lambda i: f"{number(i + 1, lang)}–{number(last[i], lang)}",
    ) if len(starts) > 1 else 0
    for answer in answers[first:first + OPEN_PAGE]:
        st.text(answer)  # as typed: never rendered as Markdown or HTML
