"""Survey rounds: open one, reach the employees (links shown and downloadable once, printed
slips with QR and short codes, e-mails the platform sends, paper questionnaires and their
import; each channel's section in :mod:`assessment.ui.slips`, :mod:`assessment.ui.mailing`
and :mod:`assessment.ui.paper`), follow the response count per channel live, close a round.

The chosen round is this page's own (``rounds:round_id``): a round opened here does not become
the dashboard's round, which keeps showing the latest round with figures."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from assessment import audit, clock, formatting, questionnaire_store, ui
from assessment.access import EDIT_ORGANISATION
from assessment.confidentiality import may_show_response_rate, threshold
from assessment.errors import InputError
from assessment.formatting import shown
from assessment.i18n import LANGUAGE_NAMES, LANGUAGES
from assessment.organisations import set_department_headcounts
from assessment.results import channel_response, department_response
from assessment.rounds import (
    OPEN,
    close_round,
    create_invitations,
    get_round,
    invitation_link,
    links_csv,
    links_outnumber_headcount,
    list_rounds,
    open_round,
)
from assessment.storage import write_transaction
from assessment.ui import extras, mailing, paper, slips
from assessment.ui.router import entry_guard

ROUND_KEY = "rounds:round_id"

scope = entry_guard(EDIT_ORGANISATION)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("rounds.title"))
org = ui.organisation_or_stop()
st.caption(ui.tr("rounds.for", name=ui.plain(org.name)))

with st.expander(ui.tr("rounds.new"), expanded=not list_rounds(ctx, org.id)):
    with st.form("new_round"):
        title = st.text_input(ui.tr("rounds.round_title"), value=ui.tr(
            "rounds.default_title", year=clock.today().year), max_chars=120)
        col1, col2 = st.columns(2)
        opens_on = col1.date_input(ui.tr("rounds.opens_on"), value=clock.today(),
                                   format="DD/MM/YYYY")
        closes_on = col2.date_input(ui.tr("rounds.closes_on"), format="DD/MM/YYYY",
                                    value=clock.today() + timedelta(days=21))
        languages = st.pills(ui.tr("rounds.languages"), LANGUAGES, selection_mode="multi",
                             default=list(LANGUAGES), format_func=LANGUAGE_NAMES.get,
                             help=ui.tr("rounds.languages_help"))
        chosen_extras = extras.new_round_fields(org)
        if st.form_submit_button(ui.tr("rounds.open"), type="primary"):
            try:
                offered = tuple(c for c in LANGUAGES if c in (languages or ()))
                with write_transaction(ctx):  # the round and its audit entry, as the API does
                    new_id = open_round(ctx, org.id, title, opens_on, closes_on,
                                        questionnaire_store.active(ctx), languages=offered,
                                        extras=chosen_extras(offered))
                    audit.record(ctx, scope, audit.ROUND_OPENED,
                                 audit.round_subject(org, get_round(ctx, new_id)))
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.session_state[ROUND_KEY] = new_id
                st.success(ui.tr("rounds.opened"))

rounds = list_rounds(ctx, org.id)
if not rounds:
    st.stop()
ids = [r.id for r in rounds]
current = st.session_state.get(ROUND_KEY)
round_id = st.selectbox(ui.tr("rounds.choose"), ids, index=ids.index(current) if current in ids
                        else 0, format_func=lambda i: next(r.title for r in rounds if r.id == i))
st.session_state[ROUND_KEY] = round_id


@ui.fragment(run_every=timedelta(seconds=10))
def live_counts() -> None:
    """Refreshes every 10 seconds while the page is open."""
    ctx = ui.context()  # the page's, or the fragment run's own
    live = get_round(ctx, round_id)
    col1, col2, col3 = st.columns(3)
    ui.key_figure(col1, ui.tr("rounds.status"), ui.tr(f"status.{live.status()}"))
    ui.key_figure(col2, ui.tr("rounds.invited"), formatting.number(live.invited, lang))
    rate = f" ({formatting.percent(100 * live.responses / live.reached, lang)})" \
        if may_show_response_rate(live.reached) else ""
    ui.key_figure(col3, ui.tr("rounds.responses"),
                  f"{formatting.number(live.responses, lang)}{rate}")
    st.caption(ui.tr("rounds.period", opens=formatting.day(live.opens_on, lang),
                     closes=formatting.day(live.closes_on, lang)) + " · " + ui.tr(
        "rounds.offered", languages=", ".join(LANGUAGE_NAMES[c] for c in live.languages)))
    by_channel = channel_response(ctx, round_id)
    if len(by_channel) > 1 or any(c.channel != "link" for c in by_channel):
        st.table(pd.DataFrame([{
            ui.tr("rounds.channel"): ui.tr(f"channel.{c.channel}"),
            ui.tr("rounds.invited"): formatting.number(c.invited, lang) if c.channel != "paper"
            else "—",
            ui.tr("rounds.responses"): ui.tr("rounds.fewer_than", min=threshold(
                org.min_group_size)) if c.responses is None
            else formatting.number(c.responses, lang)} for c in by_channel]).set_index(
                ui.tr("rounds.channel")))
    if links_outnumber_headcount(live.invited, org.headcount):
        st.warning(ui.tr("rounds.too_many_links", links=formatting.number(live.invited, lang),
                         headcount=formatting.number(org.headcount, lang)))


live_counts()
if org.departments:
    with st.expander(ui.tr("rounds.by_department")):
        st.caption(ui.tr("rounds.by_department_help", min=threshold(org.min_group_size)))
        rates = {r.department_id: r for r in department_response(ctx,
            round_id, org.departments)}
        table = pd.DataFrame([{
            "id": d.id, ui.tr("rounds.department"): d.name, ui.tr("rounds.people"): d.headcount,
            ui.tr("rounds.responses"): rates[d.id].responses,
            ui.tr("dash.response_rate"): shown(rates[d.id].rate)} for d in org.departments])
        edited = st.data_editor(
            table, hide_index=True, width="stretch", key=f"people-{org.id}",
            disabled=[c for c in table.columns if c != ui.tr("rounds.people")],
            column_config={"id": None, ui.tr("dash.response_rate"): st.column_config.
                           ProgressColumn(min_value=0, max_value=100, format="%.0f%%"),
                           ui.tr("rounds.people"): st.column_config.NumberColumn(
                               min_value=0, step=1)})
        wanted = {int(r["id"]): None if pd.isna(r[ui.tr("rounds.people")])
                  else int(r[ui.tr("rounds.people")]) for _, r in edited.iterrows()}
        if wanted != {d.id: d.headcount for d in org.departments}:
            try:
                set_department_headcounts(ctx, org.id, wanted)
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.rerun()
selected = next(r for r in rounds if r.id == round_id)
if selected.status() != OPEN:
    st.info(ui.tr("rounds.not_open"))
    st.stop()

links_tab, slips_tab, mail_tab, paper_tab = st.tabs([
    ui.tr("rounds.links"), ui.tr("channel.slip"), ui.tr("channel.email"), ui.tr("channel.paper")])
with slips_tab:
    slips.section(org, selected, scope)
with mail_tab:
    mailing.section(org, selected, scope)
with paper_tab:
    paper.section(org, selected, scope)
links_tab.subheader(ui.tr("rounds.links"))
with links_tab.form("links"):
    count = st.number_input(ui.tr("rounds.how_many"), min_value=1, max_value=5000, value=10)
    if st.form_submit_button(ui.tr("rounds.make_links"), type="primary"):
        try:
            with write_transaction(ctx):  # the links and their audit entry: one transaction
                tokens = create_invitations(ctx, round_id, int(count))
                audit.record(ctx, scope, audit.LINKS_CREATED,
                             audit.round_subject(org, selected), str(len(tokens)))
        except InputError as error:
            ui.show_input_error(error)
        else:
            st.session_state["new_links"] = {"round_id": round_id, "tokens": tokens}
            st.rerun()  # so the counts above include the new links

fresh = st.session_state.get("new_links")
with links_tab:
    if fresh and fresh["round_id"] == round_id:
        base = ui.base_url()
        st.warning(ui.tr("rounds.links_once"))
        st.download_button(ui.tr("rounds.download"), links_csv(base, fresh["tokens"], lang),
                           file_name=f"werkbaar-links-{round_id}.csv", mime="text/csv",
                           type="primary", on_click="ignore")
        st.dataframe(pd.DataFrame({ui.tr("rounds.link"): [invitation_link(base, t)
                                                         for t in fresh["tokens"]]}),
                     hide_index=True, width="stretch",
                     column_config={ui.tr("rounds.link"): st.column_config.LinkColumn()})

with st.popover(ui.tr("rounds.close")):
    st.write(ui.tr("rounds.close_confirm"))
    if st.button(ui.tr("rounds.close_now"), type="primary"):
        close_round(ctx, round_id)
        st.rerun()
