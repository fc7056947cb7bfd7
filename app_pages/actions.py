"""The action plan: every action with the measure and the gap it is for, owner, due date,
status, expected support in euro and, after the next round (or self-assessment, for a practice
area), the effect on its gap; add one's own action tied to a gap, bring an action up to date
in a dialog, download the plan.

Decision: the plan is a list of cards rather than a table: eight facts per action do not fit a
phone's width, and an HR manager reads a plan action by action. The download keeps every fact
as a column."""


import pandas as pd
import streamlit as st

from assessment import clock, exports, formatting, ui
from assessment.access import VIEW_RESULTS
from assessment.actions import (
    OPEN_STATUSES,
    STATUSES,
    Action,
    Change,
    add_action,
    changes,
    list_actions,
    practice_changes,
    update_action,
)
from assessment.errors import InputError
from assessment.formatting import shown
from assessment.gaps import gap_labels, organisation_gaps
from assessment.profile import load_profile
from assessment.recommendations import measure_support
from assessment.ui.plan import gap_option, gap_select
from assessment.ui.router import entry_guard
from assessment.ui.scroll import hide_input_instructions

entry_guard(VIEW_RESULTS)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("actions.title"))
hide_input_instructions()  # Streamlit's "Press Enter to apply" is English only
org = ui.organisation_or_stop()
st.caption(ui.tr("actions.intro"))
actions = list_actions(ctx, org.id)
measures = {m.id: m for m in ui.catalogue() or ()}
profile = load_profile(ctx, org.id)  # what a measure pays depends on the size class
labels = gap_labels(ui.questionnaire(), ui.employer_questionnaire())
scales = {s.id for s in ui.questionnaire().scales}  # gaps the next survey round measures
summary = organisation_gaps(ctx, org, ui.questionnaire(), ui.employer_questionnaire())
current = {g.id: g for g in summary.gaps}
effects: dict[int, Change] = {c.action.id: c for c in (changes(ctx,
    actions, summary.survey_round.id)
    if summary.survey_round else []) + practice_changes(ctx,
    actions, ui.employer_questionnaire())}
editable = ui.may_edit()  # an HR viewer reads the plan, nothing more


def status_label(code: str) -> str:
    return ui.tr(f"actions.status.{code}")


def title_text(action: Action) -> str:
    """The action's title; one that is still its measure's name (as put on the plan from the
    support page, in the language of whoever added it) in the reader's language."""
    measure = measures.get(action.measure_id or "")
    if measure and action.title in (measure.name("nl"), measure.name("en")):
        return measure.name(lang)
    return action.title


def measure_text(action: Action) -> str:
    measure = measures.get(action.measure_id or "")
    return measure.name(lang) if measure else ui.tr("actions.own")


def gap_text(action: Action) -> str:
    """The gap in words, with today's figure when it is still a gap."""
    if action.gap_id in current:
        return gap_option(current[action.gap_id], lang)
    if action.gap_id in labels:
        return labels[action.gap_id](lang)
    return formatting.MISSING


def support_text(action: Action) -> str:
    """The amount in euro when one was given; else what the measure brings, in the reader's
    language (from the catalogue, as the support page says it); else the words typed."""
    if action.expected_eur is not None:
        return formatting.euro(action.expected_eur, lang)
    measure = measures.get(action.measure_id or "")
    if measure:
        return measure_support(measure, profile)(lang)
    return action.expected_support or formatting.MISSING


def effect(action: Action) -> tuple[str, str] | None:
    """The change on the gap since the action started and its colour: green better, red
    worse, grey unchanged; ``None`` when there is no later round (or self-assessment, for a
    practice area) yet."""
    change = effects.get(action.id)
    if change is None:
        return None
    verdict = {True: "better", False: "worse", None: "same"}[change.better]
    if change.higher_is_better:  # a practice score out of 100
        text = ui.tr("actions.effect_practice", gap=labels[action.gap_id](lang),
                     before=formatting.number(shown(change.before), lang),
                     after=formatting.number(shown(change.after), lang),
                     verdict=ui.tr(f"actions.{verdict}"))
    else:
        text = ui.tr("actions.effect", gap=labels[action.gap_id](lang),
                     before=formatting.percent(shown(change.before), lang),
                     after=formatting.percent(shown(change.after), lang),
                     verdict=ui.tr(f"actions.{verdict}"))
    return text, {"better": "green", "worse": "red", "same": "gray"}[verdict]


def not_set() -> str:
    return f":orange[{ui.tr('actions.not_set')}]"


def new_action_form() -> None:
    """An action of one's own: what, the gap it addresses (required), owner, due, euro."""
    with st.expander(ui.tr("actions.new"), expanded=not actions), st.form(
            "new_action", clear_on_submit=True, enter_to_submit=False):
        title = st.text_input(ui.tr("actions.what"), max_chars=200)
        gap_id = gap_select(ui.tr("plan.gap"), summary.gaps, labels, key="new-gap")
        col1, col2 = st.columns(2)
        owner = col1.text_input(ui.tr("actions.owner"), max_chars=120,
                                placeholder=ui.tr("plan.owner_hint"))
        due = col2.date_input(ui.tr("actions.due"), value=None, format="DD/MM/YYYY",
                              min_value=clock.today())
        euro = st.number_input(ui.tr("actions.expected_eur"), min_value=0.0, value=None,
                               step=100.0, format="%.0f", help=ui.tr("actions.expected_eur_help"))
        if st.form_submit_button(ui.tr("actions.add"), type="primary"):
            try:
                add_action(ctx, org.id, title, owner=owner, due_on=due, gap_id=gap_id,
                           expected_eur=euro)
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.rerun()


