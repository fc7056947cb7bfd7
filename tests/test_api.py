"""The API (issue 30) as its users and an attacker use it: tokens (shown once, hashed, expiring,
revocable, limited per minute in the database, every call audited), isolation between
organisations and sectors with tampered ids, published cells only for a sector fund, nothing
more precise than the screen, and an HR system's round from opening to links and rate."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from assessment import api_tokens, sector
from assessment.access import Sector
from assessment.accounts import list_accounts, set_active
from assessment.audit import OPERATOR
from assessment.formatting import shown
from assessment.i18n import t
from assessment.organisations import list_organisations
from assessment.results import results_of
from assessment.rounds import list_rounds
from assessment.storage import DB_ENV, connection
from tests.api_support import (
    ADMIN,
    ANALYST,
    CARE,
    CARE_ADMIN,
    CARE_VIEWER,
    LOGISTICS,
    bearer,
    client_of,
    demo_with_accounts,
    make_tokens,
)
from tests.context import on
from tests.precision import decimals

pytestmark = pytest.mark.both_backends  # its module's database is a PostgreSQL one in that pass

NOW = datetime(2026, 12, 7, 10, 30, 30, tzinfo=UTC)
ROUND_BODY = {"title": "Bevraging", "opens_on": "2099-01-01", "closes_on": "2099-01-31"}


@pytest.fixture(scope="module")
def database(request, tmp_path_factory):
    return demo_with_accounts(request, tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def tokens(database):
    return make_tokens(database)


@pytest.fixture
def serving(monkeypatch):
    """A client of the API on a database (``$WERKBAAR_DB``, as the served app reads it)."""
    def serve(database):
        monkeypatch.setenv(DB_ENV, str(database))
        return client_of(database)
    return serve


@pytest.fixture
def client(serving, database):
    return serving(database)


def get(client, token, path, **headers):
    return client.get(f"/api/v1{path}", headers={**bearer(token), **headers})


def orgs(database):
    return {o.name: o for o in list_organisations(on(database))}


def audited(database, action="api_call"):
    with connection(on(database)) as db:
        return [tuple(r) for r in db.execute(
            "select username, subject, detail from audit_log where action = ? order by id",
            [action]).fetchall()]


# --- tokens ------------------------------------------------------------------------------


def test_the_description_is_served_without_a_token_and_names_every_route(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.0")
    assert {"/me", "/rounds/{round_id}/figures", "/sectors/{key}/cells",
            "/organisations/{organisation_id}/rounds"} <= set(document["paths"])


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wbk_forged", "Basic YWRtaW46eA==",
                                    "Bearer " + "wbk_" + "x" * 200])
def test_no_valid_token_opens_nothing_and_says_why_in_the_callers_language(client, header):
    headers = {"accept-language": "fr-BE,fr;q=0.9"} | ({"Authorization": header} if header
                                                        else {})
    answer = client.get("/api/v1/organisations", headers=headers)
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"]["code"] == "unauthorised"
    assert "clé" in answer.json()["error"]["message"]


def test_a_token_is_stored_hashed_and_shown_once(database):
    account = next(a for a in list_accounts(on(database), OPERATOR) if a.username == CARE_ADMIN)
    made, token = api_tokens.create(on(database), account.scope(), "Power BI", 30)
    with connection(on(database)) as db:
        stored = db.execute("select * from api_tokens where id = ?", [made.id]).fetchone()
    assert token not in [str(v) for v in stored]
    assert api_tokens.token_hash(token) in stored and made.prefix == token[:8]
    assert all(t.prefix != token for t in api_tokens.list_tokens(on(database), account.scope()))


def test_revoked_expired_and_disabled_tokens_are_refused(database, client):
    account = next(a for a in list_accounts(on(database), OPERATOR) if a.username == CARE_VIEWER)
    made, token = api_tokens.create(on(database), account.scope(), "HRIS", 30)
    assert get(client, token, "/me").status_code == 200
    later = on(database, today=on(database).today + timedelta(days=31))
    with pytest.raises(api_tokens.TokenRefused):
        api_tokens.admit(later, token, "GET", "/api/v1/me")
    set_active(on(database), OPERATOR, account.id, False)
    assert get(client, token, "/me").status_code == 401  # the account, not the token
    set_active(on(database), OPERATOR, account.id, True)
    api_tokens.revoke(on(database), account.scope(), made.id)
    assert get(client, token, "/me").status_code == 401


def test_another_account_cannot_revoke_my_token(database, tokens):
    accounts = {a.username: a for a in list_accounts(on(database), OPERATOR)}
    made, _ = api_tokens.create(on(database), accounts[CARE_ADMIN].scope(), "mine", 30)
    with pytest.raises(api_tokens.AccessDenied):
        api_tokens.revoke(on(database), accounts["hr@logistiek.demo"].scope(), made.id)


def test_the_limit_per_minute_is_counted_in_the_database_and_refusals_are_not_audited(
        database, monkeypatch, serving):
    account = next(a for a in list_accounts(on(database), OPERATOR) if a.username == ANALYST)
    made, token = api_tokens.create(on(database), account.scope(), "flood", 30)
    monkeypatch.setenv(api_tokens.RATE_ENV, "3")
    first, second = serving(database), serving(database)  # two app processes, one database
    before = len(audited(database))
    answers = [c.get("/api/v1/sectors", headers=bearer(token)) for c in
               (first, second, first, second, first)]
    statuses = [a.status_code for a in answers]
    minute_changed = statuses.count(200) > 3  # the minute turned during the calls: counted anew
    assert minute_changed or statuses == [200, 200, 200, 429, 429], statuses
    refused = answers[-1]
    if not minute_changed:
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["error"]["code"] == "rate_limited"
        assert len(audited(database)) - before == 3  # the refused calls wrote no entry


def test_the_minute_count_starts_again_and_old_minutes_are_forgotten(database):
    account = next(a for a in list_accounts(on(database), OPERATOR) if a.username == ANALYST)
    made, token = api_tokens.create(on(database), account.scope(), "minutes", 30)
    ctx = on(database)
    for _ in range(2):
        api_tokens.admit(ctx, token, "GET", "/x", now=NOW, limit=2)
    with pytest.raises(api_tokens.RateLimited) as limited:
        api_tokens.admit(ctx, token, "GET", "/x", now=NOW, limit=2)
    assert limited.value.retry_after == 30
    api_tokens.admit(ctx, token, "GET", "/x", now=NOW + timedelta(minutes=1), limit=2)
    with connection(ctx) as db:
        assert db.execute("select count(*) from api_calls where token_id = ?",
                          [made.id]).fetchone()[0] == 1


def test_every_admitted_call_is_audited_with_its_path_and_token(database, tokens, client):
    get(client, tokens[CARE_VIEWER], "/organisations")
    get(client, tokens[CARE_VIEWER], "/rounds/999999")
    entries = audited(database)[-2:]
    assert [e[:2] for e in entries] == [(CARE_VIEWER, "GET /api/v1/organisations"),
                                        (CARE_VIEWER, "GET /api/v1/rounds/999999")]
    assert all(e[2].startswith("token ") for e in entries)


# --- isolation ------------------------------------------------------------------------------


def tampered_ids(database, other: str) -> list[str]:
    """Another organisation's ids, then what an attacker types instead of an id."""
    found = orgs(database)[other]
    round_ids = [str(r.id) for r in list_rounds(on(database), found.id)]
    return [str(found.id), *round_ids, "0", "-1", str(2**63), str(2**64), "1 or 1=1", "1;",
            "..%2F1", "1%00", "1.0", "1e3", " 1"]


