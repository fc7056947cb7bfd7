"""Vragenlijsten (platform admin): the employee questionnaire's stored versions, importing a
new one, previewing a version on a phone, activating it for new rounds; and which reference
data files (benchmarks, support catalogue) are live (assessment.ui.questionnaires)."""

import streamlit as st

from assessment import questionnaire_store, ui
from assessment.access import MANAGE_ACCOUNTS
from assessment.ui import questionnaires as parts
from assessment.ui.router import entry_guard, link

scope = entry_guard(MANAGE_ACCOUNTS)
ctx = ui.context()
lang = ui.lang()
st.title(ui.tr("questionnaires.title"))
st.caption(ui.tr("questionnaires.intro"))
parts.done_message()
versions = questionnaire_store.list_versions(ctx)

st.subheader(ui.tr("questionnaires.versions"))
parts.versions_table(ctx, versions, lang)
st.subheader(ui.tr("questionnaires.import_heading"))
parts.import_form(ctx, scope)
st.subheader(ui.tr("questionnaires.preview"))
parts.preview(ctx, versions, lang)
st.subheader(ui.tr("questionnaires.activate_heading"))
parts.activate_form(ctx, scope, versions)

st.subheader(ui.tr("questionnaires.reference"))
parts.reference_files(lang)
link("review")
