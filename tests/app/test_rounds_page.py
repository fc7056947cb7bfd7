"""Survey rounds page: open a round, make links, see the counts."""

from datetime import date, timedelta

from assessment.rounds import list_rounds


def test_no_organisation_yet(app):
    at = app("pages/rounds.py")
    assert "Er is nog geen organisatie" in at.info[0].value


def test_open_round_and_make_links(app, db, org_id):
    at = app("pages/rounds.py")
    at.button[0].click().run()  # "Bevraging starten" with the defaults
    assert at.success[0].value.startswith("De bevraging is aangemaakt")
    [r] = list_rounds(org_id, db_path=db)
    assert r.title == f"Bevraging {date.today().year}" and r.status() == "open"
    at.number_input[0].set_value(4)
    at.button[1].click().run()
    assert not at.exception
    assert "Bewaar deze links nu" in at.warning[0].value
    assert at.get("download_button")[0].proto.label == "Links downloaden (CSV)"
    links = at.dataframe[-1].value.iloc[:, 0].tolist()  # after the department table
    assert len(links) == 4 and all("?token=" in link for link in links)
    assert list_rounds(org_id, db_path=db)[0].invited == 4
    assert [m.value for m in at.metric][1:] == ["4", "0"]  # links made, responses


def test_closing_date_before_opening_is_refused(app, db, org_id):
    at = app("pages/rounds.py")
    at.date_input[1].set_value(date.today() - timedelta(days=3))
    at.button[0].click().run()
    assert "sluitingsdatum ligt voor de startdatum" in at.error[0].value
    assert list_rounds(org_id, db_path=db) == []


def test_closed_round_offers_no_links(app, db, round_id):
    from assessment.rounds import close_round

    close_round(round_id, db_path=db)
    at = app("pages/rounds.py")
    assert "niet open" in at.info[0].value
    assert not at.number_input


def test_department_sizes_give_response_rates(app, db, org_id, round_id):
    from assessment.organisations import get_organisation

    at = app("pages/rounds.py")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1]) == ["Kantoor", "Productie"]
    assert table.iloc[:, 4].isna().all()  # no sizes yet: no rates
    assert [d.headcount for d in get_organisation(org_id, db_path=db).departments] == [None,
                                                                                        None]
