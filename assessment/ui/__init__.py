"""Streamlit helpers shared by the pages: language, cached data, the organisation picker,
messages, and the one place where access to employer pages is checked."""

from __future__ import annotations

import json
import logging
import os
import secrets
from urllib.parse import urlsplit

import streamlit as st

from .. import logs
from ..access import (
    CREATE_ORGANISATION,
    EDIT_ORGANISATION,
    PLATFORM_ADMIN,
    AccessDenied,
    Scope,
    Sector,
)
from ..catalogue import CatalogueError, Measure, load_catalogue
from ..errors import InputError
from ..formatting import number
from ..i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    labelled,
    language_from_locale,
    t,
)
from ..organisations import (
    Organisation,
    count_visible,
    get_organisation,
    visible_names,
)
from ..questionnaire import Questionnaire, load_employee_questionnaire
from ..self_assessment import EmployerQuestionnaire, load_employer_questionnaire
from ..storage import errors
from ..text import escape_markdown
from .requests import (  # noqa: F401 - the pages call them as ui.*
    SCOPE_KEY,
    audited_download,
    cached,
    callback,
    context,
    dialog,
    fragment,
    run_context,
)

BASE_URL_ENV = "WERKBAAR_BASE_URL"
CHARTS_SENT_KEY = "_charts_sent"  # this browser tab may be sent charts at once (heavy_now)
CHARTS_DEFERRED_KEY = "_charts_deferred"  # this run left charts for the next run
NO_TOOLBAR = {"displayModeBar": False}

# A write that cannot land through no fault of the user: disk full, read-only database file,
# the write lock held past the busy timeout, the database server gone, an I/O error. The user
# may try again. A function: PostgreSQL's errors join once its driver is loaded.
storage_errors = errors

log = logging.getLogger(__name__)
logs.configure()  # once per process: the app's own log lines, on stderr (assessment.logs)


def report_error(error: BaseException, what: str = "unexpected error") -> str:
    """Log ``error`` with its traceback and a new reference id, on the server (stderr); return
    the id, which the user is shown instead of the traceback."""
    ref = secrets.token_hex(4).upper()
    logs.event(log, logs.ERROR, logging.ERROR, reference=ref, what=what,
               error=type(error).__name__, exc_info=(type(error), error, error.__traceback__))
    return ref


def show_error(error: BaseException) -> None:
    """The one friendly error message: what happened in plain words, what to do, and the
    reference id under which the server logged the traceback."""
    ref = report_error(error)
    try:
        message = tr("app.error", ref=ref)
    except Exception:  # noqa: BLE001 - the message must show even when the texts cannot load
        message = ("Er ging iets mis. / Something went wrong. "
                   f"Referentie / reference: {ref}")
    st.error(message, icon=":material/error:")


def lang() -> str:
    """The user's language: chosen in this session, else a ``?lang=`` in the address, else the
    one this browser chose before (:data:`LANGUAGE_COOKIE`), else the browser's own language if
    we speak it, else Dutch."""
    if "lang" not in st.session_state:
        for chosen in (st.query_params.get("lang"), st.context.cookies.get(LANGUAGE_COOKIE),
                       language_from_locale(st.context.locale), DEFAULT_LANGUAGE):
            if chosen in LANGUAGES:
                st.session_state["lang"] = chosen
                break
    return st.session_state["lang"]


def tr(key: str, **params: object) -> str:
    """Translate ``key`` into the user's language."""
    return t(key, lang(), **params)


def language_switch(container=None) -> None:
    """The language switch (every language of ``data/i18n/languages.yaml``, by its own name).
    The choice holds for the session and is remembered in this browser for a year
    (:data:`LANGUAGE_COOKIE`, which also gives Streamlit's page its ``<html lang>`` on the
    next visit: :mod:`assessment.web.html_lang`); this run sets ``<html lang>`` at once."""
    current = lang()
    place = container or st
    choice = place.segmented_control(
        t("app.language", current), LANGUAGES, default=current, key="lang_choice",
        format_func=LANGUAGE_NAMES.get, label_visibility="collapsed",
    )
    if choice and choice != current:
        st.session_state["lang"] = choice
        st.rerun()
    texts = json.dumps({"lang": current, "skip": t("app.skip_to_content", current),
                        "upload": t("app.upload", current),
                        "perFile": t("app.per_file", current, size="$1"),
                        "chooseDate": t("app.choose_date", current),
                        "empty": t("app.empty", current),
                        "placeholder": {part: t(f"app.date_{part}", current)
                                        for part in ("day", "month", "year")},
                        "part": {part: t(f"app.{part}", current)
                                 for part in ("day", "month", "year")}})
    with place:
        st.html(f"<script>window.werkbaarTexts = {texts};{_PAGE_LANGUAGE_JS}"
                f"document.cookie = '{LANGUAGE_COOKIE}={current}; Path=/; Max-Age=31536000; "
                "SameSite=Lax';</script>", unsafe_allow_javascript=True, width=1)


