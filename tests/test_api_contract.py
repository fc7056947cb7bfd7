"""The API's contract (issue 30): schemathesis generates requests from the served OpenAPI
document (``/api/v1/openapi.json``) — valid and awkward path ids, sector keys, query values and
bodies — sends them to the app's routes (the same list ``app.py`` serves, over ASGI) as each
kind of account, and checks every answer: no 5xx, a status the document lists, a body and
content type that match its schema. On the PostgreSQL pass it runs against PostgreSQL.

Every account's token gets its own run: a platform admin reaches every route, an organisation
admin opens rounds and makes links, a sector analyst reads sector cells, and an HR viewer is
refused every change (403 is in the document)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from assessment import api_tokens
from tests.api_support import (
    ADMIN,
    ANALYST,
    CARE_ADMIN,
    CARE_VIEWER,
    app,
    bearer,
    demo_with_accounts,
    make_tokens,
)

pytestmark = pytest.mark.both_backends  # its module's database is a PostgreSQL one in that pass
ACCOUNTS = (ADMIN, CARE_ADMIN, CARE_VIEWER, ANALYST)


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    """The demo with its accounts, served; the limit per minute raised so that the generated
    calls are not refused for their number (the limit has its own tests)."""
    database = demo_with_accounts(request, tmp_path_factory.mktemp("contract"))
    patch = pytest.MonkeyPatch()
    patch.setenv("WERKBAAR_DB", database)
    patch.setenv(api_tokens.RATE_ENV, "1000000")
    from assessment.web import survey

    survey._prepared.cache_clear()
    request.addfinalizer(patch.undo)
    return make_tokens(database)


# Loaded over ASGI when the module is collected: the description needs no database (the
# routes read $WERKBAAR_DB per call, which `served` sets before the first one).
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app())


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_answer_is_in_the_contract(case, served):
    for account in ACCOUNTS:  # the same request as each kind of account
        case.call_and_validate(headers=bearer(served[account]))


def test_the_document_is_a_valid_openapi_description():
    operations = list(schema.get_all_operations())
    assert len(operations) == 13 and all(o.ok() for o in operations)