def test_an_organisations_token_reaches_nothing_of_another_organisation(database, tokens,
                                                                       client):
    other = orgs(database)[LOGISTICS]
    secrets = {other.name, *(r.title for r in list_rounds(on(database), other.id))} - {
        r.title for r in list_rounds(on(database), orgs(database)[CARE].id)}
    for value in tampered_ids(database, LOGISTICS):
        for method, path in (("GET", "/organisations/{}"), ("GET", "/organisations/{}/rounds"),
                             ("GET", "/rounds/{}"), ("GET", "/rounds/{}/figures"),
                             ("POST", "/organisations/{}/rounds"), ("POST", "/rounds/{}/links"),
                             ("POST", "/rounds/{}/slip-codes")):
            body = ROUND_BODY if path.startswith("/organisations") else {"count": 1}
            answer = client.request(method, "/api/v1" + path.format(value),
                                    headers=bearer(tokens[CARE_ADMIN]),
                                    json=body if method == "POST" else None)
            assert answer.status_code == 404, (method, path, value, answer.text)
            assert not [s for s in secrets if s in answer.text]
    listed = get(client, tokens[CARE_ADMIN], "/organisations").json()
    assert [o["name"] for o in listed["organisations"]] == [CARE]
    assert get(client, tokens[CARE_ADMIN], "/sectors").json() == {"sectors": []}
    assert get(client, tokens[CARE_ADMIN], "/sectors/pc:330/cells").status_code == 404


