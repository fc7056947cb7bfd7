"""Survey rounds page: open a round, make links, see the counts."""

from datetime import date, timedelta

from assessment.i18n import t
from assessment.rounds import list_rounds
from tests.app.support import key_figures
from tests.context import on


def test_no_organisation_yet(app):
    at = app("app_pages/rounds.py")
    assert "Er is nog geen organisatie" in at.info[0].value


def test_open_round_and_make_links(app, db, org_id):
    at = app("app_pages/rounds.py")
    at.button[0].click().run()  # "Bevraging starten" with the defaults
    assert at.success[0].value.startswith("De bevraging is aangemaakt")
    [r] = list_rounds(on(db), org_id)
    assert r.title == f"Bevraging {date.today().year}" and r.status() == "open"
    at.number_input[0].set_value(4)
    at.button[1].click().run()
    assert not at.exception
    assert "Bewaar deze links nu" in at.warning[0].value
    assert at.get("download_button")[0].proto.label == "Links downloaden (CSV)"
    links = at.dataframe[-1].value.iloc[:, 0].tolist()  # after the department table
    assert len(links) == 4 and all("/s/" in link for link in links)
    assert list_rounds(on(db), org_id)[0].invited == 4
    assert [value for _, value, _ in key_figures(at)][1:] == ["4", "0"]  # links made, responses


def test_closing_date_before_opening_is_refused(app, db, org_id):
    at = app("app_pages/rounds.py")
    at.date_input[1].set_value(date.today() - timedelta(days=3))
    at.button[0].click().run()
    assert "sluitingsdatum ligt voor de startdatum" in at.error[0].value
    assert list_rounds(on(db), org_id) == []


def test_closed_round_offers_no_links(app, db, round_id):
    from assessment.rounds import close_round

    close_round(on(db), round_id)
    at = app("app_pages/rounds.py")
    assert "niet open" in at.info[0].value
    assert not at.number_input


def test_department_sizes_give_response_rates(app, db, org_id, round_id):
    from assessment.organisations import get_organisation

    at = app("app_pages/rounds.py")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1]) == ["Kantoor", "Productie"]
    assert table.iloc[:, 4].isna().all()  # no sizes yet: no rates
    assert [d.headcount for d in get_organisation(on(db), org_id).departments] == [None,
                                                                                        None]


def make_links(at, count):
    at.number_input[0].set_value(count)
    next(b for b in at.button if b.label in ("Links maken", "Make links")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_more_links_than_employees_gives_a_warning(app, db, org_id, round_id):
    at = make_links(app("app_pages/rounds.py"), 50)  # the organisation has 50 employees
    assert not [w for w in at.warning if "links gemaakt, meer dan de" in w.value]
    at = make_links(at, 1)
    [warning] = [w.value for w in at.warning if "links gemaakt, meer dan de" in w.value]
    assert "51 links gemaakt, meer dan de 50 medewerkers" in warning
    assert "meer dan één keer antwoorden" in warning and "anonimiteit" in warning


def test_each_batch_of_links_is_in_the_audit_log_without_tokens(app, db, org_id, round_id):
    from assessment import audit
    from assessment.access import Scope

    at = make_links(app("app_pages/rounds.py"), 3)
    tokens = [link.split("/s/")[1] for link in at.dataframe[-1].value.iloc[:, 0]]
    make_links(at, 2)
    entries = audit.recent(on(db), Scope(0, "test", "platform_admin"))
    made = [e for e in entries if e.action == audit.LINKS_CREATED]
    assert [e.detail for e in made] == ["2", "3"]  # newest first
    assert all(e.username == "platform_admin" and e.subject.startswith("Acme / ")
               and e.subject.endswith(f"(#{round_id})") for e in made)
    logged = " ".join(f"{e.subject} {e.detail}" for e in entries)
    assert not any(token in logged for token in tokens)

    log = app("app_pages/accounts.py").dataframe[-1].value
    assert list(log.columns) == ["Wanneer (UTC)", "Wie", "Actie", "Onderwerp", "Details"]
    assert list(log["Actie"][:2]) == ["maakte uitnodigingslinks"] * 2
    assert list(log["Details"][:2]) == ["2", "3"]


def test_a_small_team_typed_as_five_shows_no_live_count(app, db, org_id, round_id,
                                                        questionnaire, full_answers):
    from assessment.organisations import get_organisation, set_department_headcounts
    from assessment.responses import submit_response
    from assessment.rounds import create_invitations

    kantoor, productie = sorted(get_organisation(on(db), org_id).departments,
                                key=lambda d: d.name)
    set_department_headcounts(on(db), org_id, {kantoor.id: 5, productie.id: 10})
    for token in create_invitations(on(db), round_id, 2):
        submit_response(on(db), token, questionnaire, full_answers(), {"department": kantoor.id})
    at = app("app_pages/rounds.py")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 2]) == [5, 10]  # the sizes typed
    assert table.iloc[:, 3].isna().all() and table.iloc[:, 4].isna().all()
    assert [value for _, value, _ in key_figures(at)][1:] == ["2", "2"]  # the round's total only
    assert any("pas als ze al minstens 5 antwoorden heeft" in c.value for c in at.caption)


def test_english(app, db, org_id, round_id):
    at = make_links(app("app_pages/rounds.py", lang="en"), 51)
    assert any("51 links have been made, more than the 50 employees" in w.value
               for w in at.warning)
    assert key_figures(at)[1][0] == "Invitations made"


def test_a_round_offers_the_languages_chosen(app, db, org_id):
    at = app("app_pages/rounds.py")
    pills = at.pills[0]  # then the modules
    assert pills.value == ["nl", "en", "fr"]  # every language unless HR says otherwise
    pills.set_value(["nl", "fr"])
    at.button[0].click().run()
    assert not at.exception
    (survey_round,) = list_rounds(on(db), org_id)
    assert survey_round.languages == ("nl", "fr")
    assert any("Vragenlijst in: Nederlands, Français" in c.value for c in at.caption)
    at = app("app_pages/rounds.py")
    at.pills[0].set_value([])
    at.button[0].click().run()
    assert any(t("error.languages", "nl") in e.value for e in at.error)
    assert len(list_rounds(on(db), org_id)) == 1
