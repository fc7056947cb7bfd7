"""Trends: an organisation's rounds side by side, with the change since the previous round;
rounds on different questionnaire versions are compared only on the scales both measure with
the same questions and cut-offs (the page names those left out). Figures, and the change
arrows, are computed from the whole percentages on screen (:func:`assessment.charts.shown`):
an arrow never tells which of two rounds both shown as "44%" was higher.

Decisions: the chart's x axis carries each round's closing date (the early closing date when
it was closed early), written per language, with the round's title in the hover; the table
is a static ``st.table`` that shows every row, the scale, the newest round, the change since
the round before it, then the earlier rounds newest first (each headed by title and date): on
a phone the newest figure and its change stay in view, older rounds scroll sideways. A change
is green with ✓ when better, red with ✗ when worse (the symbol, not only the colour, carries
the meaning); a missing figure or change is "—"."""

import pandas as pd
import streamlit as st

from assessment import ui
from assessment.access import VIEW_RESULTS
from assessment.charts import trend_chart
from assessment.formatting import MISSING, day, difference, percent
from assessment.results import WERKBAAR
from assessment.text import escape_markdown
from assessment.trend import BETTER, WORSE, change, trend
from assessment.ui.router import entry_guard

CHANGE_COLOURS = {BETTER: "#1a7f37", WORSE: "#b2182b"}  # 5.1:1 and 6.5:1 on white
NBSP = "\u00a0"  # a change such as "↓ −14 pp ✓" never breaks over two lines

entry_guard(VIEW_RESULTS)
lang, ctx, q = ui.lang(), ui.context(), ui.questionnaire()
st.title(ui.tr("trends.title"))
org = ui.organisation_picker()
found = trend(ctx, org.id) if org else None
if found is None or len(found.rounds) < 2:
    st.info(ui.tr("trends.too_few"))
    st.stop()
labels = {s.id: s.label(lang) for s in q.scales} | {WERKBAAR: ui.tr("dash.werkbaarheidsgraad")}
st.caption(ui.tr("trends.intro_versions", versions=", ".join(map(str, found.versions)))
           if len(found.versions) > 1 else ui.tr("trends.intro", version=found.versions[0]))
if left_out := [labels[s.id] for s in q.scales if s.id not in found.scales]:
    st.info(ui.tr("trends.not_compared", scales=", ".join(left_out)))
closed = [day(r.closed_early_on or r.closes_on, lang) for r in found.rounds]
titles = [r.title for r in found.rounds]

series = [(labels[column], values, better) for column, values, better in found.series()]
if found.graad:
    ui.chart(trend_chart(closed, titles, series[0][1], ui.tr("dash.werkbaarheidsgraad"),
                         ui.tr("trends.closed")))
heads = [ui.tr("trends.round", title=escape_markdown(title), date=date)
         for title, date in zip(titles, closed, strict=True)][::-1]  # newest first
rows, verdicts = [], []
for label, values, higher_is_better in series:
    moved = change(values[-2], values[-1], higher_is_better)
    verdicts.append(moved and moved.verdict)
    shares = [percent(v, lang) for v in values][::-1]
    rows.append([label, shares[0], MISSING if moved is None else NBSP.join(
        [moved.arrow, difference(moved.points, lang).replace(" ", NBSP), *filter(None, [
            moved.mark])]), *shares[1:]])
table = pd.DataFrame(rows, columns=[ui.tr("dash.scale"), heads[0], ui.tr("trends.change"),
                                    *heads[1:]])
styles = pd.DataFrame(  # one cell per row styled: the change, when better or worse
    [["", "", f"color: {CHANGE_COLOURS[verdict]}; font-weight: 600"
      if verdict in CHANGE_COLOURS else "", *[""] * (len(table.columns) - 3)]
     for verdict in verdicts], index=table.index, columns=table.columns)
st.table(table.style.apply(lambda _: styles, axis=None), hide_index=True)
st.caption(ui.tr("trends.help"))
