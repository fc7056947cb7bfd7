"""Departments and groups: a closed round's indicators and risk factors per department, age
band or contract type as a heatmap (withheld cells marked), the open answers of the whole
organisation, and which risk factors go together with knelpunten."""

import streamlit as st

from assessment import ui
from assessment.access import VIEW_RESULTS
from assessment.charts import heatmap
from assessment.results import WERKBAAR, drivers, open_answers, round_breakdowns
from assessment.rounds import CLOSED, list_rounds
from assessment.ui.router import entry_guard

entry_guard(VIEW_RESULTS)
lang, db, q = ui.lang(), ui.database(), ui.questionnaire()
st.title(ui.tr("groups.title"))
org = ui.organisation_picker()
rounds = [r for r in list_rounds(org.id, db_path=db) if r.status() == CLOSED] if org else []
if not rounds:
    st.info(ui.tr("groups.no_closed_round"))
    st.stop()
round_id = st.selectbox(ui.tr("rounds.choose"), [r.id for r in rounds],
                        format_func=lambda i: next(r.title for r in rounds if r.id == i))
bands = {b.id: {o.code: o.label(lang) for o in b.options} for b in q.background}
names = {"department": {d.id: d.name for d in org.departments}, **{
    k: v for k, v in bands.items() if k != "department"}}
views = ui.cached(round_breakdowns, round_id, {d: list(g) for d, g in names.items()},
                  org.min_group_size, db_path=db)
dimension = st.segmented_control(ui.tr("groups.by"), list(names), default="department",
                                 format_func=lambda d: ui.tr(f"groups.dim.{d}")) or "department"
view = views[dimension]
rows = [(s.id, s.label(lang)) for s in q.scales] + [(WERKBAAR, ui.tr("groups.not_werkbaar"))]
values = [[None if g not in view.shown else (
    None if view.shown[g].werkbaarheidsgraad is None else 100 - view.shown[g].werkbaarheidsgraad)
    if scale == WERKBAAR else (view.shown[g].scales[scale].pct_knelpunt
                               if scale in view.shown[g].scales else None)
    for g in view.groups] for scale, _ in rows]
st.plotly_chart(heatmap([label for _, label in rows], [names[dimension][g] for g in view.groups],
                        values, lang), width="stretch", config={"displayModeBar": False})
st.caption(ui.tr("groups.heatmap_help"))

st.subheader(ui.tr("groups.drivers"))
found = ui.cached(drivers, round_id, [s.id for s in q.indicators], [s.id for s in q.risk_factors],
                  org.min_group_size, groups={d: list(g) for d, g in names.items()},
                  db_path=db)
if not found:
    st.info(ui.tr("groups.drivers_too_few"))
for d in found:
    st.markdown(ui.tr("groups.driver", risk=q.scale(d.risk_factor).label(lang),
                      indicator=q.scale(d.indicator).label(lang), with_risk=round(
                          d.pct_with_risk), without=round(d.pct_without_risk)))
st.caption(ui.tr("groups.drivers_help"))

answers = open_answers(round_id, db_path=db)
with st.expander(ui.tr("groups.open", count=len(answers))):
    if not answers:
        st.info(ui.tr("groups.open_too_few"))
    for answer in answers:
        st.text(answer)  # as typed: never rendered as Markdown or HTML