def test_a_viewers_token_reads_but_changes_nothing(database, tokens, client):
    care = orgs(database)[CARE]
    answer = client.post(f"/api/v1/organisations/{care.id}/rounds",
                         headers=bearer(tokens[CARE_VIEWER]),
                         json={"title": "x", "opens_on": "2026-12-07", "closes_on": "2026-12-30"})
    assert answer.status_code == 403
    assert len(list_rounds(on(database), care.id)) == len(
        get(client, tokens[CARE_VIEWER], f"/organisations/{care.id}/rounds").json()["rounds"])


def test_a_sector_token_gets_published_cells_of_its_sectors_only(database, tokens, client):
    token = tokens[ANALYST]
    assert get(client, token, "/organisations").json()["total"] == 0
    for found in orgs(database).values():
        assert get(client, token, f"/organisations/{found.id}").status_code == 404
        for r in list_rounds(on(database), found.id):
            assert get(client, token, f"/rounds/{r.id}/figures").status_code == 404
    assert {s["key"] for s in get(client, token, "/sectors").json()["sectors"]} == {
        "pc:330", "pc:200"}
    for key in ("pc:111", "nace:87", "pc:33", "xx:330", "pc:330;drop", "pc:" + "3" * 50):
        assert get(client, token, f"/sectors/{key}/cells").status_code == 404, key
    names = set(orgs(database))
    for key in ("pc:330", "pc:200"):
        cells = get(client, token, f"/sectors/{key}/cells").json()
        assert not [n for n in names if n in str(cells)]
        for cell in cells["cells"] + cells["years"]:
            if not cell["shown"]:  # a hidden cell: its reason, no number at all
                assert cell["reason"] and cell["knelpunt"] == {}
                assert {cell[k] for k in ("organisations", "respondents",
                                          "werkbaarheidsgraad")} == {None}


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def test_sector_cells_are_the_pages_cells_and_no_more_precise(database, tokens, client):
    analyst = next(a for a in list_accounts(on(database), OPERATOR) if a.username == ANALYST)
    view = sector.sector_view(on(database), analyst.scope(), Sector.parse("pc:330"))
    table = sector.shown_table(view, "en")
    answer = get(client, tokens[ANALYST], "/sectors/pc:330/cells").json()
    assert answer["year"] == view.year and view.total.shown
    column = t("sector.col_werkbaarheidsgraad", "en")
    page = [float(v) for v in table[column].dropna().tolist()]
    api = [c["werkbaarheidsgraad"] for c in answer["cells"] + answer["years"]
           if c["werkbaarheidsgraad"] is not None]
    api += [p[f"p{n}"] for p in [answer["bands"]["percentiles"]["werkbaarheidsgraad"]]
            for n in (20, 50, 80)] if answer["bands"]["percentiles"] else []
    assert sorted(api) == sorted(page)
    numbers = [v for v in leaves(answer) if isinstance(v, float)]
    assert numbers and max(decimals(v) for v in numbers if v != answer["rules"]["max_share"]) <= 1
    for year in get(client, tokens[ANALYST], "/sectors/pc:330/snapshots").json()["years"]:
        frozen = get(client, tokens[ANALYST], f"/sectors/pc:330/snapshots/{year}").json()
        assert all(decimals(v) <= 1 for v in leaves(frozen) if isinstance(v, float))
    assert get(client, tokens[ANALYST], "/sectors/pc:330/snapshots/2999").status_code == 404


def test_a_rounds_figures_are_the_dashboards_rounded_as_it_shows_them(database, tokens, client):
    care = orgs(database)[CARE]
    rounds = list_rounds(on(database), care.id)
    results = results_of(on(database), rounds)
    published = 0
    for r in rounds:
        doc = get(client, tokens[CARE_ADMIN], f"/rounds/{r.id}/figures").json()
        res = results[r.id]
        assert doc["published"] == res.shown and doc["reason"] == res.reason
        if not res.shown:
            assert doc["werkbaarheidsgraad"] is None and doc["scales"] == []
            continue
        published += 1
        assert doc["werkbaarheidsgraad"] == shown(res.werkbaarheidsgraad)
        for line in doc["scales"]:
            figures = res.scales[line["id"]]
            assert (line["knelpunt"], line["acuut"], line["mean"]) == (
                shown(figures.pct_knelpunt), shown(figures.pct_acuut), shown(figures.mean))
        figures = {k: v for k, v in doc.items() if k != "comparisons"}  # ours: whole numbers
        assert all(isinstance(v, int | type(None) | str | bool) for v in leaves(figures))
        assert all(decimals(v) <= 1 for v in leaves(doc["comparisons"])
                   if isinstance(v, float))  # the published figures: as the sources list
    assert published >= 1


