"""One button to put a recommended measure on the action plan, shared by the support page and
the dashboard summary.

The button opens a dialog that asks who takes it on, by when, and which of the organisation's
gaps it addresses (preselected: the largest gap the measure addresses), and shows the support to
expect. Owner and due date may stay empty: an HR manager often puts a measure on the plan
before the owner is known; the plan then says "niet ingevuld" and asks for them. A measure
already on the plan shows "in het actieplan" instead of the button, and a viewer who may not
edit sees neither.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from ..actions import add_action, list_actions
from ..errors import InputError
from ..gaps import organisation_gaps
from ..organisations import Organisation
from ..recommendations import Recommendation
from . import database, employer_questionnaire, lang, may_edit, questionnaire, show_input_error, tr

FLASH_KEY = "_plan_flash"  # the confirmation, shown after the rerun that closes the dialog


def _planned(organisation_id: int) -> set[str]:
    return {a.measure_id for a in list_actions(organisation_id, db_path=database())
            if a.measure_id}


def plan_button(organisation: Organisation, rec: Recommendation, *, key: str) -> None:
    """The "add to action plan" button for ``rec``, or "in het actieplan" when it is there."""
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.toast(flash, icon=":material/check_circle:")  # a toast before st.rerun is lost
    if not may_edit():
        return
    if rec.measure.id in _planned(organisation.id):
        st.caption(f":material/check_circle: {tr('plan.in_plan')}")
        return
    if st.button(tr("plan.add"), key=f"plan-button:{key}", icon=":material/playlist_add:"):
        st.dialog(tr("plan.dialog_title"), width="medium")(_dialog)(organisation, rec, key)


def _dialog(organisation: Organisation, rec: Recommendation, key: str) -> None:
    db, language = database(), lang()
    measure = rec.measure
    st.markdown(f"**{measure.name(language)}**")
    st.markdown(f"{tr('support.expected')} {rec.support(language)}")
    gaps = organisation_gaps(organisation, questionnaire(), employer_questionnaire(),
                             db_path=db).gaps
    labels = {g.id: g.message.text(language) for g in sorted(gaps, key=lambda g: -g.size)}
    options = [None, *labels]
    preselected = rec.gaps[0].id if rec.gaps and rec.gaps[0].id in labels else None
    gap_id = st.selectbox(tr("plan.gap"), options, index=options.index(preselected),
                          format_func=lambda g: labels[g] if g else tr("plan.no_gap"),
                          key=f"plan-gap:{key}")
    col1, col2 = st.columns(2)
    owner = col1.text_input(tr("actions.owner"), max_chars=120, key=f"plan-owner:{key}",
                            placeholder=tr("plan.owner_hint"))
    due = col2.date_input(tr("actions.due"), value=None, format="DD/MM/YYYY",
                          min_value=date.today(), key=f"plan-due:{key}")
    if st.button(tr("plan.save"), type="primary", key=f"plan-save:{key}"):
        try:
            add_action(organisation.id, measure.name(language), owner=owner, due_on=due,
                       measure_id=measure.id, gap_id=gap_id,
                       expected_support=rec.support(language), db_path=db)
        except InputError as error:
            show_input_error(error)
        else:
            st.session_state[FLASH_KEY] = tr("support.added", name=measure.name(language))
            st.rerun()  # the whole page: closes the dialog, the card now says "in het plan"
