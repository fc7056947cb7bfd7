"""Issue 10 in a real browser: a stranger locks the admin's user name by guessing, yet the
admin signs in from the browser where they signed in before (its device cookie), while the
stranger's browser is refused even the right password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.lockout import LOCK_MINUTES, MAX_FAILURES
from assessment.ui.auth import COOKIE, DEVICE_COOKIE

from .support import ADMIN, goto, main, sidebar, sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.pg_smoke]  # also on the PostgreSQL pass
PASSWORD = "e2e-password-1"  # tests/e2e/support.py's admin


def failed() -> str:
    return t("auth.failed", "nl", max=MAX_FAILURES, minutes=LOCK_MINUTES)


def test_a_stranger_who_locks_the_name_does_not_lock_out_the_owner(server, new_page):
    owner = new_page(signed_in=False)
    goto(owner, server.url)
    sign_in(owner, ADMIN, PASSWORD)
    expect(sidebar(owner).get_by_text(re.compile(re.escape(ADMIN)))).to_be_visible()
    cookies = {c["name"]: c for c in owner.context.cookies()}
    assert cookies[COOKIE]["value"] and cookies[DEVICE_COOKIE]["value"]
    assert cookies[DEVICE_COOKIE]["sameSite"] == "Strict"
    sign_out(owner)
    assert DEVICE_COOKIE in {c["name"] for c in owner.context.cookies()}  # kept at sign-out

    stranger = new_page(signed_in=False)
    goto(stranger, server.url)
    for number in range(MAX_FAILURES):
        sign_in(stranger, ADMIN, f"een gok nummer {number}")
        expect(main(stranger).get_by_test_id("stAlertContentError")).to_have_text(failed())
    sign_in(stranger, ADMIN, PASSWORD)  # locked: even the right password fails here
    expect(main(stranger).get_by_test_id("stAlertContentError")).to_have_text(failed())
    assert COOKIE not in {c["name"] for c in stranger.context.cookies()}

    sign_in(owner, ADMIN, PASSWORD)  # the owner's tab still gets in
    expect(sidebar(owner).get_by_text(re.compile(re.escape(ADMIN)))).to_be_visible()

    later = owner.context.new_page()  # the owner's browser another day: only the cookie
    later.context.clear_cookies(name=COOKIE)
    goto(later, server.url)
    sign_in(later, ADMIN, PASSWORD)
    expect(sidebar(later).get_by_text(re.compile(re.escape(ADMIN)))).to_be_visible()