# Streamlit's page in the user's language: ``<html lang>``, and the few texts its front end
# writes in English whatever the language (the skip link, the file uploader's button, size limit
# and field label; a date field's "dd / mm / yyyy", the names of its parts and its calendar
# button for screen readers), rewritten in place whenever Streamlit draws them. Only the text of
# existing text nodes and a few attributes change (never an element React owns), so Streamlit's
# own updates keep working. Left in English: the date picker's calendar (month and day names).
_PAGE_LANGUAGE_JS = """
(() => {
  const original = window.werkbaarOriginal ||= new WeakMap();  // text node -> Streamlit's text
  const written = window.werkbaarWritten ||= new WeakMap();  // text node -> what we wrote
  const rewriteIn = (el, change) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (written.get(node) !== node.nodeValue) original.set(node, node.nodeValue);
      const next = change(original.get(node));
      written.set(node, next);
      if (next !== node.nodeValue) node.nodeValue = next;
    }
  };
  const each = (selector, action) => document.querySelectorAll(selector).forEach(action);
  const attribute = (el, name, change) => {
    const value = el.getAttribute(name);
    const next = value === null ? null : change(value);
    if (next !== null && next !== value) el.setAttribute(name, next);
  };
  const apply = () => {
    const T = window.werkbaarTexts;
    document.documentElement.lang = T.lang;
    each('[data-testid="stSkipToContent"]', el => rewriteIn(el, v => v.trim() ? T.skip : v));
    each('[data-testid="stFileUploaderDropzone"] button',
         el => rewriteIn(el, v => v === 'Upload' ? T.upload : v));
    each('[data-testid="stFileUploaderDropzoneInstructions"]',
         el => rewriteIn(el, v => v.replace(/^(.+) per file$/, T.perFile)));
    each('[data-testid="stFileUploaderDropzoneInput"]', el => attribute(el, 'aria-label',
         () => T.upload));
    each('[data-testid="stDateInputCalendarButton"]', el => attribute(el, 'aria-label',
         () => T.chooseDate));
    each('[data-testid="stDateInputField"] [role="spinbutton"]', el => {
      const part = el.dataset.type;
      if (el.dataset.placeholder === 'true' && T.placeholder[part]) {
        rewriteIn(el, () => T.placeholder[part]);
      }
      attribute(el, 'aria-label', v => v.replace(/^(day|month|year),/, (_, p) => T.part[p] + ','));
      attribute(el, 'aria-valuetext', v => v === 'Empty' ? T.empty : v);
    });
  };
  if (!window.werkbaarObserver) {
    window.werkbaarObserver = new MutationObserver(() => window.werkbaarApply());
    window.werkbaarObserver.observe(document.body, {subtree: true, childList: true,
                                                    characterData: true});
  }
  window.werkbaarApply = apply;
  apply();
})();
"""


def language_choice(label: str, offered: tuple[str, ...], key: str, container=None) -> str:
    """A language among ``offered`` (a round's languages) for something made for others (an
    e-mail, slips, a paper questionnaire): the user's own language when offered, else the
    first; never None."""
    default = lang() if lang() in offered else offered[0]
    chosen = (container or st).segmented_control(label, offered, default=default, key=key,
                                                 format_func=LANGUAGE_NAMES.get)
    return chosen if chosen in offered else default


@st.cache_resource
def questionnaire() -> Questionnaire:
    """The employee questionnaire, parsed once per process.

    :raises QuestionnaireError: when the file is broken (the app shows every problem).
    """
    return load_employee_questionnaire()


@st.cache_resource
def employer_questionnaire() -> EmployerQuestionnaire:
    """The employer self-assessment, parsed once per process.

    :raises QuestionnaireError: when the file is broken.
    """
    return load_employer_questionnaire()


def catalogue() -> tuple[Measure, ...] | None:
    """The support catalogue, or ``None`` after showing every problem of a broken file."""
    try:
        return _catalogue()
    except CatalogueError as error:
        st.error(tr("support.catalogue_broken") + "\n\n"
                 + "\n".join(f"- {escape_markdown(p)}" for p in error.problems))
        return None


@st.cache_resource
def _catalogue() -> tuple[Measure, ...]:
    return load_catalogue()


