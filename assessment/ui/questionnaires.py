"""The parts of the platform admin's page **Vragenlijsten** (``app_pages/questionnaires.py``):
the stored versions of the employee questionnaire, the import of a new one, the preview of a
version on a phone, its activation, and the state of the reference data files.

Every write goes through :mod:`assessment.questionnaire_store` with the admin's scope (audited
there); a refusal is shown as a list of its problems, never a traceback.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import benchmarks, clock, formatting, questionnaire_store, reference_data
from ..access import Scope
from ..i18n import LANGUAGE_NAMES, LANGUAGES, t
from ..questionnaire import QuestionnaireError, missing_translations
from ..web.preview import preview_pages
from . import catalogue, plain, tr

EMPLOYEE = questionnaire_store.EMPLOYEE
DONE_KEY = "_questionnaires_done"  # (message key, version) shown after the rerun
UPLOADS_KEY = "_questionnaire_uploads"  # a new uploader after an import: the file is gone
PHONE_WIDTH, PHONE_HEIGHT = 390, 720  # CSS pixels of a common phone's screen
SAMPLE_DEPARTMENTS = 3


def done_message() -> None:
    """What the last import or activation did (it reran the page)."""
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(tr(done[0], version=done[1]))


def _problems(heading: str, error: QuestionnaireError) -> None:
    st.error(heading + "\n\n" + "\n".join(f"- {plain(p)}" for p in error.problems))


def versions_table(ctx, versions: list[questionnaire_store.StoredVersion], lang: str) -> None:
    """Every stored version: its title in ``lang``, when and by whom it was imported, whether
    new rounds use it, and how many rounds were opened with it."""
    st.dataframe(pd.DataFrame([{
        tr("questionnaires.version"): f"v{v.version}",
        tr("questionnaires.version_title"): questionnaire_store.version(
            ctx, v.questionnaire_id, v.version).title(lang),
        tr("questionnaires.imported_on"): formatting.day(v.imported_on, lang),
        tr("questionnaires.imported_by"): v.imported_by,
        tr("questionnaires.state"): tr("questionnaires.active" if v.active
                                       else "questionnaires.inactive"),
        tr("questionnaires.rounds"): tr("questionnaires.in_use",
                                        count=formatting.number(v.rounds, lang))
        if v.rounds else tr("questionnaires.unused"),
    } for v in versions]), hide_index=True, width="stretch")


def import_form(ctx, scope: Scope) -> None:
    """A YAML file to store as a new version (not active)."""
    st.caption(tr("questionnaires.import_help", size=questionnaire_store.MAX_BYTES // 1024))
    uploads = st.session_state.get(UPLOADS_KEY, 0)
    with st.form("questionnaire_import"):
        upload = st.file_uploader(tr("questionnaires.file"), type=["yaml", "yml"],
                                  key=f"questionnaire_file:{uploads}", max_upload_size=1)
        if not st.form_submit_button(tr("questionnaires.import_button"), type="primary"):
            return
    if upload is None:
        st.warning(tr("questionnaires.choose_file"))
        return
    try:
        stored, new = questionnaire_store.import_version(ctx, upload.getvalue(), scope=scope,
                                                         name=upload.name)
    except questionnaire_store.VersionExists:
        st.error(tr("questionnaires.exists", name=plain(upload.name)))
        return
    except QuestionnaireError as error:
        _problems(tr("questionnaires.refused", name=plain(upload.name)), error)
        return
    st.session_state[DONE_KEY] = ("questionnaires.imported" if new else "questionnaires.same",
                                  stored.version)
    st.session_state[UPLOADS_KEY] = uploads + 1
    st.rerun()  # the list above shows it


def preview(ctx, versions: list[questionnaire_store.StoredVersion], lang: str) -> None:
    """The survey's pages of a chosen version in a chosen language, one at a time, in a frame
    as wide as a phone (:func:`assessment.web.preview.preview_pages`)."""
    version_col, lang_col, step_col = st.columns(3)
    number = version_col.selectbox(tr("questionnaires.preview_version"),
                                   [v.version for v in versions], format_func=lambda n: f"v{n}",
                                   key="preview_version")
    shown = lang_col.selectbox(tr("questionnaires.preview_language"), LANGUAGES,
                               index=LANGUAGES.index(lang), format_func=LANGUAGE_NAMES.get,
                               key="preview_language")
    q = questionnaire_store.version(ctx, EMPLOYEE, number)
    pages = preview_pages(q, shown, organisation=t("questionnaires.sample_organisation", shown),
                          departments=tuple(t("questionnaires.sample_department", shown, n=n)
                                            for n in range(1, SAMPLE_DEPARTMENTS + 1)))
    names = ([t("questionnaires.preview_intro", shown)] + [s.title(shown) for s in q.sections]
             + [t("survey.about_you", shown)])
    step = step_col.selectbox(tr("questionnaires.preview_step"), range(len(pages)),
                              format_func=lambda i: f"{i + 1}. {names[i]}",
                              key=f"preview_step:{number}")
    lacking = [m for m in missing_translations(q) if m.startswith(f"{shown}:")]
    if lacking:
        st.warning(tr("questionnaires.preview_lacking", count=formatting.number(
            len(lacking), lang), language=LANGUAGE_NAMES[shown]))
    st.iframe(pages[step], width=PHONE_WIDTH, height=PHONE_HEIGHT,
              alt=tr("questionnaires.preview_alt", version=number, step=step + 1))


def activate_form(ctx, scope: Scope, versions: list[questionnaire_store.StoredVersion]) -> None:
    """Make another stored version the one new rounds use, once the admin confirmed; the
    store refuses a version that lacks a language, and the page lists what is missing."""
    current = next((v.version for v in versions if v.active), None)
    st.caption(tr("questionnaires.activate_help", version=current))
    others = [v.version for v in versions if not v.active]
    if not others:
        st.info(tr("questionnaires.nothing_to_activate"))
        return
    chosen = st.selectbox(tr("questionnaires.activate_which"), others,
                          format_func=lambda n: f"v{n}", key="activate_version")
    sure = st.checkbox(tr("questionnaires.activate_confirm", version=chosen),
                       key=f"activate_confirm:{chosen}")
    if not st.button(tr("questionnaires.activate_button"), type="primary", disabled=not sure,
                     key="activate"):
        return
    try:
        questionnaire_store.activate(ctx, EMPLOYEE, chosen, scope=scope)
    except QuestionnaireError as error:
        _problems(tr("questionnaires.activate_refused", version=chosen), error)
        return
    st.session_state[DONE_KEY] = ("questionnaires.activated", chosen)
    st.rerun()


def reference_files(lang: str) -> None:
    """Which benchmark file and support catalogue are live and when their facts were last
    checked (read-only: they are changed in git, with their evidence)."""
    st.caption(tr("questionnaires.reference_help"))
    measures = catalogue()
    if measures is None:
        return
    day = lambda d: formatting.day(d, lang) if d else "—"  # noqa: E731
    for what, state in (
            ("benchmarks", reference_data.benchmarks_state(benchmarks.load_benchmarks())),
            ("catalogue", reference_data.catalogue_state(measures, clock.today()))):
        lines = [tr(f"questionnaires.{what}_file", file=state.file, sha=state.sha256,
                    count=formatting.number(state.entries, lang)),
                 tr("questionnaires.checked", oldest=day(state.oldest_checked),
                    newest=day(state.newest_checked)),
                 tr("questionnaires.source_date", date=day(state.newest_source_date))]
        if what == "catalogue":
            lines.append(tr("questionnaires.past_review", count=formatting.number(
                state.past_review_age, lang), months=6))
        st.markdown(f"**{tr(f'questionnaires.{what}')}**\n\n"
                    + "\n".join(f"- {line}" for line in lines))
