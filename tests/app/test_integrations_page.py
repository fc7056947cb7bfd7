"""The page Koppelingen (issue 30): an account makes an API token, sees it once, uses it and
revokes it; an organisation's editor and a sector's analyst add, test and remove webhooks for
what their scope covers (an HR viewer has none); every language renders every text."""

import re

import pytest

from assessment import api_tokens, webhooks
from assessment.access import AccessDenied, Sector
from assessment.i18n import LANGUAGES, catalogue, t
from assessment.storage import write_transaction
from assessment.ui import integrations
from tests.context import on

PAGE = "app_pages/integrations.py"
HOOK = "http://127.0.0.1:9/werkbaar"  # never called: only queued here


@pytest.fixture
def private_hooks(monkeypatch):
    """Receivers on this machine allowed (the address is resolved, never posted to here)."""
    monkeypatch.setenv(webhooks.ALLOW_PRIVATE_ENV, "1")


def read(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def rows(at, index: int = 0) -> list[dict]:
    return [{k: read(str(v)) for k, v in row.items()}
            for row in at.table[index].value.to_dict("records")]


def make_token(at, name: str, days: int = 30):
    at.text_input(key="token_name").set_value(name)
    at.radio(key="token_days").set_value(days)
    button(at, "Sleutel maken").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_token_is_shown_once_works_and_stops_when_revoked(app, db, org_id):
    at = make_token(app(PAGE, role="organisation_admin", organisation_id=org_id), "HR-systeem")
    [shown] = at.code
    clear = shown.value
    assert clear.startswith(api_tokens.PREFIX) and len(clear) > 40
    assert read(at.success[0].value).startswith('De sleutel "HR-systeem" is gemaakt.')
    assert "tonen hem niet opnieuw" in at.warning[0].value
    [row] = rows(at)
    assert row["Naam"] == "HR-systeem" and row["Status"] == "geldig"
    assert row["Begint met"] == clear[:8] + "…" and row["Laatst gebruikt"] == "nog niet"
    assert integrations.NEW_TOKEN_KEY not in at.session_state  # out of the session at once

    call = api_tokens.admit(on(db), clear, "GET", "/api/v1/me")
    assert call.scope.organisation_id == org_id and call.scope.role == "organisation_admin"

    at.run()  # any next run: the token is not on the page any more
    assert not at.code and clear not in str(at._tree)
    [row] = rows(at)
    assert row["Laatst gebruikt"] != "nog niet"  # the call above

    [token] = api_tokens.list_tokens(on(db), at.session_state["_scope"])
    at.button(key=f"revoke_token:{token.id}").click().run()
    assert read(at.success[0].value) == 'De sleutel "HR-systeem" is ingetrokken.'
    assert rows(at)[0]["Status"] == "ingetrokken"
    assert not [b for b in at.button if b.key and b.key.startswith("revoke_token:")]
    with pytest.raises(api_tokens.TokenRefused):
        api_tokens.admit(on(db), clear, "GET", "/api/v1/me")


def test_a_token_without_a_name_is_refused_and_nothing_is_stored(app, db):
    at = make_token(app(PAGE), "   ")
    assert "Geef de sleutel een naam" in at.error[0].value and not at.code
    assert api_tokens.list_tokens(on(db), at.session_state["_scope"]) == []
    assert "Je hebt nog geen sleutels." in [m.value for m in at.markdown]


def test_an_hr_viewer_makes_read_only_tokens_and_sees_no_webhooks(app, org_id):
    at = app(PAGE, role="hr_viewer", organisation_id=org_id)
    assert [h.value for h in at.subheader] == ["API-sleutels"]
    assert "webhook" not in at.markdown[0].value and "Hij wijzigt niets." in at.markdown[1].value
    assert not [s for s in at.selectbox if s.key == "webhook_target"]


def test_an_analyst_adds_tests_and_removes_a_webhook_for_its_own_sectors_only(
        app, db, private_hooks):
    at = app(PAGE, role="sector_analyst", sectors=("pc:330", "nace:87"))
    target = at.selectbox(key="webhook_target")
    assert sorted(target.options) == [  # its own two, no other, none to type
        "Sector: NACE 87 – Maatschappelijke dienstverlening met huisvesting",
        "Sector: PC 330 – Gezondheidsinrichtingen en -diensten"]
    target.set_value("nace:87").run()
    at.text_input(key="webhook_url").set_value(HOOK)
    button(at, "Webhook toevoegen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [secret] = at.code
    assert secret.value.startswith("whsec_") and "niet opnieuw" in at.warning[0].value
    scope = at.session_state["_scope"]
    [hook] = webhooks.list_for(on(db), scope)
    assert (hook.sector, hook.organisation_id, hook.url) == ("nace:87", None, HOOK)
    with pytest.raises(AccessDenied):  # the domain's own lock behind the choices
        webhooks.create(on(db), scope, HOOK, sector=Sector("pc", "200"))

    button(at, "Testbericht sturen").click().run()
    assert at.success[0].value.startswith("Het testbericht staat klaar")
    assert not at.code  # the secret was shown once
    [row] = rows(at)
    assert (row["Gebeurtenis"], row["Status"], row["Pogingen"]) == ("testbericht", "wacht", "0")

    at.button(key=f"remove_webhook:{hook.id}").click().run()
    assert at.success[0].value == "De webhook is verwijderd."
    assert webhooks.list_for(on(db), scope) == []


def test_a_refused_address_or_sector_is_explained_and_nothing_is_stored(app, db, org_id):
    at = app(PAGE, role="organisation_admin", organisation_id=org_id)
    assert at.selectbox(key="webhook_target").options == ["Organisatie: Acme"]
    at.text_input(key="webhook_url").set_value("ftp://voorbeeld.be/hook")
    button(at, "Webhook toevoegen").click().run()
    assert "begint met https://" in at.error[0].value and not at.code
    at = app(PAGE)  # a platform admin: any sector, typed
    at.selectbox(key="webhook_target").set_value(integrations.OTHER_SECTOR).run()
    at.text_input(key="webhook_sector").set_value("pc:abc")
    at.text_input(key="webhook_url").set_value("https://voorbeeld.be/hook")
    button(at, "Webhook toevoegen").click().run()
    assert at.error[0].value.startswith("Geef een sector als pc:330")
    assert webhooks.list_for(on(db), at.session_state["_scope"]) == []


def seed_deliveries(db, hook_id: int) -> None:
    """One delivery in each state the page names."""
    with write_transaction(on(db)) as conn:
        for n, (state, attempts, error) in enumerate([
                ("delivered", 1, None), ("failed", 8, "HTTP 500"), ("queued", 2, "Timeout"),
                ("sending", 1, None), ("queued", 0, None)]):
            conn["webhook_deliveries"].insert({
                "webhook_id": hook_id, "event": webhooks.EVENTS[n % 4], "subject": f"round:{n}",
                "payload": "{}", "state": state, "attempts": attempts, "error": error,
                "not_before": "2026-12-07T09:00:00Z", "created_at": "2026-12-07T09:00:00Z",
                "delivered_at": "2026-12-07T09:01:00Z" if state == "delivered" else None})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_renders_every_text(app, db, org_id, private_hooks, lang):
    at = app(PAGE, lang=lang)
    hook, _ = webhooks.create(on(db), at.session_state["_scope"], HOOK, organisation_id=org_id)
    seed_deliveries(db, hook.id)
    api_tokens.create(on(db), at.session_state["_scope"], "BI", 365)
    at.run()
    assert at.title[0].value == t("integrations.title", lang)
    text = "\n".join(read(str(e.value)) for kind in (
        "title", "subheader", "markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(at, kind))
    text += "\n".join(str(w.label) for kind in ("button", "selectbox", "text_input", "radio")
                      for w in getattr(at, kind))
    text += "\n".join(str(o) for kind in ("selectbox", "radio") for w in getattr(at, kind)
                      for o in w.options)
    text += "\n".join(" ".join([*row, *row.values()]) for i in range(len(at.table))
                      for row in rows(at, i))
    assert not re.findall(r"\b(?:integrations|webhook|api)\.[a-z_.]+", text)  # a missing key
    assert t("integrations.delivery.failed", lang, error="HTTP 500") in text
    assert t("integrations.state.live", lang) in text
    own = catalogue(lang)
    for other in LANGUAGES:  # no text of another language (a key missing here falls back)
        assert other == lang or not [
            v for k, v in catalogue(other).items() if k.startswith("integrations.")
            and "{" not in v and v != own.get(k) and len(v) > 8 and v in text]
