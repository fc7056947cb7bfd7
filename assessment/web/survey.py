"""The employee survey as plain, light HTML forms on the app's own routes (issue 25), beside
the Streamlit pages and in the same process: ``GET /s/{token}`` opens the intro, every step is
a ``POST`` to the same address, ``/s/thanks`` thanks. A slip's code is typed at ``/s/code``
(or scanned: ``/s/code/{code}``), tried once against the limit on wrong codes
(:func:`assessment.codes.redeem`), and then carried from step to step with its proof
(:func:`assessment.codes.proof`), so later steps never meet the limit. No JavaScript, nothing
of Streamlit's front end; the page's few lines of CSS are inline (one request per step, not
two: a cached stylesheet still costs a request on some phones), allowed by their hash in the
page's own CSP (:func:`page_csp`).

**No answer can be lost.** The answers given so far travel with the form, as hidden fields
beside the current step's radio buttons (decision: not a signed cookie; the answers are the
respondent's own, on the respondent's own page, and the one write validates them all again).
So a server restart, another replica or a lost connection between two steps costs nothing:
the browser sends everything with the next step. "Vorige" keeps everything. Only "Versturen"
writes, through :func:`assessment.responses.submit_response` (``BEGIN IMMEDIATE`` on SQLite,
the PostgreSQL equivalent), which uses the link up in the same transaction: a second POST of
the same answers finds it used and thanks, it never stores twice. A send that cannot be stored
(a full disk, a lock held too long) shows the last step again with every answer in it.

**Anonymity.** No cookie is set; the token is in the page's address and in no log line of
ours; the ``Referrer-Policy`` of :mod:`assessment.web.headers` keeps it from other sites.

Failures a respondent can cause get a page in their language, never a traceback: a body too
large (413), a step or answer out of range (ignored: the form is shown again as it should be).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import math
import re
import secrets
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import codes, context, questionnaire_store
from ..codes import SlipCode
from ..errors import InputError
from ..i18n import LANGUAGE_NAMES, LANGUAGES, language_from_header, t
from ..organisations import get_organisation
from ..questionnaire import Questionnaire, load_employee_questionnaire
from ..responses import USED, Invitation, InvitationError, check_invitation, submit_response
from ..storage import db_path, errors, hold_open, init_db
from .headers import SURVEY_CSP

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
SECONDS_PER_QUESTION = 14  # the questionnaire's 34 questions in "about 8 minutes"
MAX_BODY = 64 * 1024  # a whole survey's form is about 2 KB; the open answer at most 2,000 chars
_env = Environment(loader=FileSystemLoader(HERE / "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def strong(text: str) -> Markup:
    """A translation's ``**bold**`` as ``<strong>``, everything else escaped."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(text))))


_env.filters["strong"] = strong


@cache
def _prepared(path: str) -> str:
    """Created, migrated and held open once per process (:func:`assessment.storage.hold_open`:
    without an idle connection each send's last close would checkpoint and delete the WAL)."""
    prepared = init_db(path)
    hold_open(prepared)
    return str(prepared)


def database() -> str:
    """The database (``$WERKBAAR_DB`` or the default), created and migrated once per path."""
    return _prepared(str(db_path()))


@cache
def _shipped() -> Questionnaire:
    return load_employee_questionnaire()


def questionnaire(invitation: Invitation | None = None) -> Questionnaire:
    """What the invitation's round asks (its version, modules and own questions); without
    one (it could not be checked), the shipped version, for titles and to carry answers."""
    if invitation is None:
        return _shipped()
    return questionnaire_store.for_round(context.current(), invitation.round)


@dataclass
class Draft:
    """What the form carries: the step shown and every answer so far."""

    step: int = 0
    answers: dict[str, int] = field(default_factory=dict)
    background: dict[str, object] = field(default_factory=dict)
    open_text: str = ""
    # answers to questions of the round's that could not be read (the link not checked):
    # carried unchanged to the next page, so nothing typed is lost
    carried: dict[str, str] = field(default_factory=dict)


_ITEM_FIELD = re.compile(r"q_[a-z0-9_]{1,40}")


