"""Languages that follow the person (issue 26): a round offers a subset of languages, the
survey opens in the language of the link, the e-mail, the slip or the browser, switches on any
step without losing an answer, and a response records its language; Streamlit's page gets the
right ``<html lang>``."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assessment.codes import code_link
from assessment.errors import InputError
from assessment.i18n import LANGUAGE_COOKIE, t
from assessment.rounds import create_invitations, get_round, invitation_link, open_round
from assessment.storage import connection
from assessment.web import middleware, routes
from assessment.web.html_lang import page_language
from tests.context import on

from .conftest import TODAY
from .test_web_survey import hidden, walk


@pytest.fixture
def client(db):
    return TestClient(Starlette(routes=routes(), middleware=middleware()))


def languages_stored(db) -> list[str | None]:
    with connection(db) as conn:
        return [row[0] for row in conn.execute("select lang from responses")]


def test_a_survey_in_french_stores_its_language(client, db, tokens, questionnaire):
    last = walk(client, tokens[0], questionnaire, lang="fr")
    assert '<html lang="fr">' in last.text and t("survey.about_you", "fr") in last.text
    client.post(f"/s/{tokens[0]}", data={**hidden(last.text), "go": "send"})
    assert languages_stored(db) == ["fr"]


def test_the_browser_language_opens_the_survey_in_french(client, tokens, questionnaire):
    page = client.get(f"/s/{tokens[0]}", headers={"accept-language": "fr-BE,fr;q=0.9,nl;q=0.8"})
    assert '<html lang="fr">' in page.text and str(escape(questionnaire.intro("fr"))) in page.text


def test_switching_language_on_a_step_keeps_every_answer(client, db, tokens, questionnaire):
    page = client.post(f"/s/{tokens[1]}", data={"step": "0", "lang": "nl", "go": "start"})
    first = questionnaire.sections[0]
    answers = {f"q_{i.id}": "2" for i in first.items[:2]}
    switched = client.post(f"/s/{tokens[1]}", data={**hidden(page.text), **answers,
                                                    "switch": "fr"})
    assert '<html lang="fr">' in switched.text
    assert first.title("fr") in switched.text and first.items[0].text("fr") in switched.text
    assert all(f'name="{k}" value="2" checked' in switched.text for k in answers)
    assert 'class="error-summary"' not in switched.text  # a switch is not a "next"
    assert hidden(switched.text)["step"] == "1" and hidden(switched.text)["lang"] == "fr"
    buttons = re.findall(r'name="switch" value="(\w+)"', switched.text)
    assert buttons == ["nl", "en"]


def test_switching_on_the_intro_of_a_code_keeps_the_code(client, slip_codes):
    """The intro's switch is a button of the form, so a survey opened with a typed code (a
    POST: nothing in the address) switches without losing its proof."""
    page = client.post("/s/code", data={"typed": slip_codes[0], "lang": "nl"})
    switched = client.post("/s/code", data={**hidden(page.text), "switch": "fr"})
    assert '<html lang="fr">' in switched.text
    assert hidden(switched.text)["step"] == "0" and "proof" in hidden(switched.text)


def test_a_round_offers_only_its_languages(client, db, org_id, questionnaire):
    dutch_only = open_round(on(db), org_id, "Alleen Nederlands", TODAY, TODAY, questionnaire,
                            languages=("nl",), today=TODAY)
    assert get_round(on(db), dutch_only).languages == ("nl",)
    token = create_invitations(on(db), dutch_only, 1)[0]
    for page in (client.get(f"/s/{token}?lang=fr"),
                 client.get(f"/s/{token}", headers={"accept-language": "fr-BE,en;q=0.5"})):
        assert '<html lang="nl">' in page.text and 'class="languages"' not in page.text
    forced = client.post(f"/s/{token}", data={"step": "0", "lang": "fr", "switch": "en",
                                              "go": "start"})
    assert '<html lang="nl">' in forced.text
    last = walk(client, token, questionnaire)
    client.post(f"/s/{token}", data={**hidden(last.text), "lang": "fr", "go": "send"})
    assert languages_stored(db) == ["nl"]


@pytest.mark.parametrize("languages", [(), ("nl", "de")])
def test_a_round_needs_languages_we_speak(db, org_id, questionnaire, languages):
    with pytest.raises(InputError) as error:
        open_round(on(db), org_id, "R", TODAY, TODAY, questionnaire, languages=languages,
                   today=TODAY)
    assert [p.key for p in error.value.problems] == ["error.languages"]


def test_a_round_with_every_language_offers_one_added_later(db, round_id):
    with connection(db) as conn:
        assert conn.execute("select languages from survey_rounds").fetchone()[0] is None
    assert get_round(on(db), round_id).languages == ("nl", "en", "fr")


def test_links_slips_and_e_mails_open_the_survey_in_their_language():
    assert invitation_link("https://w.example/", "abc", "fr") == "https://w.example/s/abc?lang=fr"
    assert invitation_link("https://w.example", "abc") == "https://w.example/s/abc"
    assert invitation_link("https://w.example", "abc", "xx") == "https://w.example/s/abc"
    assert code_link("https://w.example", "k7qm-4txp-9rwh", "fr").endswith(
        "/s/code/K7QM4TXP9RWH?lang=fr")


def test_an_e_mail_in_french_links_to_the_french_survey():
    from datetime import date

    from assessment.mail_sender import Claimed, compose
    message = Claimed(id=1, kind="invitation", attempts=0, address="a@example.org",
                      token="tok", lang="fr", subject="Enquête", body="Lien : {link}",
                      base_url="https://w.example", closes_on=date(2026, 12, 24))
    mail = compose(message, "werkbaar@example.org")
    assert "https://w.example/s/tok?lang=fr" in mail.get_content()


@pytest.mark.parametrize("query,cookie,accept,lang", [
    ("lang=fr", f"{LANGUAGE_COOKIE}=en", "nl", "fr"),  # the address first
    ("", f"{LANGUAGE_COOKIE}=fr", "en-GB", "fr"),  # then what this browser chose before
    ("", f"{LANGUAGE_COOKIE}=xx; other=1", "en-GB,en", "en"),  # then the browser
    ("", 'bad"cookie', "fr-BE", "fr"),  # a malformed cookie header changes nothing
    ("lang=de", "", "de-DE", "nl"),  # else Dutch
])
def test_the_language_of_streamlits_page(query, cookie, accept, lang):
    assert page_language(query, cookie, accept) == lang


def test_streamlits_html_gets_the_chosen_lang_and_other_responses_are_untouched():
    page = '<!doctype html><html lang="en"><head></head><body>é</body></html>'
    app = Starlette(routes=[
        Route("/", lambda request: HTMLResponse(page)),
        Route("/_stcore/health", lambda request: PlainTextResponse('<html lang="en">')),
    ], middleware=middleware())
    client = TestClient(app)
    french = client.get("/", headers={"accept-language": "fr-BE"})
    assert french.text == page.replace('lang="en"', 'lang="fr"')
    assert int(french.headers["content-length"]) == len(french.content)
    assert '<html lang="nl">' in client.get("/", cookies={LANGUAGE_COOKIE: "nl"}).text
    assert client.get("/_stcore/health", headers={"accept-language": "fr"}).text == \
        '<html lang="en">'  # not HTML: left alone


def test_the_questionnaire_records_which_translation_is_validated(tmp_path, questionnaire):
    import yaml

    from assessment.questionnaire import (
        QUESTIONNAIRE_DIR,
        QuestionnaireError,
        load_questionnaire,
    )
    assert {lang: s.validated for lang, s in questionnaire.translations.items()} == \
        {"en": False, "fr": False}
    raw = yaml.safe_load((QUESTIONNAIRE_DIR / "employee-v1.yaml").read_text(encoding="utf-8"))
    raw["translations"] = {"fr": {"validated": True, "by": "Vertaalbureau X",
                                  "on": "2027-01-15"}}
    path = tmp_path / "employee-v1.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    french = load_questionnaire(path).translations["fr"]
    assert (french.validated, french.by, str(french.on)) == (True, "Vertaalbureau X",
                                                             "2027-01-15")
    assert not load_questionnaire(path).translations["en"].validated  # no entry: not validated
    raw["translations"] = {"fr": {"validated": True}, "de": {"validated": False}}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(path)
    assert any("validated translation needs 'by' and 'on'" in p for p in error.value.problems)
    assert any("'de' is not a language" in p for p in error.value.problems)


def test_the_source_catalogue_copies_the_data_texts_and_says_when_it_is_stale(
        tmp_path, monkeypatch, capsys):
    import shutil

    from assessment import cli, i18n, translations

    shutil.copytree(i18n.I18N_DIR, tmp_path / "i18n")
    source = tmp_path / "i18n" / "nl.yaml"
    shipped = source.read_text(encoding="utf-8")
    assert translations.SOURCE_MARK in shipped
    source.write_text(shipped.replace('"Werkstress"', '"Werkstres"', 1), encoding="utf-8")
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path / "i18n")
    i18n.catalogue.cache_clear()
    try:
        assert any("copy of the data files' texts is out of date" in p
                   for p in translations.problems())
        translations.write_source(tmp_path / "i18n")
        assert source.read_text(encoding="utf-8") == shipped  # made again, byte for byte
        assert translations.problems() == []
        assert cli.main(["translations", "fr"]) == 0
        assert capsys.readouterr().out.count("\n") == 1  # French lacks nothing: the header
        assert cli.main(["translations", "xx"]) == 2
    finally:
        i18n.catalogue.cache_clear()


def test_no_code_reads_a_responses_language():
    """Rule 7 of the README's confidentiality section: the language is written, never read.
    Every SQL text in the app that names ``responses`` is scanned for the ``lang`` column."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sql = re.compile(r'"""[^"]*"""|"(?:[^"\\\n]|\\.)*"', re.S)
    readers = []
    for path in [*root.glob("assessment/**/*.py"), *root.glob("app_pages/*.py")]:
        text = path.read_text(encoding="utf-8")
        for literal in sql.findall(text):
            if re.search(r"\b(select|update|join|where)\b", literal, re.I) \
                    and re.search(r"\bresponses\b", literal) and re.search(r"\blang\b", literal) \
                    and "insert into responses" not in literal:
                readers.append(f"{path.name}: {literal[:80]}")
    assert readers == []


def test_the_code_entry_page_speaks_french_and_links_the_other_languages(client):
    page = client.get("/s/code", headers={"accept-language": "fr-BE"})
    assert '<html lang="fr">' in page.text and str(escape(t("code.form_title", "fr"))) in page.text
    assert re.findall(r'<a href="/s/code\?lang=(\w+)"', page.text) == ["nl", "en"]
