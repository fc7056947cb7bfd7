"""The rounds page's e-mail tab: what it says without SMTP settings or with broken ones, a list
refused with every bad row named and nothing queued, a list queued and sent (to a local
aiosmtpd server) with its progress shown and no link anywhere on the page. (Uploading a file
is the browser test's part: AppTest has no file uploader.)"""

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
    assert not [b for b in at.button if b.label == "Uitnodigingen versturen"]


def test_broken_settings_are_named(app, round_id, monkeypatch):
    monkeypatch.setenv("WERKBAAR_SMTP_HOST", "mail.acme.be")
    monkeypatch.setenv("WERKBAAR_SMTP_PORT", "smtp")
    monkeypatch.delenv("WERKBAAR_SMTP_SENDER", raising=False)
    at = app("app_pages/rounds.py", lang="en")
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "WERKBAAR_SMTP_PORT is 'smtp'" in errors and "WERKBAAR_SMTP_SENDER is missing" \
        in errors


def test_a_list_with_bad_rows_is_refused_whole(app, db, round_id, smtp):
    at = app("app_pages/rounds.py")
    at.text_area(key=f"mail:addresses:{round_id}:0").input(
        "an@acme.be\nbob(at)acme.be\nan@acme.be").run()
    at.button(key=f"mail:send:{round_id}").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "Er is niets verstuurd" in errors
    assert "rij 2: 'bob(at)acme.be' is geen e-mailadres." in errors
    assert "rij 3: an@acme.be staat er al (rij 1)." in errors
    with connection(db) as conn:
        assert conn.execute("select count(*) from mail_recipients").fetchone()[0] == 0


def test_a_text_without_the_link_is_refused(app, db, round_id, smtp):
    at = app("app_pages/rounds.py", lang="en")
    at.text_area(key=f"mail:addresses:{round_id}:0").input("an@acme.be").run()
    at.text_area(key=f"mail:body:{round_id}:en").input("Please answer.").run()
    at.button(key=f"mail:send:{round_id}").click().run()
    assert "The text must contain {link} exactly once" in " ".join(
        e.value for e in at.error).replace("\\", "")


def test_a_list_is_sent_its_progress_shown_and_no_link_on_the_page(app, db, round_id, smtp):
    at = app("app_pages/rounds.py")
    assert "Jij ziet die links nooit" in page_text(at)
    assert "https://werkbaar.example/s/voorbeeld" in page_text(at)  # the preview
    at.text_area(key=f"mail:addresses:{round_id}:0").input(
        "an@acme.be; bob@acme.be\nJan <jan@acme.be>").run()
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
    at = app("app_pages/rounds.py", lang="en")
    at.text_area(key=f"mail:addresses:{round_id}:0").input("an@acme.be\nweg@acme.be").run()
    at.button(key=f"mail:send:{round_id}").click().run()
    settings, _ = mail_sender.configuration()
    assert mail_sender.run_once(on(db), settings) == 1
    at.run()
    failed = at.dataframe[-1].value
    assert failed.to_dict("records") == [{
        "Row": 2, "Address": "weg@acme.be", "E-mail": "invitation",
        "Reason": "the server refused this address (code 550)"}]
    assert at.table[-1].value["Invitations failed"].tolist() == ["1"]
