"""AppTest fixtures: the real entry point, a fresh database per test, caches cleared."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def app(db):
    """A function that returns the app run once, optionally switched to a page."""

    def make(page=None, lang=None, **query):
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in query.items():
            at.query_params[key] = value
        if lang:
            at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


@pytest.fixture
def demo(db):
    """The demo organisations, loaded into this test's database: name → organisation."""
    from assessment.demo import load_demo
    from assessment.organisations import list_organisations

    load_demo(db_path=db)
    return {o.name: o for o in list_organisations(db_path=db)}


@pytest.fixture
def demo_page(app, demo):
    """A function that opens ``page`` for the demo organisation ``name``."""

    def open_page(name, page, lang=None):
        at = app(lang=lang)
        at.session_state["organisation_id"] = demo[name].id
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page
