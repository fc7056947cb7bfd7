"""Issue 30 in a real browser: an organisation admin signs in, opens Koppelingen, makes an API
token, copies it from the page and calls the served API with it (200); revokes it, and the same
call is refused (401); sends a test message to the organisation's webhook. axe-core finds no
WCAG 2.2 A/AA violation on the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment import webhooks
from assessment.access import ORGANISATION_ADMIN
from assessment.accounts import create_account, get_account
from assessment.i18n import t
from assessment.organisations import create_organisation
from tests.context import on

from .support import (
    accessible,
    assert_no_exception,
    click_button,
    goto,
    heading,
    main,
    nav,
    screenshot,
    settle,
    sign_in,
)

pytestmark = pytest.mark.e2e
USER, PASSWORD = "beheer@acme.test", "een lang wachtwoord 1"
NAME = "HR-systeem"


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


def call(page, url: str, token: str) -> int:
    """The status of a GET with the token, as another system sends it (no cookies)."""
    response = page.context.request.get(url, headers={"Authorization": f"Bearer {token}"},
                                        fail_on_status_code=False)
    return response.status


def test_an_organisation_admin_makes_uses_and_revokes_a_token(server, new_page, monkeypatch):
    org_id = create_organisation(on(server.db_path), "Acme", "C", "10", 50, ["Productie"])
    account = create_account(on(server.db_path), USER, PASSWORD, ORGANISATION_ADMIN,
                             organisation_id=org_id)
    with monkeypatch.context() as env:  # made here, where a local receiver is allowed; the
        env.setenv(webhooks.ALLOW_PRIVATE_ENV, "1")  # server refuses to post to it (no matter)
        webhooks.create(on(server.db_path), get_account(on(server.db_path), account).scope(),
                        "http://127.0.0.1:9/werkbaar", organisation_id=org_id)
    page = new_page(signed_in=False)
    goto(page, server.url)
    sign_in(page, USER, PASSWORD)
    nav(page, nl("nav.integrations"))
    expect(heading(page, nl("integrations.title"))).to_be_visible()
    expect(heading(page, nl("integrations.webhooks"))).to_be_visible()  # an editor's section

    main(page).get_by_label(nl("integrations.token_name")).fill(NAME)
    main(page).get_by_test_id("stRadio").get_by_text(nl("integrations.days", days=30),
                                                     exact=True).click()
    click_button(page, nl("integrations.create_token"))
    settle(page)
    code = main(page).get_by_test_id("stCode")
    expect(code).to_have_text(re.compile(r"^\s*wbk_[\w-]{40,}\s*$"))
    token = code.inner_text().strip()
    expect(main(page).get_by_text(nl("integrations.token_once"))).to_be_visible()
    expect(main(page).get_by_test_id("stTable")).to_contain_text(NAME)
    assert_no_exception(page)
    accessible(page, "Koppelingen with a new token")
    screenshot(page, "integrations-token-nl")

    me = page.context.request.get(f"{server.url}/api/v1/me",
                                  headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200 and me.json()["account"] == USER
    assert me.json()["organisation_id"] == org_id
    rounds = f"{server.url}/api/v1/organisations/{org_id}/rounds"
    assert call(page, rounds, token) == 200

    main(page).get_by_role("button", name=re.compile(re.escape(
        nl("integrations.revoke", name=NAME)))).click()
    page.get_by_role("button", name=nl("integrations.revoke_now"), exact=True).click()
    settle(page)
    expect(main(page).get_by_text(nl("integrations.revoked", name=NAME))).to_be_visible()
    expect(main(page).get_by_test_id("stCode")).to_have_count(0)  # shown once
    expect(main(page).get_by_test_id("stTable")).to_contain_text(
        nl("integrations.state.revoked"))
    assert call(page, rounds, token) == 401
    assert call(page, f"{server.url}/api/v1/me", token) == 401

    hook = main(page).locator("[class*='st-key-webhook-']")
    expect(hook).to_contain_text(nl("integrations.no_deliveries"))
    hook.get_by_role("button", name=re.compile(re.escape(nl("integrations.ping")))).click()
    settle(page)
    expect(main(page).get_by_text(nl("integrations.pinged"))).to_be_visible()
    expect(hook.get_by_test_id("stTable")).to_contain_text(nl("integrations.event.ping"))
    assert_no_exception(page)
    accessible(page, "Koppelingen after revoking")
    screenshot(page, "integrations-nl")
