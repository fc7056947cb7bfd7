"""The survey page under AppTest: the whole questionnaire, validation, answers kept between
sections, submit once, and friendly refusals for bad links."""

import pytest

from assessment.responses import check_invitation
from assessment.rounds import close_round, get_round
from assessment.storage import connection


def answer_section(at, value=3):
    for radio in at.radio:
        radio.set_value(value)
    return at


def press(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_complete_survey(app, db, round_id, tokens, questionnaire):
    at = app(token=tokens[0])
    assert at.title[0].value == questionnaire.title("nl")
    assert not [p for p in at.sidebar if getattr(p, "label", None) == "Organisatie"]
    press(at, "Beginnen")
    for number, section in enumerate(questionnaire.sections):
        assert at.subheader[0].value == section.title("nl")
        assert len(at.radio) == len(section.items)
        if number == 0:  # leave one open: refused with the question number
            answer_section(at)
            at.radio[2].set_value(None)
            press(at, "Volgende")
            assert at.error[0].value == "Beantwoord nog vraag 3."
            assert at.subheader[0].value == section.title("nl")
        press(answer_section(at, 4), "Volgende")
    assert at.subheader[0].value == "Over jou (niet verplicht)"
    department = check_invitation(tokens[0], db_path=db).departments[0]
    at.selectbox[0].set_value(department[0])
    at.text_area[0].input("**Meer** <i>overleg</i>")
    press(at, "Versturen")
    assert at.title[0].value == "Bedankt!"
    assert get_round(round_id, db_path=db).responses == 1
    with connection(db) as conn:
        assert conn.execute("select open_answer, department_id from responses").fetchone() == (
            "**Meer** <i>overleg</i>", department[0])
        assert conn.execute("select count(*) from answers").fetchone()[0] == 34


def test_answers_are_kept_when_going_back(app, tokens):
    at = press(app(token=tokens[0]), "Beginnen")
    press(answer_section(at, 2), "Volgende")
    press(at, "Vorige")
    assert {r.value for r in at.radio} == {2}
    assert at.progress[0].value == 20  # step 2 of 6


def test_reused_link_shows_no_form(app, db, tokens, questionnaire, full_answers):
    from assessment.responses import submit_response

    submit_response(tokens[0], questionnaire, full_answers(), db_path=db)
    at = app(token=tokens[0])
    assert "al ingevuld" in at.info[0].value
    assert not at.radio and not at.button


def test_a_second_send_click_that_interrupts_the_first_still_thanks(
        app, db, round_id, tokens, questionnaire, full_answers):
    """The first click's run stored the answers and was cut off by the second click's run
    before it could say thanks: the session that was sending this link gets the thanks."""
    import hashlib

    from assessment.responses import submit_response

    at = app(token=tokens[0], role=None)
    key = "survey:" + hashlib.sha256(tokens[0].encode()).hexdigest()[:16]
    at.session_state["survey_sending"] = key
    submit_response(tokens[0], questionnaire, full_answers(), db_path=db)
    at.run()
    assert at.title[0].value == "Bedankt!" and not at.info
    assert get_round(round_id, db_path=db).responses == 1


@pytest.mark.parametrize("token", ["forged-token-0123456789", "", "<script>alert(1)</script>"])
def test_forged_link(app, tokens, token):
    at = app(token=token)
    assert "niet geldig" in at.info[0].value
    assert not at.radio


def test_closed_round(app, db, round_id, tokens):
    close_round(round_id, db_path=db)
    at = app(token=tokens[0], lang="en")
    assert at.info[0].value == "This survey round has closed. Thank you for your interest."


def test_round_closed_while_answering(app, db, round_id, tokens, questionnaire):
    at = press(app(token=tokens[0]), "Beginnen")
    close_round(round_id, db_path=db)
    at.run()
    assert "afgesloten" in at.info[0].value