def heavy_now() -> bool:
    """Whether this run may send elements whose browser code is large and loaded on first use
    (plotly charts: 4.7 MB of JavaScript; data frames: 1.2 MB). Not in the first run of a
    browser tab that has such elements to show: there they wait, and the router runs the page
    again at once (:func:`draw_deferred_charts`), this time with them.

    Why: Streamlit's browser code holds back the whole batch of elements that arrived with such
    an element until its code has loaded and run. A new tab's dashboard thus showed its headline
    only together with its charts, seconds later (``benchmarks/first_paint.py``). Sent in the
    second run, they come after the headline has been painted; later runs in the same tab send
    them at once."""
    if st.session_state.get(CHARTS_SENT_KEY):
        return True
    st.session_state[CHARTS_DEFERRED_KEY] = True
    return False


def chart(figure) -> None:
    """``st.plotly_chart`` at full width without plotly's toolbar, or, in a tab's first run
    (:func:`heavy_now`), an empty space of the chart's height until the next run draws it.
    ``figure`` must not be changed afterwards (chart builders may return a shared one)."""
    if heavy_now():
        st.plotly_chart(figure, width="stretch", config=NO_TOOLBAR)
    else:
        st.container(height=int(figure.layout.height or 450), border=False)


def key_figure(container, label: str, value: str, *, change: str | None = None,
               tone: str = "gray", compared_with: str | None = None,
               help: str | None = None) -> None:
    """A key figure (responses, the werkbaarheidsgraad, …) in ``container``: its label, the
    value large, and optionally its change, coloured by ``tone`` (``green``, ``red`` or
    ``gray``) with an arrow, and what it is compared with. Every part is shown as written.

    Markdown, not ``st.metric`` (issue 14, first paint): the browser loads ``st.metric``'s code
    on first use and painted a new tab's metrics together with its first plotly chart, seconds
    after the words around them; Markdown's code comes with the page, so the figures paint
    with the headline (``benchmarks/README.md``, "First paint")."""
    lines = [escape_markdown(label), f"### {escape_markdown(value)}"]
    if change:
        arrow = {"green": "↑ ", "red": "↓ "}.get(tone, "")
        lines.append(f":{tone}[{arrow}{escape_markdown(change)}]"
                     + (f" :gray[{escape_markdown(compared_with)}]" if compared_with else ""))
    container.markdown("\n\n".join(lines), anchors=False, help=help)


def forget_deferred_charts() -> None:
    """Drop a deferral that an interrupted run left behind (called by the router before the
    page script): a click that cuts a dashboard's first run short keeps that run from drawing
    its charts, and the next page, whichever it is, must not be rerun for them — an extra run
    while someone types and clicks drops their click."""
    st.session_state.pop(CHARTS_DEFERRED_KEY, None)


def draw_deferred_charts() -> None:
    """Rerun the page when :func:`heavy_now` left elements for the next run (called by the
    router after the page script)."""
    if st.session_state.pop(CHARTS_DEFERRED_KEY, False):
        st.session_state[CHARTS_SENT_KEY] = True
        st.rerun()


PICKER_LIMIT = 200  # organisations the sidebar picker lists; past that it asks for a name


def organisation_picker() -> Organisation | None:
    """The organisation the employer works on: their own, or for a platform admin the one
    chosen in the sidebar (kept in the session), then read alone.

    A platform admin's picker lists at most :data:`PICKER_LIMIT` organisations by name; on a
    platform with more it shows a search box above it and lists the first matches, and the
    organisation already chosen stays in the list. So a page costs the same on a platform of
    thousands of organisations as on one of a hundred: one count, one bounded query, and a
    select box of at most 201 names (it filters them as you type)."""
    scope, ctx = require(), context()
    if scope.role != PLATFORM_ADMIN:
        names = visible_names(ctx, scope)  # their own organisation, or none
        if not names:
            return None
        [(only, name)] = names
        st.sidebar.caption(labelled(tr("app.organisation"), f"**{plain(name)}**", lang()))
        return get_organisation(ctx, only)
    total = count_visible(ctx, scope)
    if not total:
        return None
    search = ""
    if total > PICKER_LIMIT:
        search = st.sidebar.text_input(tr("org.search"), max_chars=200,
                                       key="organisation_picker_search")
    names = dict(visible_names(ctx, scope, search, limit=PICKER_LIMIT))
    if search.strip() and not names:
        st.sidebar.caption(tr("app.picker_none", search=plain(search.strip())))
        names = dict(visible_names(ctx, scope, limit=PICKER_LIMIT))
    else:
        matches = count_visible(ctx, scope, search) if search.strip() else total
        if matches > len(names):
            st.sidebar.caption(tr("app.picker_shown", shown=number(len(names), lang()),
                                  total=number(matches, lang())))
    current = st.session_state.get("organisation_id")
    if current is not None and current not in names:  # chosen before: keep it on offer
        chosen_before = get_organisation(ctx, current)
        if chosen_before is not None:
            names = {current: chosen_before.name, **names}
    ids = list(names)
    chosen = st.sidebar.selectbox(
        tr("app.organisation"), ids, index=ids.index(current) if current in ids else 0,
        format_func=names.__getitem__,
    )
    st.session_state["organisation_id"] = chosen
    return get_organisation(ctx, chosen)


