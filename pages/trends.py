"""Trends: an organisation's rounds side by side, on the same questionnaire version, with the
change since the previous round. Figures, and the change arrows, are computed from the whole
percentages on screen (:func:`assessment.charts.shown`): an arrow never tells which of two
rounds both shown as "44%" was higher."""

import pandas as pd
import streamlit as st

from assessment import ui
from assessment.access import VIEW_RESULTS
from assessment.charts import shown, trend_chart
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

graad = [shown(res.werkbaarheidsgraad) for res in found.results]
st.plotly_chart(trend_chart(titles, graad, ui.tr("dash.werkbaarheidsgraad")), width="stretch",
                config={"displayModeBar": False})

rows = [{ui.tr("dash.scale"): ui.tr("dash.werkbaarheidsgraad"),
         **{t: f"{g:.0f}%" if g is not None else "–" for t, g in zip(titles, graad,
                                                                   strict=True)},
         ui.tr("trends.change"): arrow(graad[-2], graad[-1], higher_is_better=True)}]
for scale in q.scales:
    shares = [shown(res.scales[scale.id].pct_knelpunt) if scale.id in res.scales else None
              for res in found.results]
    rows.append({ui.tr("dash.scale"): scale.label(lang),
                 **{t: f"{v:.0f}%" if v is not None else "–" for t, v in zip(titles, shares,
                                                                           strict=True)},
                 ui.tr("trends.change"): arrow(shares[-2], shares[-1])})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.caption(ui.tr("trends.help"))
