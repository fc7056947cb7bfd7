"""The README's API examples work: each ``curl`` call of "The API for other systems" → Examples
is read from the README, run in order against the API on the demo (as the sector fund's and the
organisation admin's tokens; the README's ids 12 and 41 stand for the demo's organisation and
the round the example opens) and must succeed and be an operation of the OpenAPI document."""

from __future__ import annotations

import re
import shlex
from datetime import timedelta
from pathlib import Path

import pytest

from assessment.organisations import list_organisations
from assessment.storage import DB_ENV
from assessment.web import openapi
from tests.api_support import (
    ANALYST,
    CARE,
    CARE_ADMIN,
    bearer,
    client_of,
    demo_with_accounts,
    make_tokens,
)
from tests.context import on

pytestmark = pytest.mark.both_backends
README = Path(__file__).parents[1] / "README.md"


def example_blocks() -> list[list[str]]:
    """The bash blocks of the Examples section, each as its commands (continuations joined)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Examples"):text.index("### Webhooks")]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    return [block.replace("\\\n", " ").splitlines() for block in blocks]


def curl_call(line: str, variables: dict) -> tuple[str, str, str | None] | None:
    """``(method, path, body)`` of a line's ``curl`` call (after ``$(`` if it is in one), with
    the variables filled in; None for a line without one."""
    if "curl " not in line:
        return None
    for name, value in variables.items():
        line = line.replace(f"${name}", value)
    lexer = shlex.shlex(line[line.index("curl "):], posix=True, punctuation_chars="|)")
    lexer.whitespace_split = True
    words = []
    for word in lexer:
        if word in ("|", ")"):
            break
        words.append(word)
    method, body, path = "GET", None, None
    for flag, value in zip(words, words[1:], strict=False):
        if flag == "-X":
            method = value
        elif flag == "-d":
            body = value
    path = next(w for w in words if w.startswith("/api/v1/"))
    return method, path.removeprefix("/api/v1"), body


def operation(method: str, path: str) -> str | None:
    for template in openapi.document()["paths"]:
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path) and method.lower() in openapi.document()["paths"][
                template]:
            return template
    return None


@pytest.fixture
def served(request, tmp_path, monkeypatch):
    database = demo_with_accounts(request, tmp_path)
    monkeypatch.setenv(DB_ENV, database)
    return database


def test_the_readme_examples_run_against_the_api(served):
    blocks = example_blocks()
    assert len(blocks) == 2
    tokens, client = make_tokens(served), client_of(served)
    care = next(o for o in list_organisations(on(served)) if o.name == CARE)
    today = on(served).today
    variables = {"WERKBAAR": "/api/v1", "OPENS": today.isoformat(),
                 "CLOSES": (today + timedelta(days=21)).isoformat()}
    calls = 0
    for block, account in zip(blocks, (ANALYST, CARE_ADMIN), strict=True):
        for line in block:
            call = curl_call(line, variables)
            if call is None:
                continue
            method, path, body = call
            path = path.replace("/organisations/12/", f"/organisations/{care.id}/")
            if "round_id" in variables:
                path = path.replace("/rounds/41", f"/rounds/{variables['round_id']}")
            assert operation(method, path), (method, path)
            answer = client.request(method, "/api/v1" + path, headers={
                **bearer(tokens[account]), "content-type": "application/json"}, content=body)
            assert answer.status_code in (200, 201), (line, answer.text)
            calls += 1
            if path.endswith("/snapshots"):
                variables["YEAR"] = str(answer.json()["years"][-1])
            if method == "POST" and path.endswith("/rounds"):
                assert answer.json()["status"] == "open"
                variables["round_id"] = str(answer.json()["id"])
    assert calls == 7
