"""Slips' codes in the app (AppTest): typed on the sign-in page or opened as ``?code=``, the
survey works as with a link and keeps the code in the address bar; wrong codes are refused
with the code form again, and after five the right one too; ``?token=`` never reaches a
code; the rounds page's slip tab makes codes and their PDF, audited."""

import pytest

from assessment import audit, codes
from assessment.access import Scope
from assessment.responses import submit_response
from assessment.storage import connection

from .test_survey_page import press, walk_to_last_step


@pytest.fixture
def slip_codes(db, round_id):
    return codes.create_codes(round_id, 2, db_path=db)


def open_form(at, code, key):
    next(t for t in at.text_input if t.key == f"{key}:code").input(code)
    next(b for b in at.button if b.label == "Vragenlijst openen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at):
    return [e.value for e in at.error]


def test_a_code_typed_on_the_sign_in_page_opens_the_survey(app, slip_codes):
    at = app(role=None)
    assert "**Heb je een code van een strookje?**" in [m.value for m in at.markdown]
    open_form(at, codes.grouped(slip_codes[0]).lower(), "sign-in-code")
    assert at.query_params["code"] == slip_codes[0]
    assert "**Acme** vraagt je" in at.markdown[0].value
    assert [b.label for b in at.button] == ["Beginnen"]


def test_nonsense_on_the_sign_in_page_stays_there(app, db, slip_codes):
    at = open_form(app(role=None), "hallo", "sign-in-code")
    assert "geen code van een strookje" in errors(at)[0]
    assert "code" not in at.query_params
    with connection(db) as conn:
        assert conn.execute("select count(*) from code_attempts").fetchone()[0] == 0


def test_survey_with_a_code(app, db, round_id, slip_codes, questionnaire):
    at = app(role=None, code=slip_codes[0])
    walk_to_last_step(at, questionnaire)
    assert at.query_params["code"] == slip_codes[0]
    assert at.query_params["started"] == "1"
    press(at, "Versturen")
    assert at.title[0].value == "Bedankt!" and "Je code is nu gebruikt" in at.success[0].value
    assert dict(at.query_params) == {"sent": "1"}
    with connection(db) as conn:
        assert conn.execute("select count(*) from responses").fetchone()[0] == 1
        assert conn.execute("select channel, used from invitations where token_hash = ?",
                            [codes.code_hash(slip_codes[0])]).fetchall() == [("slip", 1)]
    # a shared PC: the next person types their own code under the thanks
    open_form(at, slip_codes[1], "next-code")
    assert at.query_params["code"] == slip_codes[1]
    assert [b.label for b in at.button] == ["Beginnen"]
    again = app(role=None, code=slip_codes[0])
    assert "Elke code werkt maar één keer" in again.info[0].value
    assert "**Heb je een code van een strookje?**" in [m.value for m in again.markdown]


def test_a_wrong_code_shows_the_form_again_and_a_right_one_then_opens(app, slip_codes):
    at = app(role=None, code="2222-2222-2222")
    assert "Deze code bestaat niet" in errors(at)[0]
    typed = next(t for t in at.text_input if t.key == "survey-code:code")
    assert typed.value == "2222-2222-2222"  # to correct, not to type again
    open_form(at, slip_codes[1], "survey-code")
    assert not at.error and at.query_params["code"] == slip_codes[1]
    assert [b.label for b in at.button] == ["Beginnen"]


def test_after_five_wrong_codes_even_the_right_one_waits(app, slip_codes):
    at = app(role=None, code="2222-2222-2222")
    for wrong in ("33333333", "44444444", "55555555", "66666666"):
        open_form(at, wrong + "2222", "survey-code")
        assert "Deze code bestaat niet" in errors(at)[0]
    open_form(at, slip_codes[0], "survey-code")
    assert errors(at) == ["- Te veel foute codes. Probeer opnieuw over 1 minuut."]
    assert not [b for b in at.button if b.label == "Beginnen"]


def test_a_long_malformed_code_in_the_address_is_refused_calmly(app, db, slip_codes):
    at = app(role=None, code="<b>" + "X" * 60)
    assert "geen code van een strookje" in errors(at)[0]
    with connection(db) as conn:
        assert conn.execute("select count(*) from code_attempts").fetchone()[0] == 0


def test_restart_marks_work_with_a_code(app, db, slip_codes, questionnaire, full_answers):
    """After a server restart the session is gone; the address bar still holds the code and
    its marks: begun says answers may need giving again, sending of a used code thanks."""
    at = app(role=None, code=slip_codes[0], started="1")
    assert "Je code werkt nog" in at.warning[0].value
    slip = codes.redeem(slip_codes[1], "test", db_path=db)
    submit_response(slip, questionnaire, full_answers(), db_path=db)
    at = app(role=None, code=slip_codes[1], sending="1")
    assert at.title[0].value == "Bedankt!" and "Je code is nu gebruikt" in at.success[0].value
    assert dict(at.query_params) == {"sent": "1"}


@pytest.mark.parametrize("form", [lambda c: c, lambda c: "code:" + c])
def test_a_code_in_token_is_refused(app, slip_codes, form):
    at = app(role=None, token=form(slip_codes[0]))
    assert "niet geldig" in at.info[0].value and not at.radio


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
    entries = audit.recent(Scope(0, "admin", "platform_admin"), db_path=db)
    assert [(e.action, e.detail) for e in entries
            if e.action != audit.ACCOUNT_CREATED] == [(audit.SLIPS_CREATED, "3")]
    assert at.session_state["new_slips"]["pdf"].startswith(b"%PDF")
