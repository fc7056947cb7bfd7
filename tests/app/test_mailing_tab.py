"""The rounds page's e-mail tab: what it says without SMTP settings or with broken ones, a list
checked before anything is queued ("N adressen gevonden", the list, every piece that is not an
address with its reason, the addresses sharing one mailbox) and queued only by a second click,
a list queued and sent (to a local aiosmtpd server) with its progress shown and no link
anywhere on the page. (Uploading a file is the browser test's part: AppTest has no file
uploader.)"""

import pandas as pd
import pytest

from assessment import mail_sender
from assessment.storage import connection
from tests.context import on
from tests.test_mailing import TOKEN, Inbox, free_port

SMTP = {"WERKBAAR_SMTP_HOST": "127.0.0.1", "WERKBAAR_SMTP_SECURITY": "none",
        "WERKBAAR_SMTP_SENDER": "hr@werkbaar.test", "WERKBAAR_SMTP_TIMEOUT": "2"}


@pytest.fixture(autouse=True)
def no_background_sender(monkeypatch):
    """The test sends with run_once itself; no thread in the test process."""
    monkeypatch.setattr(mail_sender, "start_background_sender", lambda environ=None: False)


@pytest.fixture
def smtp(monkeypatch):
    from aiosmtpd.controller import Controller

    inbox = Inbox(refuse={"weg@acme.be"})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    for name, value in {**SMTP, "WERKBAAR_SMTP_PORT": str(controller.port)}.items():
        monkeypatch.setenv(name, value)
    yield inbox
    controller.stop()


def check(at, round_id, text: str):
    """Paste ``text`` and press "Adressen nakijken"."""
    at.text_area(key=f"mail:addresses:{round_id}:0").input(text).run()
    at.button(key=f"mail:check:{round_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def send_button(at, round_id):
    return [b for b in at.button if b.key == f"mail:send:{round_id}"]


def recipients(db) -> int:
    with connection(db) as conn:
        return conn.execute("select count(*) from mail_recipients").fetchone()[0]


def page_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "text", "error", "success", "info",
                                  "warning") for e in getattr(at, kind)]
    for frame in [t.value for t in at.table] + [d.value for d in at.dataframe]:
        parts.append(pd.DataFrame(frame).to_csv())
    return "\n".join(str(p) for p in parts)


def test_without_a_host_the_tab_says_what_the_operator_sets(app, round_id, monkeypatch):
    monkeypatch.delenv("WERKBAAR_SMTP_HOST", raising=False)
    at = app("app_pages/rounds.py")
    info = " ".join(i.value for i in at.info)
    assert "E-mail is op deze server niet ingesteld" in info
    for name in ("WERKBAAR_SMTP_HOST", "WERKBAAR_SMTP_SECURITY", "WERKBAAR_SMTP_SENDER"):
        assert name in info
    assert not [b for b in at.button if b.label in ("Uitnodigingen versturen",
                                                    "Adressen nakijken")]


def test_broken_settings_are_named(app, round_id, monkeypatch):
    monkeypatch.setenv("WERKBAAR_SMTP_HOST", "mail.acme.be")
    monkeypatch.setenv("WERKBAAR_SMTP_PORT", "smtp")
    monkeypatch.delenv("WERKBAAR_SMTP_SENDER", raising=False)
    at = app("app_pages/rounds.py", lang="en")
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "WERKBAAR_SMTP_PORT is 'smtp'" in errors and "WERKBAAR_SMTP_SENDER is missing" \
        in errors


def test_a_list_with_bad_rows_is_shown_with_the_reasons_and_cannot_be_sent(
        app, db, round_id, smtp):
    at = check(app("app_pages/rounds.py"), round_id,
               "an@acme.be\nbob(at)acme.be\nan@acme.be")
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "Er wordt niets verstuurd zolang de lijst dit bevat" in errors
    assert "rij 2: 'bob(at)acme.be' is geen e-mailadres: er staat geen @ in." in errors
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Zelfde mailbox als an@acme.be (rij 1): an@acme.be (rij 3)" in warnings
    assert "1 adressen gevonden" in page_text(at)
    assert not send_button(at, round_id) and recipients(db) == 0


