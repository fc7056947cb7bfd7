"""Slips' codes in the app (AppTest): typed on the sign-in page, a code sends the browser to
the survey's own page (``tests/test_web_survey.py`` tests that page: wrong codes, the limit);
the rounds page's slip tab makes codes and their PDF, audited."""

import pytest

from assessment import audit, codes
from assessment.access import Scope
from assessment.storage import connection
from tests.context import on


@pytest.fixture
def slip_codes(db, round_id):
    return codes.create_codes(on(db), round_id, 2)


def open_form(at, code, key):
    next(t for t in at.text_input if t.key == f"{key}:code").input(code)
    next(b for b in at.button if b.label == "Vragenlijst openen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at):
    return [e.value for e in at.error]


def test_a_code_typed_on_the_sign_in_page_sends_the_browser_to_the_survey(app, db, slip_codes):
    """The survey is not a Streamlit page: the form sends the browser to the survey's own
    page for the code (which tries it against the limit), with a link should the script not
    run. Nothing is counted here."""
    at = app(role=None)
    assert "**Heb je een code van een strookje?**" in [m.value for m in at.markdown]
    open_form(at, codes.grouped(slip_codes[0]).lower(), "sign-in-code")
    target = f"/s/code/{slip_codes[0]}?lang=nl"
    assert any(target in h.proto.body for h in at.get("html"))
    assert [b.proto.url for b in at.get("link_button")] == [target]
    with connection(db) as conn:
        assert conn.execute("select count(*) from code_attempts").fetchone()[0] == 0


def test_nonsense_on_the_sign_in_page_stays_there(app, db, slip_codes):
    at = open_form(app(role=None), "hallo", "sign-in-code")
    assert "geen code van een strookje" in errors(at)[0]
    assert not at.get("link_button")
    with connection(db) as conn:
        assert conn.execute("select count(*) from code_attempts").fetchone()[0] == 0


def test_the_slip_tab_makes_codes_and_their_pdf(app, db, round_id, org_id):
    at = app(role="organisation_admin", organisation_id=org_id)
    at.switch_page("app_pages/rounds.py").run()
    next(n for n in at.number_input if n.key == "slips:count").set_value(60).run()
    assert any("meer dan de 50 medewerkers" in w.value for w in at.warning)
    next(n for n in at.number_input if n.key == "slips:count").set_value(3).run()
    next(b for b in at.button if b.key == "slips:make").click().run()
    assert not at.exception
    assert any(s.value == "3 strookjes gemaakt." for s in at.success)
    with connection(db) as conn:
        assert conn.execute("select channel, count(*) from invitations group by 1").fetchall() \
            == [("slip", 3)]
    entries = audit.recent(on(db), Scope(0, "admin", "platform_admin"))
    assert [(e.action, e.detail) for e in entries
            if e.action != audit.ACCOUNT_CREATED] == [(audit.SLIPS_CREATED, "3")]
    assert at.session_state["new_slips"]["pdf"].startswith(b"%PDF")
