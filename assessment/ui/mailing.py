"""The rounds page's e-mail tab: HR gives addresses (pasted or a CSV/XLSX file), may edit the
message (with a preview that uses an example link), picks the reminders, has the list checked
(the addresses found, each piece that is not an address with the reason, the addresses that
reach a mailbox already on the list) and only then sends; the
platform makes the links and sends them in the background (:mod:`assessment.mailing`,
:mod:`assessment.mail_sender`). The tab shows per list how many were sent, failed and wait
(refreshed every few seconds) and which addresses failed, never a link. Without SMTP settings
it says what the server's operator must set.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from .. import clock, formatting
from ..access import Scope
from ..address_lists import AddressList
from ..errors import InputError
from ..i18n import labelled
from ..mail_sender import configuration
from ..mailing import (
    DEFAULT_REMINDER_DAYS,
    MAX_SHOWN,
    REMINDER_HOUR,
    default_texts,
    file_rows,
    pasted_rows,
    preview,
    progress,
    queue_invitations,
    read_list,
    reminder_days,
)
from ..organisations import Organisation
from ..rounds import SurveyRound
from . import base_url, context, fragment, lang, language_choice, plain, tr

DONE_KEY = "mail:queued"  # (round id, count) of the last list queued, shown after the rerun
FRESH_KEY = "mail:fresh"  # bumped after a list is queued, so the address fields start empty
CHECKED_KEY = "mail:checked"  # (round, fresh, what was given, rows, AddressList) last checked
REFRESH_S = 3


def section(org: Organisation, survey_round: SurveyRound, scope: Scope) -> None:
    st.subheader(tr("channel.email"))
    settings, problems = configuration()
    if settings is None:
        if problems:
            st.error(tr("mail.setup_broken") + "\n\n" + "\n".join(
                f"- {plain(tr(key, **params))}" for key, params in problems))
        else:
            st.info(tr("mail.not_set_up"))
        _progress(survey_round.id)
        return
    st.markdown(tr("mail.intro"))
    _progress(survey_round.id)
    done = st.session_state.pop(DONE_KEY, None)
    if done and done[0] == survey_round.id:
        st.success(tr("mail.queued", count=formatting.number(done[1], lang())))
    _form(org, survey_round, scope)


def _form(org: Organisation, survey_round: SurveyRound, scope: Scope) -> None:
    here, rid = lang(), survey_round.id
    fresh = st.session_state.get(FRESH_KEY, 0)
    sources = [tr("mail.paste"), tr("mail.upload")]  # labels, not format_func: per language
    pasting = st.radio(tr("mail.addresses_source"), sources, horizontal=True,
                       key=f"mail:source:{rid}:{here}") == sources[0]
    if pasting:
        pasted = st.text_area(tr("mail.addresses"), key=f"mail:addresses:{rid}:{fresh}",
                              height=150)
        upload = None
    else:
        upload = st.file_uploader(tr("mail.file"), type=["csv", "xlsx"],
                                  key=f"mail:file:{rid}:{fresh}")
    mail_lang = language_choice(tr("mail.language"), survey_round.languages, f"mail:lang:{rid}")
    default_subject, default_body = default_texts(mail_lang, org.name)
    subject = st.text_input(tr("mail.subject"), value=default_subject, max_chars=150,
                            key=f"mail:subject:{rid}:{mail_lang}")
    body = st.text_area(tr("mail.body"), value=default_body, max_chars=2000, height=260,
                        key=f"mail:body:{rid}:{mail_lang}")
    with st.expander(tr("mail.preview")):
        st.caption(tr("mail.preview_help"))
        shown_subject, shown_body = preview(subject, body, survey_round.closes_on, mail_lang)
        st.text(labelled(tr("mail.subject"), shown_subject, lang()))
        st.text(shown_body)
    reminders = _reminders(survey_round)
    given = ("paste", pasted) if pasting else None if upload is None else (
        "file", upload.name, hashlib.sha256(upload.getvalue()).hexdigest())
    if st.button(tr("mail.check"), key=f"mail:check:{rid}"):
        st.session_state.pop(CHECKED_KEY, None)
        if given is None:
            st.warning(tr("mail.choose_file"))
            return
        try:
            rows = pasted_rows(pasted) if pasting else file_rows(upload.getvalue(), upload.name)
        except InputError as error:
            st.error(tr("mail.refused") + "\n\n" + "\n".join(
                f"- {plain(message)}" for message in error.messages(here)))
            return
        st.session_state[CHECKED_KEY] = (rid, fresh, given, rows,
                                         read_list(context(), rid, rows))
    checked = st.session_state.get(CHECKED_KEY)
    if not checked or checked[:3] != (rid, fresh, given):  # nothing checked, or changed since
        return
    rows, found = checked[3], checked[4]
    if not _found(found) or not st.button(tr("mail.send"), type="primary",
                                          key=f"mail:send:{rid}"):
        return
    try:  # checked again, with the texts and reminders, in the transaction that queues
        batch = queue_invitations(context(), scope, rid, rows, subject, body, mail_lang,
                                  base_url(), reminders)
    except InputError as error:
        st.error(tr("mail.refused") + "\n\n" + "\n".join(
            f"- {plain(message)}" for message in error.messages(here)))
        return
    st.session_state.pop(CHECKED_KEY, None)
    st.session_state[DONE_KEY] = (rid, next(item.recipients for item in progress(context(),
        rid) if item.id == batch))
    st.session_state[FRESH_KEY] = fresh + 1
    st.rerun()  # so the progress above shows the new list


def _found(found: AddressList) -> bool:
    """The checked list as HR confirms it: how many addresses, which, the addresses that reach
    a mailbox already on it (one invitation each mailbox), and every piece that is not an
    address with the reason. Whether it may be sent: addresses and no problem."""
    here = lang()
    st.markdown(f"**{tr('mail.found', count=formatting.number(len(found.recipients), here))}**")
    if found.recipients:
        st.dataframe(pd.DataFrame([{tr("mail.row"): r.row, tr("mail.name"): r.name,
                                    tr("mail.address"): r.shown} for r in found.recipients]),
                     hide_index=True, width="stretch")
    if found.shared:
        st.warning(tr("mail.shared_heading") + "\n\n" + "\n".join(
            f"- {plain(p.message(here))}" for p in found.shared))
    if found.problems:
        lines = [p.message(here) for p in found.problems[:MAX_SHOWN]]
        if len(found.problems) > MAX_SHOWN:
            lines.append(tr("mail.more_problems", count=len(found.problems) - MAX_SHOWN))
        st.error(tr("mail.not_addresses") + "\n\n" + "\n".join(
            f"- {plain(line)}" for line in lines))
        return False
    if found.recipients:
        st.caption(tr("mail.confirm_help", count=formatting.number(len(found.recipients),
                                                                   here)))
    return bool(found.recipients)


def _reminders(survey_round: SurveyRound) -> list[date]:
    """The reminder days HR picks: none, one or two, as days before closing or as dates;
    default one, :data:`DEFAULT_REMINDER_DAYS` days before closing, when that is still ahead."""
    rid, closes = survey_round.id, survey_round.closes_on
    now = clock.local_now()
    default_day = closes - timedelta(days=DEFAULT_REMINDER_DAYS)
    possible = datetime.combine(default_day, datetime.min.time()).replace(
        hour=REMINDER_HOUR) > now
    st.markdown(f"**{tr('mail.reminders')}**")
    col1, col2 = st.columns(2)
    count = col1.radio(tr("mail.reminder_count"), [0, 1, 2], index=1 if possible else 0,
                       horizontal=True, key=f"mail:reminders:{rid}")
    modes = [tr("mail.days_before"), tr("mail.on_dates")]
    mode = col2.radio(tr("mail.reminder_mode"), modes, horizontal=True,
                      key=f"mail:mode:{rid}:{lang()}")
    columns = st.columns(2)
    if mode == modes[0]:
        days = [columns[n].number_input(tr("mail.reminder_days", number=n + 1), min_value=0,
                                        max_value=365, step=1,
                                        value=DEFAULT_REMINDER_DAYS * (n + 1),
                                        key=f"mail:days:{rid}:{n}") for n in range(count)]
        return reminder_days(closes, [int(d) for d in days])
    return [columns[n].date_input(tr("mail.reminder_day", number=n + 1), format="DD/MM/YYYY",
                                  value=max(clock.today() + timedelta(days=1), closes -
                                            timedelta(days=DEFAULT_REMINDER_DAYS * (n + 1))),
                                  key=f"mail:day:{rid}:{n}") for n in range(count)]


def _progress(round_id: int) -> None:
    """The lists of the round and their counts, refreshed every :data:`REFRESH_S` seconds while
    something waits; the failed addresses with their reasons. Never a link."""
    ctx = context()
    if not progress(ctx, round_id):
        return

    @fragment(run_every=timedelta(seconds=REFRESH_S))
    def live() -> None:
        ctx = context()  # the page's, or the fragment run's own
        here = lang()
        lists = progress(ctx, round_id)
        st.markdown(f"**{tr('mail.progress')}**")

        def number(n: int) -> str:
            return formatting.number(n, here)

        st.table(pd.DataFrame([{
            tr("mail.list"): _when(item.created_at, here),
            tr("mail.recipients"): number(item.recipients),
            tr("mail.invitations_sent"): number(item.invitations_sent),
            tr("mail.invitations_failed"): number(item.invitations_failed),
            tr("mail.waiting"): number(item.waiting),
            tr("mail.reminder_days_column"): ", ".join(
                formatting.day(d, here) + (" ✓" if queued else "") for d, queued in item.reminders)
            or "—",
            tr("mail.reminders_sent"): number(item.reminders_sent),
            tr("mail.reminders_failed"): number(item.reminders_failed),
            tr("mail.address_list"): tr("mail.list_deleted" if item.deleted else "mail.list_kept"),
        } for item in lists]).set_index(tr("mail.list")))
        failures = [f for item in lists for f in item.failures]
        if failures:
            st.markdown(f"**{tr('mail.failed_heading')}**")
            st.dataframe(pd.DataFrame([{
                tr("mail.row"): f.row, tr("mail.address"): f.address,
                tr("mail.kind"): tr(f"mail.kind.{f.kind}"),
                tr("mail.reason"): _reason(f.error)} for f in failures]),
                hide_index=True, width="stretch")

    live()


def _when(stamp: str, here: str) -> str:
    made = datetime.fromisoformat(stamp)
    return f"{formatting.day(made, here)} {made:%H:%M}"


def _reason(error: str) -> str:
    category, _, code = (error or "unreachable").partition(" ")
    return tr(f"mail.failure.{category}", code=code)
