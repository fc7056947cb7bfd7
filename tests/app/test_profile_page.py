"""The profile page: save a full profile, see the size class and its rule; bad input explained
and nothing saved."""

from assessment.profile import load_profile
from tests.app.support import key_figures
from tests.context import on


def open_profile(app):
    return app("app_pages/profile.py")


def fill(at, number="0403.170.701", turnover="", headcount=30):
    at.text_input[0].input(number)
    at.selectbox[0].set_value("bv")
    at.text_input[1].input("62")
    at.text_input[2].input("200, 124")
    at.number_input[0].set_value(headcount)
    at.selectbox[1].set_value("flanders")
    at.text_input[3].input(turnover)
    at.radio[1].set_value("profit")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_save_profile_and_see_size_class(app, db, org_id):
    at = fill(open_profile(app), turnover="4,2 mio")
    assert at.success[0].value == "Het profiel is bewaard."
    profile = load_profile(on(db), org_id)
    assert (profile.enterprise_number, profile.joint_committees, profile.turnover_eur) == (
        "0403170701", ("124", "200"), 4_200_000)
    assert key_figures(at)[0][1] == "kleine onderneming"
    assert any("minder dan 50 medewerkers (30)" in c.value for c in at.caption)


def test_invalid_enterprise_number_and_turnover_are_explained(app, db, org_id):
    before = load_profile(on(db), org_id)
    at = fill(open_profile(app), number="0403.170.702", turnover="veel")
    message = at.error[0].value
    assert "Dit ondernemingsnummer klopt niet" in message
    assert "Vul een bedrag in euro in" in message
    assert load_profile(on(db), org_id) == before


def test_large_company(app, org_id):
    at = fill(open_profile(app), headcount=300)
    assert key_figures(at)[0][1] == "grote onderneming"


def test_a_saved_amount_shows_in_the_readers_format_and_saves_back_unchanged(app, db, org_id):
    fill(open_profile(app), turnover="4,2 mio")
    at = open_profile(app)
    assert at.text_input[3].value == "4.200.000"  # Dutch thousands dots, not 4,200,000
    at.button[0].click().run()
    assert load_profile(on(db), org_id).turnover_eur == 4_200_000