def read_draft(form, q: Questionnaire, invitation: Invitation | None) -> Draft:
    """The draft a submitted form carries; values that cannot be answers are dropped (a
    tampered form loses them, nothing else happens)."""
    try:
        step = min(max(int(form.get("step", 0)), 0), len(q.sections) + 1)
    except ValueError:
        step = 0
    answers = {}
    for section in q.sections:
        for item in section.items:
            value = form.get(f"q_{item.id}", "")
            points = len(q.answer_scales[item.answer_scale].labels)
            if value.isascii() and value.isdigit() and 1 <= int(value) <= points:
                answers[item.id] = int(value)
    carried = {} if invitation is not None else {
        name: value for name, value in form.items() if _ITEM_FIELD.fullmatch(name)
        and name[2:] not in answers and value in ("1", "2", "3", "4", "5")}
    background = {}
    for question, options in _background_options(q, invitation, "nl"):
        value = form.get(f"b_{question.id}", "")
        chosen = next((code for code in options if str(code) == value), None)
        if chosen is not None:
            background[question.id] = chosen
    open_text = str(form.get("open", ""))[:q.open_question.max_chars]
    return Draft(step, answers, background, open_text, carried)


def _background_options(q: Questionnaire, invitation: Invitation | None, lang: str):
    """(question, {code: label}) for every background question that has options."""
    for question in q.background:
        if question.from_organisation:
            options = dict(invitation.departments) if invitation else {}
        else:
            options = {o.code: o.label(lang) for o in question.options}
        if options:
            yield question, options


def _lang(request: Request, form=None, offered: tuple[str, ...] = LANGUAGES) -> str:
    """The page's language among ``offered`` (a round's languages): the switch just pressed,
    else the language the form was in, else ``?lang=`` (an e-mail's or a slip's language),
    else the browser's ``Accept-Language``, else the first offered. No cookie: the survey
    sets none, so the language travels in the address and the form."""
    form = form if form is not None else {}
    for chosen in (form.get("switch"), form.get("lang"), request.query_params.get("lang")):
        if chosen in offered:
            return chosen
    return language_from_header(request.headers.get("accept-language"), offered)


def _offered(request: Request, lang: str, invitation: Invitation | None, form=None) -> str:
    """``lang`` if the invitation's round offers it, else the best language it does offer."""
    if invitation is None or lang in invitation.round.languages:
        return lang
    return _lang(request, form, invitation.round.languages)


CSS = (HERE / "survey.css").read_text(encoding="utf-8")


