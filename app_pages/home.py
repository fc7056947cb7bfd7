"""Start page: the next step for the signed-in person, decided by the state of their
organisation, and where its rounds stand.

* No profile yet (none of the facts only the Profiel page asks: enterprise number, joint
  committees, legal form, region, social profit, FTE, turnover, balance) → fill it in: support
  and sector figures depend on it.
* No round yet → open one.
* A round running → its response so far, as Bevragingen shows it (``round_results``: the count,
  the rate from 5 links); for those who may open Bevragingen also per department, where
  ``department_response`` lets a department's count show.
* A round closed → its summary: werkbaarheidsgraad and response (``round_results``, which
  applies the confidentiality rules), and the way to the dashboard.

A role sees only steps it may take: an HR viewer (read only) is never asked to fill in the
profile or open a round; it reads what is running and the latest results. A sector fund's
analyst gets the sector page; a platform admin the organisation chosen in the sidebar, the
number of organisations, and on an empty database the demo data.
"""

from __future__ import annotations

import streamlit as st

from assessment import formatting, ui
from assessment.access import CREATE_ORGANISATION, VIEW_RESULTS, VIEW_SECTOR
from assessment.demo import load_demo
from assessment.organisations import count_visible
from assessment.profile import Profile, load_profile
from assessment.results import department_response, round_results
from assessment.rounds import CLOSED, OPEN, SCHEDULED, SurveyRound, list_rounds
from assessment.ui.router import entry_guard, link

scope = entry_guard()
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("home.title"))

if scope.may(VIEW_SECTOR) and not scope.may(VIEW_RESULTS):  # a sector fund's analyst
    st.markdown(ui.tr("home.sector_intro",
                      sectors=", ".join(ui.sector_label(s) for s in scope.sectors)))
    link("sector")
    st.caption(ui.tr("home.sector_privacy"))
    st.stop()

orgs = count_visible(ctx, scope)  # a count: home stays flat with the platform's size
if not orgs:
    st.markdown(ui.tr("home.intro"))
    if scope.may(CREATE_ORGANISATION):
        st.info(ui.tr("home.empty"))
        if st.button(ui.tr("home.load_demo"), type="primary"):
            with st.spinner(ui.tr("home.loading_demo")):
                names = load_demo(ctx)
            st.success(ui.tr("home.demo_loaded", count=formatting.number(len(names), lang)))
            st.rerun()
        link("organisation")
    st.caption(ui.tr("home.privacy"))
    st.stop()

org = ui.organisation_or_stop()
editor = ui.may_edit()
profile = load_profile(ctx, org.id)
rounds = list_rounds(ctx, org.id)
running = next((r for r in rounds if r.status() == OPEN), None) or next(
    (r for r in rounds if r.status() == SCHEDULED), None)  # open before merely planned
closed = next((r for r in rounds if r.status() == CLOSED), None)


def profile_missing(facts: Profile | None) -> bool:
    """Whether none of the facts that only the Profiel page asks for is known (name, sector
    and headcount come with the organisation)."""
    if facts is None:
        return True
    return not (facts.enterprise_number or facts.joint_committees or facts.legal_form
                or facts.region or facts.social_profit is not None or facts.fte
                or facts.turnover_eur is not None or facts.balance_total_eur is not None)


def show_running(survey_round: SurveyRound) -> None:
    """The running (or scheduled) round and its response so far."""
    if survey_round.status() == SCHEDULED:
        st.markdown(ui.tr("home.scheduled", round=ui.plain(survey_round.title),
                          opens=formatting.day(survey_round.opens_on, lang),
                          closes=formatting.day(survey_round.closes_on, lang)))
    else:
        st.markdown(ui.tr("home.running", round=ui.plain(survey_round.title),
                          closes=formatting.day(survey_round.closes_on, lang)))
    live = round_results(ctx, survey_round.id)
    col1, col2 = st.columns(2)
    ui.key_figure(col1, ui.tr("rounds.invited"), formatting.number(live.n_invited, lang))
    rate = f" ({formatting.percent(live.response_rate, lang)})" \
        if live.response_rate is not None else ""
    ui.key_figure(col2, ui.tr("rounds.responses"),
                  formatting.number(live.n_responses, lang) + rate)
    if editor and org.departments:
        names = {d.id: d.name for d in org.departments}
        counts = [ui.tr("home.department_count", department=ui.plain(names[r.department_id]),
                        responses=formatting.number(r.responses, lang),
                        rate=formatting.percent(r.rate, lang))
                  for r in department_response(ctx, survey_round.id, org.departments)
                  if r.responses is not None]
        if counts:
            st.caption(ui.tr("home.by_department", departments="; ".join(counts)))
    st.markdown(ui.tr("home.running_next_edit" if editor else "home.running_next_view"))
    link("rounds", ui.tr("home.to_rounds"))


def show_results(survey_round: SurveyRound) -> None:
    """The summary of the latest closed round."""
    st.markdown(ui.tr("home.closed", round=ui.plain(survey_round.title), closed=formatting.day(
        survey_round.closed_early_on or survey_round.closes_on, lang)))
    results = ui.cached(round_results, ctx, survey_round.id)
    rate = f" ({formatting.percent(results.response_rate, lang)})" \
        if results.response_rate is not None else ""
    col1, col2 = st.columns(2)
    if results.shown:
        ui.key_figure(col1, ui.tr("dash.werkbaarheidsgraad"),
                      formatting.percent(results.werkbaarheidsgraad, lang),
                      help=ui.tr("dash.werkbaarheidsgraad_help"))
    ui.key_figure(col2 if results.shown else col1, ui.tr("rounds.responses"),
                  formatting.number(results.n_responses, lang) + rate)
    if results.shown:
        st.markdown(ui.tr("home.results_next"))
    else:
        st.info(ui.tr("home.too_few", min=formatting.number(results.threshold, lang)))
    link("dashboard", ui.tr("home.to_dashboard"))
    link("support")


def show_profile_step() -> None:
    st.markdown(ui.tr("home.profile_missing"))
    link("profile", ui.tr("home.to_profile"))


def show_round_step() -> None:
    st.markdown(ui.tr("home.no_round"))
    link("rounds", ui.tr("home.to_rounds"))


steps = []  # (heading key, what to show), in the order they are due: the first is the next
if editor and profile_missing(profile):
    steps.append(("home.step_profile", show_profile_step))
if editor and not rounds:
    steps.append(("home.step_round", show_round_step))
if running:
    steps.append(("home.step_running", lambda: show_running(running)))
if closed:
    steps.append(("home.step_results", lambda: show_results(closed)))

if orgs > 1 or not rounds:
    st.caption(ui.tr("home.for", name=ui.plain(org.name)))
if not rounds:
    st.markdown(ui.tr("home.intro"))
if not steps:  # a reader of an organisation that has not measured yet
    st.info(ui.tr("home.nothing_yet"))
for number, (heading, show) in enumerate(steps):
    if number == 0:
        st.subheader(ui.tr("home.next_step"), anchor=False)
    elif number == 1:
        st.subheader(ui.tr("home.also"), anchor=False)
    with st.container(border=True, key="home-next" if number == 0 else None):
        st.markdown(f"**{ui.tr(heading)}**")
        show()

if scope.may(CREATE_ORGANISATION):
    st.caption(ui.tr("home.organisations", count=formatting.number(orgs, lang)))
st.caption(ui.tr("home.privacy"))