def test_the_outlook_line_is_shown_with_both_people_and_queued_only_on_confirm(
        app, db, round_id, smtp):
    """``Bart Janssens <bart@x.be>; carla@x.be`` queued Bart alone while the page said 2."""
    at = check(app("app_pages/rounds.py"), round_id,
               "Bart Janssens <bart@acme.be>; carla@acme.be\n"
               '"Peeters, Dirk" <dirk@acme.be>, Maes, Eva <eva@acme.be>')
    assert "4 adressen gevonden" in page_text(at)
    found = at.dataframe[-1].value
    assert found["Adres"].tolist() == ["bart@acme.be", "carla@acme.be", "dirk@acme.be",
                                       "eva@acme.be"]
    assert found["Naam"].tolist() == ["Bart Janssens", "", "Peeters, Dirk", "Maes, Eva"]
    assert recipients(db) == 0  # nothing queued by checking
    at.button(key=f"mail:send:{round_id}").click().run()
    assert "4 uitnodigingen klaargezet" in " ".join(s.value for s in at.success)
    with connection(db) as conn:
        assert sorted(a for (a,) in conn.execute("select address from mail_recipients")) == [
            "bart@acme.be", "carla@acme.be", "dirk@acme.be", "eva@acme.be"]


def test_hr_s_aliases_are_one_invitation_with_a_warning(app, db, round_id, smtp):
    at = check(app("app_pages/rounds.py", lang="en"), round_id,
               "hr+1@acme.be, hr+2@acme.be\nHR@acme.be\nhr@acme.be; an@acme.be")
    text = page_text(at)
    assert "2 addresses found" in text
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "One invitation per mailbox" in warnings
    assert ("Same mailbox as hr+1@acme.be (row 1): hr+2@acme.be (row 1), HR@acme.be (row 2), "
            "hr@acme.be (row 3). Only hr+1@acme.be gets an invitation.") in warnings
    at.button(key=f"mail:send:{round_id}").click().run()
    assert "2 invitations queued" in " ".join(s.value for s in at.success)
    assert recipients(db) == 2


def test_a_list_changed_after_checking_must_be_checked_again(app, db, round_id, smtp):
    at = check(app("app_pages/rounds.py"), round_id, "an@acme.be")
    assert send_button(at, round_id)
    at.text_area(key=f"mail:addresses:{round_id}:0").input("an@acme.be, bob@acme.be").run()
    assert not send_button(at, round_id) and "adressen gevonden" not in page_text(at)
    assert recipients(db) == 0


def test_a_text_without_the_link_is_refused(app, db, round_id, smtp):
    at = app("app_pages/rounds.py", lang="en")
    at.text_area(key=f"mail:body:{round_id}:en").input("Please answer.").run()
    check(at, round_id, "an@acme.be")
    at.button(key=f"mail:send:{round_id}").click().run()
    assert "The text must contain {link} exactly once" in " ".join(
        e.value for e in at.error).replace("\\", "")


def test_a_list_is_sent_its_progress_shown_and_no_link_on_the_page(app, db, round_id, smtp):
    at = app("app_pages/rounds.py")
    assert "Jij ziet die links nooit" in page_text(at)
    assert "https://werkbaar.example/s/voorbeeld" in page_text(at)  # the preview
    check(at, round_id, "an@acme.be; bob@acme.be\nJan <jan@acme.be>")
    at.button(key=f"mail:send:{round_id}").click().run()
    assert not at.exception
    assert "3 uitnodigingen klaargezet" in " ".join(s.value for s in at.success)
    with connection(db) as conn:
        tokens = [t for (t,) in conn.execute("select token from mail_recipients")]
    assert len(tokens) == 3
    settings, _ = mail_sender.configuration()
    assert mail_sender.run_once(on(db), settings) == 3
    assert sorted(TOKEN.search(m.get_content()).group(1) for m in smtp.messages) \
        == sorted(tokens)
    at.run()
    text = page_text(at)
    assert not any(token in text for token in tokens)
    table = at.table[-1].value
    assert table["Uitnodigingen verstuurd"].tolist() == ["3"]
    assert table["Wachtend"].tolist() == ["0"]
    assert table["Adreslijst"].tolist() == ["bewaard tot de laatste herinnering of de sluiting"]


def test_a_refused_address_is_shown_with_its_row_and_reason(app, db, round_id, smtp):
    at = check(app("app_pages/rounds.py", lang="en"), round_id, "an@acme.be\nweg@acme.be")
    at.button(key=f"mail:send:{round_id}").click().run()
    settings, _ = mail_sender.configuration()
    assert mail_sender.run_once(on(db), settings) == 1
    at.run()
    failed = at.dataframe[-1].value
    assert failed.to_dict("records") == [{
        "Row": 2, "Address": "weg@acme.be", "E-mail": "invitation",
        "Reason": "the server refused this address (code 550)"}]
    assert at.table[-1].value["Invitations failed"].tolist() == ["1"]