def test_an_open_rounds_figures_are_not_published_and_small_rates_are_withheld(
        database, tokens, client):
    care = orgs(database)[CARE]
    made = client.post(f"/api/v1/organisations/{care.id}/rounds",
                       headers=bearer(tokens[CARE_ADMIN]),
                       json={"title": "Peiling", "opens_on": on(database).today.isoformat(),
                             "closes_on": (on(database).today + timedelta(days=14)).isoformat()})
    assert made.status_code == 201, made.text
    round_id = made.json()["id"]
    doc = get(client, tokens[CARE_ADMIN], f"/rounds/{round_id}/figures").json()
    assert (doc["published"], doc["reason"], doc["scales"]) == (False, "open", [])
    assert get(client, tokens[CARE_ADMIN], f"/rounds/{round_id}").json()["response_rate"] is None


# --- an HR system's round ------------------------------------------------------------------


def test_an_hr_system_opens_a_round_makes_links_and_codes_and_polls_the_rate(
        database, tokens, client):
    care, today = orgs(database)[CARE], on(database).today
    token = tokens[CARE_ADMIN]
    body = {"title": "Bevraging via HRIS", "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=21)).isoformat(), "languages": ["nl", "fr"]}
    made = client.post(f"/api/v1/organisations/{care.id}/rounds", headers=bearer(token),
                       json=body)
    assert made.status_code == 201
    created = made.json()
    assert (created["status"], created["languages"], created["invited"]) == (
        "open", ["nl", "fr"], 0)
    links = client.post(f"/api/v1/rounds/{created['id']}/links", headers=bearer(token),
                        json={"count": 12, "lang": "fr"})
    assert links.status_code == 201 and links.json()["count"] == 12
    assert all("/s/" in link and link.endswith("?lang=fr") for link in links.json()["links"])
    slips = client.post(f"/api/v1/rounds/{created['id']}/slip-codes", headers=bearer(token),
                        json={"count": 3})
    assert slips.status_code == 201 and len(slips.json()["codes"]) == 3
    assert links.headers["cache-control"] == slips.headers["cache-control"] == "no-store"
    state = get(client, token, f"/rounds/{created['id']}").json()
    assert (state["invited"], state["responses"], state["response_rate"]) == (15, 0, 0)
    for action, detail in (("links_created", "12"), ("slips_created", "3")):
        assert audited(database, action)[-1][0] == CARE_ADMIN
        assert audited(database, action)[-1][2] == detail
    assert audited(database, "round_opened")[-1][1].endswith(f"(#{created['id']})")


@pytest.mark.parametrize("body, code", [
    (b"not json", 400), (b"[1, 2]", 400), (b'{"count": 1}' + b" " * 20_000, 413),
])
def test_bad_bodies_get_a_clear_answer_and_change_nothing(database, tokens, client, body, code):
    care = orgs(database)[CARE]
    before = len(list_rounds(on(database), care.id))
    answer = client.post(f"/api/v1/organisations/{care.id}/rounds", content=body,
                         headers={**bearer(tokens[CARE_ADMIN]),
                                  "content-type": "application/json"})
    assert answer.status_code == code and "Traceback" not in answer.text
    assert len(list_rounds(on(database), care.id)) == before


def test_refused_input_names_each_field_in_the_callers_language(database, tokens, client):
    care = orgs(database)[CARE]
    answer = client.post(f"/api/v1/organisations/{care.id}/rounds",
                         headers={**bearer(tokens[CARE_ADMIN]), "accept-language": "en"},
                         json={"title": " ", "opens_on": "2026-02-30", "closes_on": 5,
                               "languages": ["nl", "de"]})
    assert answer.status_code == 422
    problems = {p["field"]: p["message"] for p in answer.json()["error"]["problems"]}
    assert set(problems) == {"title", "opens_on", "closes_on", "languages"}
    assert problems["opens_on"] == "Give a date as YYYY-MM-DD."
    wrong_type = client.post(f"/api/v1/organisations/{care.id}/rounds", content=b"{}",
                             headers={**bearer(tokens[CARE_ADMIN]), "content-type": "text/plain"})
    assert wrong_type.status_code == 415


def test_links_for_a_closed_round_are_refused(database, tokens, client):
    care = orgs(database)[CARE]
    closed = next(r for r in list_rounds(on(database), care.id)
                  if r.status(on(database).today) == "closed")
    answer = client.post(f"/api/v1/rounds/{closed.id}/links", headers=bearer(tokens[CARE_ADMIN]),
                         json={"count": 1})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_open"


def test_unknown_addresses_and_methods_answer_json(tokens, client):
    assert client.get("/api/v1/nothing/here").json()["error"]["code"] == "not_found"
    answer = client.delete("/api/v1/me", headers=bearer(tokens[ADMIN]))
    assert answer.status_code == 405 and answer.headers["allow"] == "GET"


def test_nothing_returned_is_a_float_where_the_screen_shows_whole_numbers(
        database, tokens, client):
    care = orgs(database)[CARE]
    for r in list_rounds(on(database), care.id):
        state = get(client, tokens[CARE_ADMIN], f"/rounds/{r.id}").json()
        assert not [v for v in leaves(state) if isinstance(v, float) and not math.isnan(v)]


def test_erasing_an_account_or_its_organisation_takes_its_tokens_and_counts(db, demo):
    from assessment.accounts import create_account
    from assessment.retention import delete_organisation, erase_account

    ctx, care, logistics = on(db), demo[CARE], demo[LOGISTICS]
    made = {}
    for name, org in (("a@care.example", care), ("b@logistics.example", logistics)):
        account_id = create_account(ctx, name, "lang-genoeg-wachtwoord-42", "hr_viewer",
                                    organisation_id=org.id)
        account = next(a for a in list_accounts(ctx, OPERATOR) if a.id == account_id)
        made[name], token = api_tokens.create(ctx, account.scope(), "x", 30)
        api_tokens.admit(ctx, token, "GET", "/api/v1/me", now=NOW)

    def rows(table, token_id):
        with connection(ctx) as connected:
            column = "id" if table == "api_tokens" else "token_id"
            return connected.execute(f"select count(*) from {table} where {column} = ?",
                                     [token_id]).fetchone()[0]

    erase_account(ctx, OPERATOR, made["a@care.example"].account_id)
    assert rows("api_tokens", made["a@care.example"].id) == rows(
        "api_calls", made["a@care.example"].id) == 0
    delete_organisation(ctx, OPERATOR, logistics.id, logistics.name)
    assert rows("api_tokens", made["b@logistics.example"].id) == 0


def test_a_sector_key_in_other_digits_is_no_sector_and_media_types_ignore_case(
        database, tokens, client):
    assert get(client, tokens[ADMIN], "/sectors/pc:٣٣٠/cells").status_code == 404
    care = orgs(database)[CARE]
    answer = client.post(f"/api/v1/organisations/{care.id}/rounds", content=b'{"title": "x"}',
                         headers={**bearer(tokens[CARE_ADMIN]),
                                  "content-type": "Application/JSON; charset=UTF-8"})
    assert answer.status_code == 422  # read as JSON (its dates are missing), not 415


def test_figures_come_with_the_dashboards_comparisons_and_peer_colours(database, tokens,
                                                                       client):
    from assessment.benchmarks import sector_for_division
    from assessment.comparisons import compare, knelpunt_metric
    from assessment.sector import peer_position

    care = orgs(database)[CARE]
    admin = next(a for a in list_accounts(on(database), OPERATOR) if a.username == CARE_ADMIN)
    position = peer_position(on(database), admin.scope(), care.id)
    assert position is not None  # the demo's care organisation is placed among its peers
    doc = get(client, tokens[CARE_ADMIN], f"/rounds/{position.round_id}/figures").json()
    sector = sector_for_division(care.nace_division)
    assert doc["monitor_sector"] == sector.code
    compared = 0
    for line in doc["scales"]:
        expected = compare(knelpunt_metric(line["id"]), sector)
        for where in ("flanders", "sector"):
            figure, found = getattr(expected, where), doc["comparisons"][line["id"]][where]
            assert (found is None) == (figure is None), (line["id"], where)
            if figure is not None:
                compared += 1
                assert (found["value"], found["year"], found["source"]) == (
                    shown(figure.value_pct, 1), figure.year, figure.source_url)
    assert compared
    assert doc["peers"] == {"sector": position.sector.key, "year": position.year,
                            "organisations": position.n_peers, "bands": position.bands}
    others = [r for r in list_rounds(on(database), care.id) if r.id != position.round_id]
    for other in others:  # the colours belong to the round that was placed, to no other
        assert get(client, tokens[CARE_ADMIN], f"/rounds/{other.id}/figures").json()[
            "peers"] is None
