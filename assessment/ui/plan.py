"""Putting a measure on the action plan, shared by the support page and the dashboard summary;
and the gap picker the action plan page uses for an action of one's own.

The button opens a dialog that asks who takes it on, by when, and which of the organisation's
gaps it addresses (preselected: the gap the measure ranks on, measured before self-assessed),
shows the support to expect and asks the amount in euro the organisation counts on.

Decision: owner, due date and amount may stay empty. An HR manager often puts a measure on the
plan before the owner is known; the plan then says "niet ingevuld" and asks for them, rather
than the dialog refusing to save. A measure already on the plan shows "in het actieplan"
instead of the button; a viewer who may not edit sees neither.
"""

from __future__ import annotations

import streamlit as st

from .. import clock, formatting
from ..actions import add_action
from ..datafile import Text
from ..errors import InputError
from ..gaps import organisation_gaps
from ..organisations import Organisation
from ..recommendations import Gap, Recommendation
from . import (
    context,
    dialog,
    employer_questionnaire,
    lang,
    may_edit,
    questionnaire,
    show_input_error,
    tr,
)
from .scroll import hide_input_instructions

FLASH_KEY = "_plan_flash"  # the confirmation, shown after the rerun that closes the dialog


def gap_option(gap: Gap, language: str) -> str:
    """A gap in a select box, short enough for a phone: "Werkdruk · 53% met een knelpunt"."""
    if gap.source == "practice":
        figure = formatting.number(100 - gap.size, language)
    else:
        figure = formatting.percent(gap.size, language)
    return tr(f"plan.gap_{gap.source}", name=gap.label(language) if gap.label else gap.id,
              figure=figure)


def gap_select(label: str, gaps: list[Gap], others: dict[str, Text], *, key: str,
               preselected: str | None = None, allow_none: bool = False) -> str | None:
    """Pick the gap an action addresses: the organisation's current gaps first (in the order
    they rank, each with its figure), then every other scale and practice area by name."""
    language = lang()
    shown = {g.id: gap_option(g, language) for g in gaps}
    shown |= {gap_id: name(language) for gap_id, name in others.items() if gap_id not in shown}
    options = ([None] if allow_none else []) + list(shown)
    index = options.index(preselected) if preselected in options else (0 if allow_none
                                                                       else None)
    return st.selectbox(label, options, index=index, key=key,
                        placeholder=tr("plan.gap_choose"),
                        format_func=lambda g: shown[g] if g else tr("plan.no_gap"))


def plan_button(organisation: Organisation, rec: Recommendation, *, key: str,
                planned: set[str]) -> None:
    """The "add to action plan" button for ``rec``, or "in het actieplan" when it is there
    (``planned``: the measures on the plan, read once by the page for all its buttons)."""
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.toast(flash, icon=":material/check_circle:")  # a toast before st.rerun is lost
    if not may_edit():
        return
    if rec.measure.id in planned:
        st.caption(f":material/check_circle: {tr('plan.in_plan')}")
        return
    if st.button(tr("plan.add"), key=f"plan-button:{key}", icon=":material/playlist_add:"):
        dialog(tr("plan.dialog_title"), width="medium")(_dialog)(organisation, rec, key)


def _dialog(organisation: Organisation, rec: Recommendation, key: str) -> None:
    ctx, language = context(), lang()
    hide_input_instructions()  # "Press Enter to apply" is English only
    measure = rec.measure
    st.markdown(f"**{measure.name(language)}**")
    st.markdown(f"{tr('support.expected')} {rec.support(language)}")
    gaps = organisation_gaps(ctx, organisation, questionnaire(), employer_questionnaire()).gaps
    gap_id = gap_select(tr("plan.gap"), gaps, {}, key=f"plan-gap:{key}", allow_none=True,
                        preselected=rec.gaps[0].id if rec.gaps else None)
    col1, col2 = st.columns(2)
    owner = col1.text_input(tr("actions.owner"), max_chars=120, key=f"plan-owner:{key}",
                            placeholder=tr("plan.owner_hint"))
    due = col2.date_input(tr("actions.due"), value=None, format="DD/MM/YYYY",
                          min_value=clock.today(), key=f"plan-due:{key}")
    euro = st.number_input(tr("actions.expected_eur"), min_value=0.0, value=None, step=100.0,
                           format="%.0f", key=f"plan-eur:{key}",
                           help=tr("actions.expected_eur_help"))
    if st.button(tr("plan.save"), type="primary", key=f"plan-save:{key}"):
        try:
            add_action(ctx, organisation.id, measure.name(language), owner=owner, due_on=due,
                       measure_id=measure.id, gap_id=gap_id, expected_eur=euro,
                       expected_support=rec.support(language))
        except InputError as error:
            show_input_error(error)
        else:
            st.session_state[FLASH_KEY] = tr("support.added", name=measure.name(language))
            st.rerun()  # the whole page: closes the dialog, the card now says "in het plan"