def organisation_or_stop() -> Organisation:
    """The organisation the caller works on, checked against their scope; with none yet, a
    pointer to create one (for a platform admin) and the end of the page."""
    org = organisation_picker()
    if org is None:
        st.info(tr("app.no_organisation"))
        if require().may(CREATE_ORGANISATION):
            st.page_link("app_pages/organisation.py", label=tr("nav.organisation"),
                         icon=":material/domain:")
        st.stop()
    try:
        require().require_organisation(org.id)
    except AccessDenied:
        st.error(tr("access.denied"))
        st.stop()
    return org


def may_edit() -> bool:
    """Whether the caller may change the organisation's data (not an HR viewer)."""
    return require().may(EDIT_ORGANISATION)


def scope() -> Scope | None:
    """The caller's scope for this run, resolved by the router from the session (never from
    anything the browser can set)."""
    return st.session_state.get(SCOPE_KEY)


def require(permission: str | None = None) -> Scope:
    """The caller's scope; ends the run with a neutral message when nobody is signed in or the
    role lacks ``permission``."""
    current = scope()
    if current is None or (permission and not current.may(permission)):
        st.error(tr("access.denied"))
        st.stop()
    return current


def show_input_error(error: InputError) -> None:
    """Every problem of a refused input, as one message in the user's language."""
    st.error("\n".join(f"- {message}" for message in error.messages(lang())))


def base_url() -> str:
    """Where respondents reach the app: ``$WERKBAAR_BASE_URL``, else the address this browser
    used."""
    configured = os.environ.get(BASE_URL_ENV)
    if configured:
        return configured.rstrip("/")
    url = urlsplit(st.context.url or "http://localhost:8501")
    return f"{url.scheme}://{url.netloc}"


def source_links(urls) -> str:
    """Markdown links named by their site: ``[vlaio.be](https://www.vlaio.be/...)``."""
    return " · ".join(
        f"[{urlsplit(url).netloc.removeprefix('www.')}]({url})" for url in urls)


def evidence_quotes(evidence) -> str:
    """Markdown of the sources' own sentences behind a rule: each quote as a block quote, then
    its site (linked), the date the page shows ("no date shown"), the day it was read there, and
    "not a primary source" for a page of a secondary host (kept with a reason in the data)."""
    from .. import formatting

    language = lang()
    blocks = []
    for item in evidence:
        site = source_links([item.url])
        dated = (tr("evidence.source_date", date=formatting.day(item.source_date, language))
                 if item.source_date else tr("evidence.no_date"))
        blocks.append(f"> {plain(item.quote)}\n\n{site} · {dated} · "
                      + tr("evidence.checked", date=formatting.day(item.checked, language))
                      + ("" if item.primary else f" · **{tr('evidence.secondary')}**"))
    return "\n\n".join(blocks)


def plain(value: object) -> str:
    """User-typed text made safe for Markdown-rendering elements."""
    return escape_markdown(value)


def sector_label(sector: Sector) -> str:
    """``pc:330`` → "PC 330 – Gezondheidsinrichtingen en -diensten" (the number alone for a
    committee we have no name for), ``nace:87`` → "NACE 87 – <division name>"."""
    from .. import joint_committees, nace

    if sector.kind == "pc":
        found = joint_committees.name(sector.code, lang())
        return f"{tr('sector.kind.pc')} {sector.code}" + (f" – {found}" if found else "")
    found = nace.lookup(sector.code)
    return f"NACE {sector.code}" + (f" – {found.name(lang())}" if found else "")


def serves_this_machine_only() -> bool:
    """Whether the server listens on a loopback address only (``werkbaar run``'s default), so
    nobody but someone at this machine can reach it. Decided from the server's own setting,
    not from anything a browser sends (addresses and Host headers can be forged)."""
    return st.get_option("server.address") in ("localhost", "127.0.0.1", "::1")
