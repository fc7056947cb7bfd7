"""AppTest fixtures: the real entry point, a fresh database per test, caches cleared, and a
signed-in person of any role (a real account and session, put in the tab's session state as
the sign-in form does)."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assessment.accounts import create_account, start_session
from assessment.ui.auth import TOKEN_KEY
from tests.context import on

APP = str(Path(__file__).resolve().parents[2] / "ui_app.py")  # the Streamlit script
PASSWORD = "test-password-1"


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def session(db):
    """A function that creates an account (once per user name) and returns a session token."""
    made = {}

    def make(role="platform_admin", organisation_id=None, sectors=(), username=None):
        username = username or f"{role}-{organisation_id or ''}-{'-'.join(sectors)}".replace(
            ":", "").rstrip("-")
        if username not in made:
            made[username] = create_account(on(db), username, PASSWORD, role,
                                            organisation_id=organisation_id, sectors=sectors)
        return start_session(on(db), made[username])

    return make


@pytest.fixture
def app(db, session):
    """A function that returns the app run once, signed in (as a platform admin unless
    ``role`` says otherwise; ``role=None`` for nobody), optionally switched to a page."""

    def make(page=None, lang=None, role="platform_admin", organisation_id=None, sectors=(),
             **query):
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in query.items():
            at.query_params[key] = value
        if lang:
            at.session_state["lang"] = lang
        if role:
            at.session_state[TOKEN_KEY] = session(role, organisation_id, sectors)
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


@pytest.fixture
def demo_page(app, demo):
    """A function that opens ``page`` for the demo organisation ``name`` (as a platform admin
    who picked it, or as ``role`` of that organisation)."""

    def open_page(name, page, lang=None, role="platform_admin"):
        org_id = None if role == "platform_admin" else demo[name].id
        at = app(lang=lang, role=role, organisation_id=org_id)
        at.session_state["organisation_id"] = demo[name].id
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page
