"""What the API tests share: the app's own routes without Streamlit (the same list ``app.py``
serves), a database holding the demo with its accounts, and a live token per demo account."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from assessment import api_tokens
from assessment.accounts import list_accounts
from assessment.audit import OPERATOR
from assessment.demo import load_demo_accounts
from assessment.web import middleware, routes
from assessment.web import survey as web_survey
from tests.context import on

from .conftest import fresh_database

ADMIN, CARE_ADMIN, CARE_VIEWER = "admin@demo", "hr@zorggroep.demo", "lezer@zorggroep.demo"
LOGISTICS_ADMIN, ANALYST = "hr@logistiek.demo", "analist@sociaalfonds.demo"
CARE, LOGISTICS = "Zorggroep Scheldeland", "Logistiek Waasland"


def app() -> Starlette:
    return Starlette(routes=routes(), middleware=middleware())


def demo_with_accounts(request, folder) -> str:
    """A copy of the demo database with the demo accounts (module-wide: made once)."""
    database = fresh_database(request, folder, demo=True)
    load_demo_accounts(on(database))
    return str(database)


def make_tokens(database) -> dict[str, str]:
    """A live 90-day token per demo account, by user name."""
    ctx = on(database)
    return {a.username: api_tokens.create(ctx, a.scope(), "tests", 90)[1]
            for a in list_accounts(ctx, OPERATOR)}


def client_of(database) -> TestClient:
    """A client of the app's routes on ``database`` (which the caller set as ``$WERKBAAR_DB``)."""
    web_survey._prepared.cache_clear()
    return TestClient(app(), raise_server_exceptions=False)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