def page_csp(css: str = CSS) -> str:
    """The survey pages' CSP: :data:`assessment.web.headers.SURVEY_CSP` with the inline
    style allowed by its hash (and nothing else inline: no script at all)."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return SURVEY_CSP.replace("style-src 'self'", f"style-src 'sha256-{digest}'")


def _page(name: str, lang: str, status: int = 200, **context) -> HTMLResponse:
    html = _env.get_template(name).render(lang=lang, tr=lambda key, **p: t(key, lang, **p),
                                          css=Markup(CSS), **context)
    return HTMLResponse(html, status_code=status,
                        headers={"content-security-policy": page_csp(),
                                 "cache-control": "no-store"})


def _notice(lang: str, title: str, message: str, status: int = 200) -> HTMLResponse:
    return _page("notice.html", lang, status, title=title, message=message)


def _other_languages(lang: str, invitation: Invitation | None) -> list[tuple[str, str]]:
    """(code, name) of the other languages the round offers: buttons of the step's form, so a
    switch keeps every answer and the door's proof (above the intro, below a step's questions,
    after its own buttons, so that Enter in a field never switches)."""
    offered = invitation.round.languages if invitation else LANGUAGES
    return [(code, LANGUAGE_NAMES[code]) for code in offered if code != lang]


@dataclass(frozen=True)
class Door:
    """How a respondent came in: an invitation link's token, or a slip's code that passed the
    limit on wrong codes (with its proof, carried by the form), and where the form posts."""

    credential: str | SlipCode
    kind: str = "invitation"  # i18n prefix of the refusals: "invitation" or "code"
    hidden: dict = field(default_factory=dict)  # the door's own fields on every step
    action: str = ""
    client: str = ""  # for a code: the client whose count a sent response clears


def _step_page(request: Request, door: Door, invitation: Invitation | None, draft: Draft,
               lang: str, missing: list[str] = (), error: str = "",
               organisation: str | None = None) -> HTMLResponse:
    q = questionnaire(invitation)
    total = len(q.sections) + 2
    about_you = draft.step == len(q.sections) + 1
    section = q.sections[draft.step - 1] if 1 <= draft.step <= len(q.sections) else None
    shown = {item.id for item in section.items} if section else set()
    items = [] if section is None else [
        (number, item, [label(lang) for label in q.answer_scales[item.answer_scale].labels])
        for number, item in enumerate(section.items, 1)]
    numbers = [n for n, item, _ in items if item.id in missing]
    added = added_questions(q) if draft.step == 0 else 0
    return _page(
        "step.html", lang, 200 if not error else 503,
        q=q, step=draft.step, total=total, section=section, items=items, draft=draft,
        hidden={**door.hidden, **draft.carried, **{
            f"q_{k}": v for k, v in draft.answers.items() if k not in shown}},
        about_you=about_you,
        background=list(_background_options(q, invitation, lang)) if about_you else [],
        background_hidden={} if about_you else {f"b_{k}": v for k, v in
                                                 draft.background.items()},
        missing=set(missing), missing_numbers=", ".join(map(str, numbers)), error=error,
        organisation=organisation, action=door.action,
        languages=_other_languages(lang, invitation),
        added=added, added_minutes=math.ceil(added * SECONDS_PER_QUESTION / 60))


def added_questions(q: Questionnaire) -> int:
    """How many questions the round's modules and own questions add to the questionnaire (its
    intro's "about 8 minutes" counts the questionnaire's own only)."""
    return sum(len(s.items) for s in q.sections if s.id == "own" or s.id.startswith("module."))


def _intro(request: Request, door: Door, lang: str) -> Response:
    """The first page of a door: the intro, or why it does not open (a used one thanks)."""
    try:
        invitation = check_invitation(context.current(), door.credential)
    except InvitationError as error:
        return _refused(lang, error, door.kind)
    except errors():
        log.exception("survey: cannot check a link")
        return _notice(lang, t("survey.title_unavailable", lang),
                       t("survey.unavailable", lang), 503)
    found = get_organisation(context.current(), invitation.round.organisation_id)
    lang = _offered(request, lang, invitation)
    return _step_page(request, door, invitation, Draft(), lang,
                      organisation=found.name if found else None)


async def open_survey(request: Request) -> Response:
    """``GET /s/{token}``: an invitation link."""
    token = request.path_params["token"]
    return _intro(request, Door(token, action=request.url.path), _lang(request))


def _refused(lang: str, error: InvitationError, kind: str = "invitation", *,
             sending: bool = False) -> HTMLResponse:
    """Why a door does not open. A used one thanks; when the refused request was a send
    (``sending``), most likely the second of a double click on "Versturen" whose first
    stored the answers, the thanks says so, and still how to tell a link someone else used
    (nothing ties a response to its link, so which one it was cannot be known)."""
    if error.reason == USED:
        return _notice(lang, t("survey.thanks_title", lang),
                       t(f"{kind}.sent_twice" if sending else f"{kind}.used", lang))
    return _notice(lang, questionnaire().title(lang), t(f"{kind}.{error.reason}", lang),
                   404 if error.reason == "unknown" else 200)


async def _form(request: Request):
    """The posted form, or None when its body is larger than a survey can be."""
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return None
    return await request.form(max_files=0, max_fields=200)


def _too_large(request: Request) -> HTMLResponse:
    lang = _lang(request)
    return _notice(lang, t("survey.too_large_title", lang), t("survey.too_large", lang), 413)


async def answer(request: Request) -> Response:
    """``POST /s/{token}``: move between steps with every answer, or send."""
    form = await _form(request)
    if form is None:
        return _too_large(request)
    door = Door(request.path_params["token"], action=request.url.path)
    return _step(request, door, form, _lang(request, form))


def _step(request: Request, door: Door, form, lang: str) -> Response:
    try:
        invitation = check_invitation(context.current(), door.credential)
        q = questionnaire(invitation)
    except InvitationError as error:
        return _refused(lang, error, door.kind, sending=form.get("go") == "send")
    except errors():  # keep going with the answers on the page; the send will tell
        log.exception("survey: cannot check a link")
        invitation = None
        q = questionnaire()
    lang = _offered(request, lang, invitation, form)
    draft = read_draft(form, q, invitation)
    go = form.get("go", "")
    if go == "back":
        draft.step = max(draft.step - 1, 0)
    elif go in ("start", "next") and draft.step <= len(q.sections):
        section = q.sections[draft.step - 1] if draft.step >= 1 else None
        missing = [i.id for i in section.items if i.id not in draft.answers] if section else []
        if missing:
            return _step_page(request, door, invitation, draft, lang, missing)
        draft.step += 1
    elif go == "send":
        return _send(request, door, invitation, draft, lang)
    return _step_page(request, door, invitation, draft, lang)


def _send(request: Request, door: Door, invitation: Invitation | None, draft: Draft,
          lang: str) -> Response:
    q = questionnaire(invitation)
    unanswered = [i.id for s in q.sections for i in s.items if i.id not in draft.answers]
    if unanswered:  # a tampered or truncated form: back to the first open question
        draft.step = next(n for n, s in enumerate(q.sections, 1)
                          if any(i.id in unanswered for i in s.items))
        return _step_page(request, door, invitation, draft, lang, unanswered)
    try:
        submit_response(context.current(), door.credential, q, draft.answers, draft.background,
                        draft.open_text,
                        lang=lang)
    except InvitationError as error:  # used: this page's earlier send stored it
        return _refused(lang, error, door.kind, sending=True)
    except InputError as error:
        return _step_page(request, door, invitation, draft, lang, error=" ".join(
            p.message(lang) for p in error.problems))
    except errors():
        reference = _reference()
        log.exception("survey: not stored (reference %s)", reference)
        return _step_page(request, door, invitation, draft, lang,
                          error=t("survey.store_failed", lang, ref=reference))
    query = {"lang": lang}
    if door.kind == "code":
        codes.forgive(context.current(), door.client)
        query["by"] = "code"
    return RedirectResponse(f"/s/thanks?{urlencode(query)}", status_code=303)


def _reference() -> str:
    """A short reference for an operator to find the logged failure."""
    return secrets.token_hex(4).upper()


async def thanks(request: Request) -> Response:
    """After a send (no token or code in the address). Sent with a code: the next person at a
    shared device can type theirs right here."""
    lang = _lang(request)
    if request.query_params.get("by") == "code":
        return _page("code.html", lang, title=t("survey.thanks_title", lang),
                     message=t("code.thanks", lang), typed="", problem="")
    return _notice(lang, t("survey.thanks_title", lang), t("survey.thanks", lang))


# --- slips' codes --------------------------------------------------------------------------


def _client(request: Request) -> str:
    """The key under which this address's wrong codes are counted (never the address)."""
    host = request.client.host if request.client else "unknown"
    return codes.client_key(context.current(), f"ip:{host}")


