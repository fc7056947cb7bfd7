"""The JSON API under ``/api/v1`` (issue 30), served by the app's own process beside the
pages and the survey; described by :mod:`.openapi` at ``/api/v1/openapi.json``.

Every call but the description's carries ``Authorization: Bearer wbk_…`` (an API token,
:mod:`assessment.api_tokens`), which is checked, counted against the token's limit per minute
and audited in one transaction before anything else happens; the call then acts with the
token's account's scope, as the pages would. What it answers comes from
:mod:`assessment.api_views` (the pages' read models, through the same rules).

Failures answer JSON, never a traceback: ``{"error": {"code", "message"}}`` with the message in
the caller's ``Accept-Language`` (nl, en, fr), and for refused input the problem per field.
An organisation, round or sector outside the token's scope is answered exactly as an unknown
one (404). Handlers run in Starlette's thread pool (the database work is blocking), each in one
request context (:func:`assessment.context.request`).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable
from datetime import date
from functools import cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import api_tokens, api_views, audit, codes, context, questionnaire_store
from ..access import EDIT_ORGANISATION, AccessDenied
from ..errors import InputError, Problem
from ..i18n import LANGUAGES, language_from_header, t
from ..rounds import (
    MAX_INVITATIONS,
    OPEN,
    create_invitations,
    invitation_link,
    links_outnumber_headcount,
    open_round,
    read_round,
)
from ..storage import write_transaction
from ..text import clean_line
from . import openapi
from .survey import database

log = logging.getLogger(__name__)
API = "/api/v1"
MAX_BODY = 16 * 1024  # the largest body we take is a round's title and dates
MAX_LIMIT = 500
MAX_ID = 2**53  # ids beyond any stored one are unknown (and beyond what SQL integers hold)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]  # all ours to answer
BASE_URL_ENV = "WERKBAAR_BASE_URL"
NO_STORE = {"Cache-Control": "no-store"}  # links, codes and figures stay out of every cache


class ApiError(Exception):
    """An answer other than 2xx: its status, code (``api.error.<code>``) and the problems."""

    def __init__(self, status: int, code: str, problems: list[Problem] | None = None,
                 headers: dict | None = None, **params):
        super().__init__(code)
        self.status, self.code, self.problems = status, code, problems or []
        self.headers, self.params = headers or {}, params


def _error(lang: str, error: ApiError) -> JSONResponse:
    body = {"code": error.code, "message": t(f"api.error.{error.code}", lang, **error.params)}
    if error.problems:
        body["problems"] = [{"field": p.field, "message": p.message(lang)}
                            for p in error.problems]
    return JSONResponse({"error": body}, error.status, headers=NO_STORE | error.headers)


async def _body(request: Request) -> dict | None:
    """The JSON object of a POST, read up to :data:`MAX_BODY`.

    :raises ApiError: 413 for a larger body, 415 for another content type, 400 for what is
      not a JSON object.
    """
    if request.method != "POST":
        return None
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise ApiError(413, "too_large", max=MAX_BODY)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != \
            "application/json":  # media types are case-insensitive (RFC 9110)
        raise ApiError(415, "content_type")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise ApiError(413, "too_large", max=MAX_BODY)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "malformed") from None
    if not isinstance(parsed, dict):
        raise ApiError(400, "malformed")
    return parsed


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


FIELDS: dict[str, frozenset] = {}  # by handler name: the query parameters or body fields it reads


def takes(*fields: str) -> Callable:
    """Declare what a handler reads (query parameters for a GET, body fields for a POST):
    anything else is refused (422), so a misspelt field is an error, not ignored."""
    def declare(handler: Callable) -> Callable:
        FIELDS[handler.__name__] = frozenset(fields)
        return handler
    return declare


def _unexpected(request: Request, handler: Callable, body: dict | None) -> list[Problem]:
    given = list(body or ()) + list(request.query_params.keys())
    allowed = FIELDS.get(handler.__name__, frozenset())
    return [Problem(str(name)[:40], "api.error.unknown_field") for name in dict.fromkeys(given)
            if name not in allowed]


def _call(request: Request, handler: Callable, body: dict | None) -> tuple[int, dict]:
    """One admitted call in its own request context (runs in the thread pool)."""
    with context.request(database()) as ctx:
        try:
            call = api_tokens.admit(ctx, _bearer(request), request.method, request.url.path)
        except api_tokens.TokenRefused:
            raise ApiError(401, "unauthorised", headers={"WWW-Authenticate": "Bearer"}) from None
        except api_tokens.RateLimited as limited:
            raise ApiError(429, "rate_limited", headers={
                "Retry-After": str(limited.retry_after)}, seconds=limited.retry_after) from None
        ctx.scope = call.scope
        try:
            if unexpected := _unexpected(request, handler, body):
                raise InputError(unexpected)
            return handler(ctx, call, request, body)
        except api_views.NotFound:
            raise ApiError(404, "not_found") from None
        except AccessDenied:
            raise ApiError(403, "forbidden") from None
        except InputError as refused:
            raise ApiError(422, "invalid", refused.problems) from None


def endpoint(handlers: dict[str, Callable]) -> Callable:
    """The route of one path: ``handlers`` by method; another method gets 405."""
    async def route(request: Request) -> Response:
        lang = language_from_header(request.headers.get("accept-language"))
        try:
            handler = handlers.get(request.method)
            if handler is None:
                raise ApiError(405, "method", headers={"Allow": ", ".join(handlers)})
            for value in request.path_params.values():
                if isinstance(value, int) and not 1 <= value <= MAX_ID:
                    raise ApiError(404, "not_found")
                if isinstance(value, str) and len(value) > 40:
                    raise ApiError(404, "not_found")
            body = await _body(request)
            status, doc = await run_in_threadpool(_call, request, handler, body)
            return JSONResponse(doc, status, headers=NO_STORE)
        except ApiError as error:
            return _error(lang, error)
        except Exception:  # noqa: BLE001 - the one place an unexpected error becomes JSON
            reference = secrets.token_hex(4).upper()
            log.exception("api: unexpected error (reference %s)", reference)
            return _error(lang, ApiError(500, "unexpected", ref=reference))
    return route


# --- the handlers: (ctx, call, request, body) → (status, document) ----------------------------


def _limit(request: Request) -> int:
    value = request.query_params.get("limit", "100")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise InputError([Problem("limit", "api.error.limit", {"max": MAX_LIMIT})])
    return int(value)


def me(ctx, call, request, body):
    scope = call.scope
    return 200, {"account": scope.username, "role": scope.role,
                 "organisation_id": scope.organisation_id,
                 "sectors": [s.key for s in scope.sectors], "token_id": call.token_id}


@takes("limit")
def organisations(ctx, call, request, body):
    return 200, api_views.organisations(ctx, call.scope, limit=_limit(request))


def organisation(ctx, call, request, body):
    org = api_views.organisation(ctx, call.scope, request.path_params["organisation_id"])
    return 200, api_views.organisation_doc(org)


def rounds(ctx, call, request, body):
    org = api_views.organisation(ctx, call.scope, request.path_params["organisation_id"])
    return 200, api_views.rounds(ctx, org, ctx.today)


def _day(body: dict, name: str, problems: list) -> date | None:
    """``body[name]`` as a day (``YYYY-MM-DD``); otherwise a problem is added."""
    value = body.get(name)
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(Problem(name, "api.error.date"))
    return None


@takes("title", "opens_on", "closes_on", "languages")
def open_new_round(ctx, call, request, body):
    """Open a round like the rounds page does (the active questionnaire; no modules or own
    questions: those are chosen on the page), audited in the same transaction."""
    org = api_views.organisation(ctx, call.scope, request.path_params["organisation_id"],
                                 EDIT_ORGANISATION)
    problems: list[Problem] = []
    title = body.get("title")
    if not isinstance(title, str) or not clean_line(title):
        problems.append(Problem("title", "error.title_empty"))
    opens_on, closes_on = _day(body, "opens_on", problems), _day(body, "closes_on", problems)
    languages = body.get("languages", list(LANGUAGES))
    offered = tuple(c for c in LANGUAGES if isinstance(languages, list) and c in languages)
    if not isinstance(languages, list) or not offered or len(offered) != len(languages):
        problems.append(Problem("languages", "error.languages"))
    if problems:
        raise InputError(problems)
    with write_transaction(ctx) as db:
        round_id = open_round(ctx, org.id, title, opens_on, closes_on,
                              questionnaire_store.active(ctx), languages=offered)
        created = read_round(db, round_id)
        audit.record_in(db, call.scope, audit.ROUND_OPENED, audit.round_subject(org, created))
    return 201, api_views.round_doc(ctx, created, ctx.today)


def survey_round(ctx, call, request, body):
    _, found = api_views.survey_round(ctx, call.scope, request.path_params["round_id"])
    return 200, api_views.round_doc(ctx, found, ctx.today)


def figures(ctx, call, request, body):
    org, found = api_views.survey_round(ctx, call.scope, request.path_params["round_id"])
    return 200, api_views.figures_doc(ctx, call.scope, org, found, ctx.today)


def _count(body: dict) -> int:
    count = body.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_INVITATIONS:
        raise InputError([Problem("count", "error.invitation_count", {"max": MAX_INVITATIONS})])
    return count


def _open_round(ctx, call, request):
    org, found = api_views.survey_round(ctx, call.scope, request.path_params["round_id"],
                                        EDIT_ORGANISATION)
    if found.status(ctx.today) != OPEN:
        raise ApiError(409, "not_open")
    return org, found


def base_url(request: Request) -> str:
    """Where respondents reach the app: ``$WERKBAAR_BASE_URL``, else the address called."""
    return (os.environ.get(BASE_URL_ENV) or str(request.base_url)).rstrip("/")


@takes("count", "lang")
def links(ctx, call, request, body):
    """Invitation links, shown once, made and audited in one transaction (as the page)."""
    org, found = _open_round(ctx, call, request)
    count = _count(body)
    lang = body.get("lang")
    with write_transaction(ctx):
        tokens = create_invitations(ctx, found.id, count)
        audit.record(ctx, call.scope, audit.LINKS_CREATED, audit.round_subject(org, found),
                     str(len(tokens)))
    url = base_url(request)
    return 201, {"round_id": found.id, "count": len(tokens),
                 "links": [invitation_link(url, token, lang if lang in found.languages
                                           else None) for token in tokens],
                 "links_outnumber_headcount": links_outnumber_headcount(
                     found.invited + len(tokens), org.headcount)}


@takes("count")
def slip_codes(ctx, call, request, body):
    """Slip codes (to print on one's own slips), made and audited in one transaction."""
    org, found = _open_round(ctx, call, request)
    count = _count(body)
    with write_transaction(ctx):
        made = codes.create_codes(ctx, found.id, count)
        audit.record(ctx, call.scope, audit.SLIPS_CREATED, audit.round_subject(org, found),
                     str(len(made)))
    url = base_url(request)
    return 201, {"round_id": found.id, "count": len(made),
                 "codes": [{"code": codes.grouped(c), "link": codes.code_link(url, c)}
                           for c in made],
                 "links_outnumber_headcount": links_outnumber_headcount(
                     found.invited + len(made), org.headcount)}


def sectors(ctx, call, request, body):
    return 200, api_views.sectors(ctx, call.scope)


def sector_cells(ctx, call, request, body):
    target = api_views.sector(call.scope, request.path_params["key"])
    return 200, api_views.cells(ctx, call.scope, target, ctx.today)


def sector_years(ctx, call, request, body):
    target = api_views.sector(call.scope, request.path_params["key"])
    return 200, api_views.years(ctx, call.scope, target, ctx.today)


def sector_year(ctx, call, request, body):
    target = api_views.sector(call.scope, request.path_params["key"])
    return 200, api_views.year(ctx, call.scope, target, request.path_params["year"], ctx.today)


# --- the routes ------------------------------------------------------------------------------


@cache
def _description() -> bytes:
    return json.dumps(openapi.document(), ensure_ascii=False).encode("utf-8")


async def description(request: Request) -> Response:
    return Response(_description(), media_type="application/json")


async def unknown(request: Request) -> Response:
    lang = language_from_header(request.headers.get("accept-language"))
    return _error(lang, ApiError(404, "not_found"))


PATHS = {
    "/me": {"GET": me},
    "/organisations": {"GET": organisations},
    "/organisations/{organisation_id:int}": {"GET": organisation},
    "/organisations/{organisation_id:int}/rounds": {"GET": rounds, "POST": open_new_round},
    "/rounds/{round_id:int}": {"GET": survey_round},
    "/rounds/{round_id:int}/figures": {"GET": figures},
    "/rounds/{round_id:int}/links": {"POST": links},
    "/rounds/{round_id:int}/slip-codes": {"POST": slip_codes},
    "/sectors": {"GET": sectors},
    "/sectors/{key}/cells": {"GET": sector_cells},
    "/sectors/{key}/snapshots": {"GET": sector_years},
    "/sectors/{key}/snapshots/{year:int}": {"GET": sector_year},
}


def routes() -> list[Route]:
    return [Route(f"{API}/openapi.json", description, methods=["GET"]),
            *(Route(API + path, endpoint(handlers), methods=METHODS)
              for path, handlers in PATHS.items()),
            Route(API + "/{rest:path}", unknown, methods=METHODS)]
