"""HR dashboard of one round: response, werkbaarheidsgraad, indicators and risk factors beside
the published Flemish and sector figures. Groups below the threshold show no figures. Every
figure goes to the browser as it is shown (:func:`assessment.charts.shown`): respondent figures
as whole percentages, the published figures with their 1 decimal."""

import pandas as pd
import streamlit as st

from assessment import benchmarks, ui
from assessment.access import VIEW_RESULTS
from assessment.actions import changes, list_actions
from assessment.charts import ChartRow, knelpunt_chart, shown, werkbaarheidsgraad_chart
from assessment.results import round_results
from assessment.rounds import list_rounds
from assessment.ui.peers import show_peer_position
from assessment.ui.router import entry_guard, link

entry_guard(VIEW_RESULTS)
lang, db = ui.lang(), ui.database()
st.title(ui.tr("dash.title"))
org = ui.organisation_picker()
rounds = list_rounds(org.id, db_path=db) if org else []


def show_action_plan(round_id: int | None) -> None:
    """The organisation's actions, and how the gap each addresses moved since it started."""
    st.subheader(ui.tr("dash.actions"))
    plan = list_actions(org.id, db_path=db)
    if not plan:
        st.caption(ui.tr("dash.actions_none"))
        link("support")
    for item in plan:
        due = f" · {item.due_on:%d/%m/%Y}" if item.due_on else ""
        owner = f" · {ui.plain(item.owner)}" if item.owner else ""
        st.markdown(f"- **{ui.plain(item.title)}** · {ui.tr(f'actions.status.{item.status}')}"
                    f"{due}{owner}")
    labels = {s.id: s.label(lang) for s in ui.questionnaire().scales}
    for change in changes(plan, round_id, org.min_group_size, db_path=db) if round_id else []:
        st.info(ui.tr("dash.change", scale=labels[change.action.gap_id],
                      before=shown(change.before), after=shown(change.after)))


if not rounds:
    st.info(ui.tr("dash.no_rounds"))
    link("rounds")
    if org:
        show_action_plan(None)
    st.stop()
ids = [r.id for r in rounds]
closed = [r.id for r in rounds if r.status() == "closed"]  # open rounds show no figures
default = st.session_state.get("round_id") if st.session_state.get("round_id") in ids else (
    closed[0] if closed else ids[0])
round_id = st.selectbox(ui.tr("rounds.choose"), ids, index=ids.index(default),
                        format_func=lambda i: next(r.title for r in rounds if r.id == i))
st.session_state["round_id"] = round_id
res = round_results(round_id, org.min_group_size, db_path=db)

col1, col2, col3 = st.columns(3)
col1.metric(ui.tr("rounds.responses"), res.n_responses)
col2.metric(ui.tr("dash.response_rate"), "–" if res.response_rate is None
            else f"{shown(res.response_rate)}%", help=ui.tr("dash.response_rate_help"))
if not res.shown:
    selected = next(r for r in rounds if r.id == round_id)
    if res.reason == "open":
        st.info(ui.tr("dash.open", closes=f"{selected.closes_on:%d/%m/%Y}"))
    else:
        st.warning(ui.tr("dash.too_few", threshold=res.threshold, n=res.n_responses))
    show_action_plan(round_id)
    st.stop()

sector = benchmarks.sector_for_division(org.nace_division)
flemish = benchmarks.latest("werkbaarheidsgraad")
in_sector = benchmarks.latest("werkbaarheidsgraad", sector.code) if sector else None
if res.werkbaarheidsgraad is not None:
    # the difference of the two figures the chart below shows, so that it adds up
    col3.metric(ui.tr("dash.werkbaarheidsgraad"), f"{shown(res.werkbaarheidsgraad)}%",
                delta=f"{shown(res.werkbaarheidsgraad) - shown(flemish.value_pct):+d} pp "
                + ui.tr("dash.vs_flanders", year=flemish.year), delta_color="normal",
                help=ui.tr("dash.werkbaarheidsgraad_help"))
    st.plotly_chart(werkbaarheidsgraad_chart(
        res.werkbaarheidsgraad, flemish.value_pct, in_sector.value_pct if in_sector else None,
        lang, ui.tr("dash.flanders_year", year=flemish.year),
        ui.tr("dash.sector_year", name=sector.name(lang), year=in_sector.year)
        if in_sector else ""), width="stretch", config={"displayModeBar": False})
show_peer_position(org.id, round_id)

q = ui.questionnaire()
used = []
for kind, heading in (("indicator", "dash.indicators"), ("risk_factor", "dash.risk_factors")):
    rows, table = [], []
    for scale in (s for s in q.scales if s.kind == kind and s.id in res.scales):
        fig = res.scales[scale.id]
        flanders = benchmarks.latest(f"{scale.id}_knelpunt")
        in_sec = benchmarks.latest(f"{scale.id}_knelpunt", sector.code) if sector else None
        used += [b for b in (flanders, in_sec) if b]
        rows.append(ChartRow(scale.label(lang), fig.pct_knelpunt, fig.pct_acuut,
                             flanders.value_pct if flanders else None,
                             in_sec.value_pct if in_sec else None))
        table.append({
            ui.tr("dash.scale"): scale.label(lang), ui.tr("dash.n"): fig.n,
            ui.tr("dash.mean"): shown(fig.mean), ui.tr("dash.knelpunt"): shown(fig.pct_knelpunt),
            ui.tr("dash.acuut"): shown(fig.pct_acuut),
            ui.tr("chart.flanders"): shown(flanders.value_pct, 1) if flanders else None,
            ui.tr("chart.sector"): shown(in_sec.value_pct, 1) if in_sec else None,
        })
    if rows:
        st.subheader(ui.tr(heading))
        st.caption(ui.tr(f"{heading}_help"))
        st.plotly_chart(knelpunt_chart(rows, lang), width="stretch",
                        config={"displayModeBar": False})
        with st.expander(ui.tr("dash.table")):
            st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")

show_action_plan(round_id)

with st.expander(ui.tr("dash.sources")):
    st.markdown(ui.tr("dash.sources_intro"))
    for b in sorted({*used, flemish, *([in_sector] if in_sector else [])},
                    key=lambda b: (b.scope, b.metric)):
        where = sector.name(lang) if b.scope == "sector" else ui.tr("chart.flanders")
        st.markdown(f"- {ui.plain(b.metric)} · {ui.plain(where)} · {b.year} · "
                    f"{ui.plain(b.population)} · {shown(b.value_pct, 1)}% · "
                    f"[{ui.tr('dash.source')}]({b.source_url})")
    if not sector:
        st.caption(ui.tr("dash.no_sector"))
st.caption(ui.tr("dash.provisional"))
