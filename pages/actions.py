"""The action plan: actions from recommendations or free ideas, with owner, due date, status
and expected support; add, edit, close."""

from datetime import date

import pandas as pd
import streamlit as st

from assessment import exports, ui
from assessment.access import VIEW_RESULTS
from assessment.actions import STATUSES, add_action, list_actions, update_action
from assessment.errors import InputError
from assessment.ui.router import entry_guard

entry_guard(VIEW_RESULTS)
lang, db = ui.lang(), ui.database()
st.title(ui.tr("actions.title"))
org = ui.organisation_or_stop()
st.caption(ui.tr("actions.intro"))
actions = list_actions(org.id, db_path=db)


def status_label(code: str) -> str:
    return ui.tr(f"actions.status.{code}")


def new_action_form() -> None:
    with st.expander(ui.tr("actions.new"), expanded=not actions), st.form(
            "new_action", clear_on_submit=True):
        title = st.text_input(ui.tr("actions.what"), max_chars=200)
        col1, col2 = st.columns(2)
        owner = col1.text_input(ui.tr("actions.owner"), max_chars=120)
        due = col2.date_input(ui.tr("actions.due"), value=None, format="DD/MM/YYYY",
                              min_value=date.today())
        support = st.text_input(ui.tr("actions.support"))
        if st.form_submit_button(ui.tr("actions.add"), type="primary"):
            try:
                add_action(org.id, title, owner=owner, due_on=due, expected_support=support,
                           db_path=db)
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.rerun()


editable = ui.may_edit()  # an HR viewer reads the plan, nothing more
if editable:
    new_action_form()
if not actions:
    st.stop()
plan = pd.DataFrame([{
    ui.tr("actions.what"): a.title, ui.tr("actions.owner"): a.owner,
    ui.tr("actions.due"): a.due_on, ui.tr("actions.state"): status_label(a.status),
    ui.tr("actions.support"): a.expected_support,
} for a in actions])
# Streamlit's toolbar download is off app-wide (client.disableDataExport): these cells hold
# typed text, so the plan is downloaded only through assessment.exports, neutralised.
st.dataframe(plan, hide_index=True, width="stretch",
             column_config={ui.tr("actions.due"): st.column_config.DateColumn(
                 format="DD/MM/YYYY")})
export = plan.assign(**{ui.tr("actions.notes"): [a.notes for a in actions]})
export[ui.tr("actions.due")] = [f"{a.due_on:%d/%m/%Y}" if a.due_on else "" for a in actions]
col1, col2 = st.columns(2)
col1.download_button(ui.tr("actions.export_csv"), exports.frame_csv(export),
                     file_name="werkbaar-actieplan.csv", mime="text/csv",
                     icon=":material/download:", on_click="ignore")
col2.download_button(ui.tr("actions.export_xlsx"), exports.frame_xlsx(export, "Actieplan"),
                     file_name="werkbaar-actieplan.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     icon=":material/download:", on_click="ignore")

if not editable:
    st.stop()
st.subheader(ui.tr("actions.edit"))
ids = [a.id for a in actions]
chosen = st.selectbox(ui.tr("actions.which"), ids,
                      format_func=lambda i: next(a.title for a in actions if a.id == i))
action = next(a for a in actions if a.id == chosen)
with st.form(f"edit-{action.id}"):
    title = st.text_input(ui.tr("actions.what"), value=action.title, max_chars=200)
    col1, col2, col3 = st.columns(3)
    owner = col1.text_input(ui.tr("actions.owner"), value=action.owner, max_chars=120)
    due = col2.date_input(ui.tr("actions.due"), value=action.due_on, format="DD/MM/YYYY")
    status = col3.selectbox(ui.tr("actions.state"), STATUSES, format_func=status_label,
                            index=STATUSES.index(action.status))
    support = st.text_input(ui.tr("actions.support"), value=action.expected_support)
    notes = st.text_area(ui.tr("actions.notes"), value=action.notes, max_chars=2000)
    if st.form_submit_button(ui.tr("actions.save"), type="primary"):
        try:
            update_action(org.id, action.id, title=title, owner=owner, due_on=due,
                          status=status, expected_support=support, notes=notes, db_path=db)
        except InputError as error:
            ui.show_input_error(error)
        else:
            st.rerun()
