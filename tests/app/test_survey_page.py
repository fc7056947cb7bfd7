"""The survey page under AppTest: the whole questionnaire, validation, answers kept between
sections, submit once, and friendly refusals for bad links."""

import pytest

from assessment.packed_answers import ANSWERED, stored_answers
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
        assert conn.execute(f"select {ANSWERED} from responses").fetchone()[0] == 34


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


# --- a send that cannot be stored, and what a reconnect after a server restart sees ----------


def walk_to_last_step(at, questionnaire, lang="nl"):
    """Answer every section with varied values; returns item id → value given."""
    given = {}
    press(at, "Beginnen" if lang == "nl" else "Start")
    for section in questionnaire.sections:
        for n, (radio, item) in enumerate(zip(at.radio, section.items, strict=True)):
            radio.set_value(n % 5 + 1)
            given[item.id] = n % 5 + 1
        press(at, "Volgende" if lang == "nl" else "Next")
    return given


def stored_counts(db):
    with connection(db) as conn:
        return {table: conn.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("responses", "response_scores")} | {
            "answers": conn.execute(f"select {ANSWERED} from responses").fetchone()[0],
            "used": conn.execute("select count(*) from invitations where used = 1").fetchone()[0]}


NOTHING = {"responses": 0, "answers": 0, "response_scores": 0, "used": 0}


def assert_answers_still_on_page(at, questionnaire, given, department, open_text):
    assert at.selectbox[0].value == department and at.text_area[0].value == open_text
    press(at, "Vorige")  # the last section, as answered
    last = questionnaire.sections[-1]
    assert [r.value for r in at.radio] == [given[item.id] for item in last.items]
    for _ in questionnaire.sections[:-1]:
        press(at, "Vorige")
    first = questionnaire.sections[0]
    assert [r.value for r in at.radio] == [given[item.id] for item in first.items]
    for _ in questionnaire.sections:
        press(at, "Volgende")
    assert at.subheader[0].value == "Over jou (niet verplicht)"


def test_full_disk_keeps_every_answer_and_stores_nothing(
        app, db, round_id, tokens, questionnaire, monkeypatch):
    """The disk fills up half-way through the write: the respondent is told in their language
    to try again, every answer stays on the page, nothing of it is stored, and sending again
    once there is room stores it once."""
    import sqlite3

    import assessment.responses as responses

    store = responses.store_response

    def store_then_fail(*args, **kwargs):
        store(*args, **kwargs)  # the rows are written in the transaction, then the disk is full
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(responses, "store_response", store_then_fail)
    at = app(token=tokens[0], role=None)
    given = walk_to_last_step(at, questionnaire)
    department = check_invitation(tokens[0], db_path=db).departments[1][0]
    at.selectbox[0].set_value(department)
    at.text_area[0].input("Meer overleg")
    press(at, "Versturen")
    assert len(at.error) == 1 and at.error[0].value.startswith(
        "Je antwoorden konden niet worden opgeslagen")
    assert "disk" not in at.error[0].value and "sqlite" not in at.error[0].value
    assert at.title[0].value != "Bedankt!"
    assert stored_counts(db) == NOTHING
    assert at.query_params["token"] == tokens[0] and "sending" not in at.query_params
    assert_answers_still_on_page(at, questionnaire, given, department, "Meer overleg")

    monkeypatch.setattr(responses, "store_response", store)  # room again
    press(at, "Versturen")
    assert at.title[0].value == "Bedankt!"
    assert stored_counts(db) == {"responses": 1, "answers": 34, "response_scores": 10,
                                 "used": 1}
    with connection(db) as conn:
        assert conn.execute("select department_id, open_answer from responses").fetchone() == (
            department, "Meer overleg")
    assert stored_answers(round_id, db_path=db) == [given]


def test_read_only_database_keeps_every_answer(app, db, tokens, questionnaire, monkeypatch):
    """The database file can be read but not written (opened through a read-only URI, as a
    file whose permissions were taken away behaves; chmod does not stop root): in English,
    the respondent is told to try again and keeps every answer."""
    import sqlite3

    import assessment.storage as storage

    at = app(token=tokens[0], role=None, lang="en")
    press(at, "Start")
    for _ in questionnaire.sections:
        answer_section(at, 2)
        press(at, "Next")
    connect = storage.connect

    def read_only(path=None):
        if storage.is_url(str(path or storage.db_path())):  # a read-only session on the server
            db = connect(path)
            db.conn.execute("set session characteristics as transaction read only")
            return db
        db_file = connect(path)
        db_file.conn.close()
        conn = sqlite3.connect(f"file:{path or storage.db_path()}?mode=ro", uri=True,
                               timeout=storage.BUSY_TIMEOUT_S)
        return storage.SqliteDatabase(conn)

    monkeypatch.setattr(storage, "connect", read_only)
    at.text_area[0].input("More say")
    press(at, "Send")
    assert at.error[0].value.startswith("Your answers could not be stored")
    assert "Reference: " in at.error[0].value
    assert stored_counts(db) == NOTHING
    assert at.text_area[0].value == "More say"
    press(at, "Back")
    assert {r.value for r in at.radio} == {2}


