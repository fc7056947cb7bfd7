"""Trends: an organisation's rounds side by side, on the same questionnaire version, with the
change since the previous round."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from assessment import ui
from assessment.access import VIEW_RESULTS
from assessment.results import arrow, trend
from assessment.ui.router import entry_guard

entry_guard(VIEW_RESULTS)
lang, db, q = ui.lang(), ui.database(), ui.questionnaire()
st.title(ui.tr("trends.title"))
org = ui.organisation_picker()
found = trend(org.id, org.min_group_size, db_path=db) if org else None
if found is None or len(found.rounds) < 2:
    st.info(ui.tr("trends.too_few"))
    st.stop()
titles = [r.title for r in found.rounds]
st.caption(ui.tr("trends.intro", version=found.questionnaire_version))

graad = [res.werkbaarheidsgraad for res in found.results]
fig = go.Figure(go.Scatter(x=titles, y=graad, mode="lines+markers+text",
                           text=[f"{g:.0f}%" if g is not None else "" for g in graad],
                           textposition="top center", line={"color": "#1f6f8b"}))
fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                  yaxis={"range": [0, 100], "ticksuffix": "%",
                         "title": ui.tr("dash.werkbaarheidsgraad")}, plot_bgcolor="white")
st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})

rows = [{ui.tr("dash.scale"): ui.tr("dash.werkbaarheidsgraad"),
         **{t: f"{g:.0f}%" if g is not None else "–" for t, g in zip(titles, graad,
                                                                   strict=True)},
         ui.tr("trends.change"): arrow(graad[-2], graad[-1], higher_is_better=True)}]
for scale in q.scales:
    shares = [res.scales[scale.id].pct_knelpunt if scale.id in res.scales else None
              for res in found.results]
    rows.append({ui.tr("dash.scale"): scale.label(lang),
                 **{t: f"{v:.0f}%" if v is not None else "–" for t, v in zip(titles, shares,
                                                                           strict=True)},
                 ui.tr("trends.change"): arrow(shares[-2], shares[-1])})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.caption(ui.tr("trends.help"))
