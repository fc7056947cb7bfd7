"""The widgets of a round's modules and own questions: choosing them when a round opens, and
their figures on the dashboard and the groups page (:mod:`assessment.extras_view`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import formatting
from ..extras_view import ExtrasView, Row
from ..i18n import LANGUAGE_NAMES, LANGUAGES
from ..modules import Module, available_modules
from ..round_extras import MAX_QUESTIONS, SCALE, SINGLE, own_question, to_stored, validated
from . import lang, tr

NO_QUESTION = "none"


def latest_modules() -> dict[str, Module]:
    """The newest version of each shipped module, by id."""
    return {m.id: m for _, m in sorted(available_modules().items())}


def new_round_fields(organisation) -> Callable[[tuple[str, ...]], str | None]:
    """Inside the new-round form: the modules to add and up to three own questions. Gives a
    function of the round's languages that returns the extras to store.

    The function raises :class:`assessment.errors.InputError` for an incomplete question."""
    modules = latest_modules()
    suggested = [m for m in modules.values() if organisation.nace_section in m.sectors]
    # labels made now: a format function is also called outside the page's run (tests)
    titles = {m.id: m.title(lang()) for m in modules.values()}
    kinds = {k: tr(f"rounds.own_kind.{k}") for k in (NO_QUESTION, SINGLE, SCALE)}
    chosen = st.pills(tr("rounds.modules"), list(modules), selection_mode="multi",
                      format_func=titles.get, help=tr("rounds.modules_help")) or []
    for m in modules.values():
        hint = f" {tr('rounds.module_suggested')}" if m in suggested else ""
        st.caption(f"**{m.title(lang())}**{hint} — {m.purpose(lang())}")
    entries = []
    with st.expander(tr("rounds.own_questions", max=MAX_QUESTIONS)):
        st.caption(tr("rounds.own_questions_help"))
        for n in range(1, MAX_QUESTIONS + 1):
            st.markdown(f"**{tr('rounds.own_question', n=n)}**")
            kind = st.radio(tr("rounds.own_kind"), list(kinds), horizontal=True,
                            key=f"own{n}_kind", format_func=kinds.get)
            texts, options = {}, {}
            for code in LANGUAGES:
                texts[code] = st.text_input(
                    tr("rounds.own_text", language=LANGUAGE_NAMES[code]), key=f"own{n}_{code}",
                    max_chars=200)
                options[code] = st.text_area(
                    tr("rounds.own_options", language=LANGUAGE_NAMES[code]), height=100,
                    key=f"own{n}_options_{code}", help=tr("rounds.own_options_help"))
            entries.append((kind, texts, options))

    def extras(languages: tuple[str, ...]) -> str | None:
        questions = []
        for kind, texts, options in entries:
            if kind == NO_QUESTION:
                continue
            lines = {c: [x for x in (options[c] or "").splitlines() if x.strip()]
                     for c in LANGUAGES}
            count = max(len(v) for v in lines.values())
            given = [{c: lines[c][i] if i < len(lines[c]) else "" for c in LANGUAGES}
                     for i in range(count)]
            questions.append(own_question(len(questions) + 1, kind, texts, given, languages))
        return to_stored(validated(tuple(modules[m] for m in chosen), tuple(questions)))

    return extras


def _share(value: float | None) -> str:
    return formatting.percent(value, lang())


def _label(row: Row) -> str:
    return f"**{row.label}**" if row.is_domain else row.label


def show_whole(view: ExtrasView, threshold: int) -> None:
    """The organisation's figures of each module and own question."""
    st.subheader(tr("extras.title"))
    if not view.shown:
        st.info(tr("extras.none_shown", min=threshold))
        return
    for block in view.modules:
        st.markdown(f"#### {block.title}")
        st.caption(block.scoring)
        st.table(pd.DataFrame([{
            tr("extras.question"): ("▸ " if r.is_domain else "") + r.label,
            tr("extras.reported"): _share(r.whole[0]) if r.whole else tr("extras.withheld")}
            for r in block.rows]).set_index(tr("extras.question")))
    for row in view.questions:
        st.markdown(f"#### {row.label}")
        st.table(pd.DataFrame([{
            tr("extras.answer"): answer,
            tr("extras.share"): _share(row.whole[i]) if row.whole else tr("extras.withheld")}
            for i, answer in enumerate(row.answers)]).set_index(tr("extras.answer")))
    st.caption(tr("extras.help", min=threshold))


def show_groups(view: ExtrasView, dimension: str, names: dict) -> None:
    """Each module and own question per group of ``dimension`` (``names``: group → label),
    beside the organisation; a withheld figure is marked, never left blank."""
    st.subheader(tr("extras.title"))
    if not view.shown:
        st.info(tr("extras.none_shown_groups"))
        return
    records = []
    for row in view.rows():
        for i, answer in enumerate(row.answers):
            label = row.label if len(row.answers) == 1 else f"{row.label}: {answer}"
            cells = row.groups.get(dimension, {})
            records.append({tr("extras.question"): label,
                            tr("groups.organisation"): _share(row.whole[i]) if row.whole
                            else tr("extras.withheld"),
                            **{names[g]: _share(cells[g][i]) if g in cells
                               else tr("extras.withheld") for g in names}})
    # a static table: every cell is text a screen reader and a phone's sideways scroll reach
    st.table(pd.DataFrame(records).set_index(tr("extras.question")))
    st.caption(tr("extras.groups_help"))