def test_a_sent_survey_leaves_only_a_sent_mark_in_the_address(app, tokens, questionnaire):
    at = app(token=tokens[0], role=None)
    walk_to_last_step(at, questionnaire)
    press(at, "Versturen")
    assert at.title[0].value == "Bedankt!"
    assert dict(at.query_params) == {"sent": "1"}


def test_restart_mid_survey_shows_the_survey_with_a_word(app, tokens):
    """After a restart the page reconnects with its address (token, started=1) in a new
    session: the survey again, from the start, saying answers may need to be given again."""
    at = app(token=tokens[0], started="1", role=None)
    assert at.warning[0].value.startswith("De verbinding met de server werd onderbroken")
    assert next(b for b in at.button if b.label == "Beginnen")
    assert not at.info and not at.text_input  # no "already used", no sign-in form
    press(at, "Beginnen")
    assert at.warning  # still said on the first section
    press(answer_section(at), "Volgende")
    assert not at.warning


def test_restart_while_sending_before_the_write(app, tokens):
    """Stopped while sending, before the answers were stored: the link is unused, so the
    survey again with the word, never "already used"."""
    at = app(token=tokens[0], sending="1", role=None, lang="en")
    assert at.warning[0].value.startswith("The connection with the server was interrupted")
    assert not at.info and "sending" not in at.query_params


def test_restart_while_sending_after_the_write_thanks(app, db, tokens, questionnaire,
                                                     full_answers):
    """Stopped after the answers were stored but before the page said so: thanks."""
    from assessment.responses import submit_response

    submit_response(tokens[0], questionnaire, full_answers(), db_path=db)
    at = app(token=tokens[0], sending="1", started="1", role=None)
    assert at.title[0].value == "Bedankt!" and not at.info and not at.warning
    assert dict(at.query_params) == {"sent": "1"}


def test_restart_after_sending_thanks_rather_than_sign_in(app):
    """After sending the address holds ``?sent=1`` only; a reconnect after a restart thanks
    again instead of showing the employer sign-in page."""
    at = app(sent="1", role=None)
    assert at.title[0].value == "Bedankt!"
    assert not at.text_input and not at.button


def test_a_database_that_cannot_be_read_mid_survey_keeps_the_page(
        app, tokens, questionnaire, monkeypatch):
    """Between two steps the database cannot be read: the survey goes on with the link as
    last checked (the send says whether it can be stored)."""
    import sqlite3

    import assessment.storage as storage

    at = press(app(token=tokens[0], role=None), "Beginnen")

    def unreadable(path=None):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(storage, "connect", unreadable)
    press(answer_section(at, 4), "Volgende")
    assert at.subheader[0].value == questionnaire.sections[1].title("nl")
    assert not at.error


@pytest.mark.parametrize("failure", [
    "database is locked",  # another writer held the lock past the 30 s busy timeout
    "disk I/O error",
    OSError(28, "No space left on device"),
    "server gone",  # PostgreSQL: the server restarted or the network dropped mid-write
])
def test_other_storage_failures_keep_the_answers(app, db, tokens, questionnaire, monkeypatch,
                                                 failure):
    import sqlite3

    import psycopg

    import assessment.responses as responses

    def fail(*args, **kwargs):
        if failure == "server gone":
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        raise failure if isinstance(failure, OSError) else sqlite3.OperationalError(failure)

    monkeypatch.setattr(responses, "store_response", fail)
    at = app(token=tokens[0], role=None)
    walk_to_last_step(at, questionnaire)
    at.text_area[0].input("Meer overleg")
    press(at, "Versturen")
    assert at.error[0].value.startswith("Je antwoorden konden niet worden opgeslagen")
    assert at.text_area[0].value == "Meer overleg"
    assert stored_counts(db) == NOTHING