def edit_dialog(action: Action) -> None:
    """Bring one action up to date: owner, due date, status, gap, support, notes."""
    with st.form(f"edit-{action.id}", enter_to_submit=False):
        title = st.text_input(ui.tr("actions.what"), value=action.title, max_chars=200)
        gap_id = gap_select(ui.tr("plan.gap"), summary.gaps, labels,
                            key=f"edit-gap-{action.id}", preselected=action.gap_id,
                            allow_none=bool(action.measure_id))
        col1, col2 = st.columns(2)
        owner = col1.text_input(ui.tr("actions.owner"), value=action.owner, max_chars=120,
                                placeholder=ui.tr("plan.owner_hint"))
        due = col2.date_input(ui.tr("actions.due"), value=action.due_on, format="DD/MM/YYYY")
        col1, col2 = st.columns(2)
        status = col1.selectbox(ui.tr("actions.state"), STATUSES, format_func=status_label,
                                index=STATUSES.index(action.status))
        euro = col2.number_input(ui.tr("actions.expected_eur"), min_value=0.0,
                                 value=action.expected_eur, step=100.0, format="%.0f",
                                 help=ui.tr("actions.expected_eur_help"))
        notes = st.text_area(ui.tr("actions.notes"), value=action.notes, max_chars=2000)
        if st.form_submit_button(ui.tr("actions.save"), type="primary"):
            try:
                update_action(ui.context(), org.id, action.id, title=title, owner=owner, due_on=due,
                              status=status, expected_support=action.expected_support,
                              notes=notes, gap_id=gap_id, expected_eur=euro)
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.rerun()


def card(action: Action) -> None:
    """One action: what it is for, who, by when, what it brings, and what changed."""
    with st.container(border=True, key=f"action-{action.id}"):
        st.markdown(f"**{ui.plain(title_text(action))}** · {status_label(action.status)}")
        facts = [
            (ui.tr("actions.measure"), measure_text(action)),
            (ui.tr("actions.gap"), gap_text(action)),
            (ui.tr("actions.owner"), ui.plain(action.owner) if action.owner else not_set()),
            (ui.tr("actions.due"), formatting.day(action.due_on, lang) if action.due_on
             else not_set()),
            (ui.tr("actions.support"), support_text(action)),
        ]
        st.markdown("  \n".join(f"**{name}:** {value}" for name, value in facts))
        if found := effect(action):
            text, colour = found
            st.markdown(f":{colour}[{text}]")
        elif action.gap_id in scales and action.status != "dropped":
            st.caption(ui.tr("actions.effect_later"))
        elif action.gap_id in labels and action.status != "dropped":  # a practice area
            st.caption(ui.tr("actions.effect_self"))
        missing = "_".join(k for k, v in (("owner", action.owner), ("due", action.due_on))
                           if not v)
        if editable and missing and action.status in OPEN_STATUSES:
            st.caption(f":material/edit_note: {ui.tr(f'actions.fill_in_{missing}')}")
        if editable and st.button(ui.tr("actions.update"), key=f"edit-{action.id}",
                                  icon=":material/edit:"):
            ui.dialog(ui.tr("actions.edit"), width="medium")(edit_dialog)(action)


def export_frame() -> pd.DataFrame:
    """Every fact of the plan as a column, written as on screen (dates and euros per
    language); neutralised by assessment.exports on the way out."""
    return pd.DataFrame([{
        ui.tr("actions.what"): title_text(a),
        ui.tr("actions.measure"): measure_text(a),
        ui.tr("actions.gap"): gap_text(a),
        ui.tr("actions.owner"): a.owner,
        ui.tr("actions.due"): formatting.day(a.due_on, lang) if a.due_on else "",
        ui.tr("actions.state"): status_label(a.status),
        ui.tr("actions.support"): support_text(a),
        ui.tr("actions.effect_column"): found[0] if (found := effect(a)) else "",
        ui.tr("actions.notes"): a.notes,
    } for a in actions])


if editable:
    new_action_form()
for item in actions:
    card(item)
if actions:
    # Streamlit's toolbar download is off app-wide (client.disableDataExport): these cells hold
    # typed text, so the plan is downloaded only through assessment.exports, neutralised.
    export = export_frame()
    col1, col2 = st.columns(2)
    col1.download_button(ui.tr("actions.export_csv"), exports.frame_csv(export, lang),
                         file_name="werkbaar-actieplan.csv", mime="text/csv",
                         icon=":material/download:", on_click="ignore")
    col2.download_button(ui.tr("actions.export_xlsx"), exports.frame_xlsx(export, "Actieplan"),
                         file_name="werkbaar-actieplan.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml."
                              "sheet",
                         icon=":material/download:", on_click="ignore")