def _code_door(code: SlipCode, client: str) -> Door:
    return Door(code, "code", {"code": code.code,
                               "proof": codes.proof(context.current(), code)},
                "/s/code", client)


def _entry(lang: str, typed: str = "", problem: str = "", status: int = 200) -> HTMLResponse:
    """The field for a slip's code, with links to it in the other languages."""
    languages = [(code, LANGUAGE_NAMES[code], f"/s/code?{urlencode({'lang': code})}")
                 for code in LANGUAGES if code != lang]
    return _page("code.html", lang, status, title=t("code.form_title", lang),
                 message=t("code.form_help", lang), typed=typed, problem=problem,
                 languages=languages)


def _redeemed(request: Request, text: str, lang: str) -> Response:
    """A typed or scanned code against the limit: its intro, or the entry with why not."""
    if not codes.is_well_formed(codes.normalise(text)):  # not counted: it cannot be a code
        return _entry(lang, text[:40], t("code.malformed", lang, length=codes.LENGTH), 400)
    client = _client(request)
    try:
        code = codes.redeem(context.current(), text, client)
    except InputError as error:
        return _entry(lang, text[:40], " ".join(p.message(lang) for p in error.problems), 400)
    return _intro(request, _code_door(code, client), lang)


async def code_entry(request: Request) -> Response:
    """``GET /s/code``: the field for a slip's code; ``GET /s/code/{code}``: a QR code."""
    lang, code = _lang(request), request.path_params.get("code")
    return _redeemed(request, code, lang) if code else _entry(lang)


async def code_answer(request: Request) -> Response:
    """``POST /s/code``: a typed code, or a step of a survey opened with a proven code."""
    form = await _form(request)
    if form is None:
        return _too_large(request)
    lang = _lang(request, form)
    code = codes.proven(context.current(), str(form.get("code", "")), str(form.get("proof", "")))
    if code is None:
        return _redeemed(request, str(form.get("typed", "")), lang)
    return _step(request, _code_door(code, _client(request)), form, lang)


def friendly(handler):
    """A route whose unexpected error becomes a page with a reference in the respondent's
    language (the traceback goes to the server log, never to the browser)."""
    @wraps(handler)
    async def guarded(request: Request) -> Response:
        try:
            with context.request(database()):  # one connection for the whole request
                return await handler(request)
        except Exception:  # noqa: BLE001 - the one place an unexpected error becomes a page
            reference = _reference()
            log.exception("survey: unexpected error (reference %s)", reference)
            lang = _lang(request)
            return _notice(lang, questionnaire().title(lang), t("app.error", lang, ref=reference),
                           500)
    return guarded


def routes() -> list[Route]:
    return [
        Route("/s/thanks", friendly(thanks), methods=["GET"]),
        Route("/s/code", friendly(code_entry), methods=["GET"]),
        Route("/s/code", friendly(code_answer), methods=["POST"]),
        Route("/s/code/{code}", friendly(code_entry), methods=["GET"]),
        Route("/s/{token}", friendly(open_survey), methods=["GET"]),
        Route("/s/{token}", friendly(answer), methods=["POST"]),
    ]
