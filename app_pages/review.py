"""Bronnen nakijken (platform admin): the facts of the support catalogue and the collective-
dismissal rules due for a new check (assessment.review), each with why and where to look."""


import streamlit as st

from assessment import clock, collective_dismissal, formatting, review, ui
from assessment.access import MANAGE_ACCOUNTS
from assessment.ui.router import entry_guard

entry_guard(MANAGE_ACCOUNTS)
lang = ui.lang()
st.title(ui.tr("review.title"))
st.caption(ui.tr("review.intro", months=6, days=review.ENDING_WITHIN.days))
catalogue = ui.catalogue()
if catalogue is None:
    st.stop()
queue = review.due(catalogue, collective_dismissal.load_rules(), clock.today())
if not queue:
    st.success(ui.tr("review.none"))
    st.stop()
st.subheader(ui.tr("review.count", count=len(queue)))
st.markdown("\n".join(
    f"- **{ui.plain(item.measure.name(lang) if item.measure else item.subject)}**: "
    + ui.tr(f"review.{item.reason}", date=formatting.day(item.on, lang))
    + f" · {ui.source_links([item.url])}" for item in queue))
