"""The OpenAPI 3.0 description of :mod:`.api`, served at ``/api/v1/openapi.json``.

It is written out here, not generated from the handlers: it is the contract other systems
build on, and ``tests/test_api_contract.py`` (schemathesis) checks the served API against it,
on both database backends: no 5xx, no status or body outside it.
"""

from __future__ import annotations

from ..confidentiality import REASONS
from ..i18n import LANGUAGES
from ..rounds import CHANNELS, CLOSED, MAX_INVITATIONS, MAX_TITLE, OPEN, SCHEDULED

VERSION = "1.0.0"
INT = {"type": "integer"}
NUM = {"type": "number"}
STR = {"type": "string"}
DAY = {"type": "string", "format": "date"}
BOOL = {"type": "boolean"}


def _null(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _obj(properties: dict, required: list | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": False}


def _list(items: dict) -> dict:
    return {"type": "array", "items": items}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS = {
    "Error": _obj({"error": _obj({
        "code": STR, "message": STR,
        "problems": _list(_obj({"field": STR, "message": STR}))}, ["code", "message"])}),
    "Me": _obj({"account": STR, "role": STR, "organisation_id": _null(INT),
                "sectors": _list(STR), "token_id": INT}),
    "Organisation": _obj({"id": INT, "name": STR, "nace_division": _null(STR),
                          "headcount": _null(INT),
                          "departments": _list(_obj({"id": INT, "name": STR}))}),
    "Organisations": _obj({"total": INT, "organisations": _list(_ref("Organisation"))}),
    "Round": _obj({
        "id": INT, "organisation_id": INT, "title": STR,
        "status": {"type": "string", "enum": [SCHEDULED, OPEN, CLOSED]},
        "opens_on": DAY, "closes_on": DAY, "closed_early_on": _null(DAY),
        "languages": _list({"type": "string", "enum": list(LANGUAGES)}),
        "questionnaire": _obj({"id": STR, "version": INT}),
        "invited": INT, "responses": INT,
        "response_rate": _null({**INT, "description": "whole percent; null below 5 reached"}),
        "channels": _list(_obj({"channel": {"type": "string", "enum": list(CHANNELS)},
                                "invited": INT, "responses": _null(INT)}))}),
    "Rounds": _obj({"rounds": _list(_ref("Round"))}),
    "NewRound": {**_obj({
        "title": {"type": "string", "minLength": 1, "maxLength": MAX_TITLE},
        "opens_on": DAY, "closes_on": DAY,
        "languages": {**_list({"type": "string", "enum": list(LANGUAGES)}), "minItems": 1,
                      "uniqueItems": True}}, ["title", "opens_on", "closes_on"]),
        "example": {"title": "Bevraging 2027", "opens_on": "2027-03-01",
                    "closes_on": "2027-03-21", "languages": ["nl", "fr"]}},
    "Figures": _obj({
        "round_id": INT, "published": BOOL,
        "reason": _null({"type": "string", "enum": ["open", "too_few"]}),
        "threshold": INT, "responses": INT, "response_rate": _null(INT),
        "werkbaarheidsgraad": _null({**INT, "description": "whole percent"}),
        "scales": _list(_obj({
            "id": STR, "kind": {"type": "string", "enum": ["indicator", "risk_factor"]},
            "n": INT, "mean": INT, "knelpunt": INT, "acuut": INT})),
        "monitor_sector": _null({**STR, "description": "the werkbaarheidsmonitor's sector"}),
        "comparisons": {"type": "object", "description": "per metric (werkbaarheidsgraad, a "
                        "scale's knelpunt share): the published Flemish and sector figures",
                        "additionalProperties": _obj({"flanders": _null(_ref("Benchmark")),
                                                      "sector": _null(_ref("Benchmark"))})},
        "peers": _null(_obj({
            "sector": STR, "year": INT, "organisations": INT,
            "bands": {"type": "object", "additionalProperties": {
                "type": "string", "enum": ["red", "yellow", "aqua", "green"]}}}))}),
    "Benchmark": _obj({"value": {**NUM, "description": "percent, 1 decimal"}, "year": INT,
                       "population": STR, "source": STR, "primary": BOOL}),
    "NewLinks": _obj({"count": {"type": "integer", "minimum": 1, "maximum": MAX_INVITATIONS},
                      "lang": {"type": "string", "enum": list(LANGUAGES)}}, ["count"]),
    "NewCodes": _obj({"count": {"type": "integer", "minimum": 1, "maximum": MAX_INVITATIONS}}),
    "Links": _obj({"round_id": INT, "count": INT, "links": _list(STR),
                   "links_outnumber_headcount": BOOL}),
    "Codes": _obj({"round_id": INT, "count": INT,
                   "codes": _list(_obj({"code": STR, "link": STR})),
                   "links_outnumber_headcount": BOOL}),
    "Sectors": _obj({"sectors": _list(_obj({
        "key": STR, "kind": {"type": "string", "enum": ["pc", "nace"]}, "code": STR}))}),
    "Cell": _obj({
        "section": {"type": "string", "enum": ["total", "size", "division", "year"]},
        "key": STR, "shown": BOOL,
        "reason": _null({"type": "string", "enum": list(REASONS)}),
        "organisations": _null(INT), "respondents": _null(INT),
        "werkbaarheidsgraad": _null({**NUM, "description": "percent, 1 decimal"}),
        "knelpunt": {"type": "object", "additionalProperties": NUM}}),
    "Bands": _obj({"organisations": _null(INT), "percentiles": {
        "type": "object", "additionalProperties": _obj({"p20": NUM, "p50": NUM, "p80": NUM})}}),
    "SectorCells": _obj({
        "sector": STR, "year": _null(INT), "preparing": BOOL,
        "rules": _obj({"min_organisations": INT, "min_respondents": INT, "max_share": NUM}),
        "cells": _list(_ref("Cell")), "years": _list(_ref("Cell")), "bands": _ref("Bands")}),
    "SectorYears": _obj({"sector": STR, "years": _list(INT)}),
    "Snapshot": _obj({"sector": STR, "year": INT, "cells": _list(_ref("Cell")),
                      "bands": _ref("Bands")}),
}

_WHY = {
    400: "The body is not a JSON object.", 401: "No token, or an unknown, expired or revoked one.",
    403: "The token's account may see this but not change it.",
    404: "Unknown, or outside the token's scope (the two are not told apart).",
    409: "The round is not open.", 413: "The body is larger than 16 KB.",
    415: "The body is not application/json.",
    422: "The input was refused (also: a parameter or field the call does not take); see "
         "problems.",
    429: "Too many calls this minute; see Retry-After.",
}


def _answers(ok: int, schema: str, *failures: int, post: bool = False) -> dict:
    codes = {401, 404, 422, 429, *failures} | ({400, 403, 413, 415} if post else set())
    answers = {str(ok): {"description": "OK" if ok == 200 else "Created", "content": {
        "application/json": {"schema": _ref(schema)}}}}
    for status in sorted(codes):
        answers[str(status)] = {"description": _WHY[status], "content": {
            "application/json": {"schema": _ref("Error")}}}
    return answers


def _id(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2**53}}


ORG = _id("organisation_id", "An organisation's id")
ROUND = _id("round_id", "A survey round's id")
SECTOR = {"name": "key", "in": "path", "required": True,
          "description": "A joint committee (pc:330, pc:111.01) or a NACE division (nace:87)",
          "schema": {"type": "string", "pattern": r"^(pc:[0-9]{3}(\.[0-9]{2})?|nace:[0-9]{2})$"}}
YEAR = {"name": "year", "in": "path", "required": True, "description": "An ended year",
        "schema": {"type": "integer", "minimum": 2000, "maximum": 2999}}


def _get(summary: str, schema: str, *parameters, failures=()) -> dict:
    return {"get": {"summary": summary, "parameters": list(parameters),
                    "responses": _answers(200, schema, *failures)}}


def _post(summary: str, body: str, schema: str, *parameters, failures=()) -> dict:
    return {"summary": summary, "parameters": list(parameters), "requestBody": {
        "required": True, "content": {"application/json": {"schema": _ref(body)}}},
        "responses": _answers(201, schema, *failures, post=True)}


def document() -> dict:
    limit = {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}}
    organisations = _get("The organisations the token sees (first `limit` by name)",
                         "Organisations", limit)
    rounds = _get("The organisation's rounds, newest first", "Rounds", ORG)
    rounds["post"] = _post("Open a round (the active questionnaire, no modules)", "NewRound",
                           "Round", ORG)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Werkbaar API", "version": VERSION, "description": (
            "Published figures for sector funds, rounds for HR systems. Every figure is the "
            "one the pages show, through the same confidentiality rules, never more precise. "
            "Send `Authorization: Bearer <token>` (made on the Koppelingen page).")},
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
                       "schemas": SCHEMAS},
        "paths": {
            "/me": _get("Who the token acts as", "Me"),
            "/organisations": organisations,
            "/organisations/{organisation_id}": _get("One organisation", "Organisation", ORG),
            "/organisations/{organisation_id}/rounds": rounds,
            "/rounds/{round_id}": _get("A round's state, response rate and channels", "Round",
                                       ROUND),
            "/rounds/{round_id}/figures": _get("A round's published figures (the dashboard's)",
                                               "Figures", ROUND),
            "/rounds/{round_id}/links": {"post": _post(
                "Make invitation links (shown once)", "NewLinks", "Links", ROUND,
                failures=(409,))},
            "/rounds/{round_id}/slip-codes": {"post": _post(
                "Make slip codes (shown once)", "NewCodes", "Codes", ROUND, failures=(409,))},
            "/sectors": _get("The sectors the token sees", "Sectors"),
            "/sectors/{key}/cells": _get("The sector page's published cells", "SectorCells",
                                         SECTOR),
            "/sectors/{key}/snapshots": _get("The frozen (ended) years", "SectorYears", SECTOR),
            "/sectors/{key}/snapshots/{year}": _get("One frozen year's published cells",
                                                    "Snapshot", SECTOR, YEAR),
        },
    }
