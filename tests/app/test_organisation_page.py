"""Creating an organisation through the page: success, validation, odd text."""

from assessment.organisations import list_organisations
from tests.context import on


def fill(at, name="Acme", section="C", division="10", headcount=40, departments="A\nB"):
    at.selectbox[0].set_value(section).run()
    if division:
        at.selectbox[1].set_value(division).run()
    at.text_input[0].input(name)
    if headcount is not None:
        at.number_input[0].set_value(headcount)
    at.text_area[0].input(departments)
    at.button[0].click().run()
    return at


def test_create_organisation(app, db):
    at = fill(app("app_pages/organisation.py"))
    assert at.success[0].value == "Acme is aangemaakt."
    [org] = list_organisations(on(db))
    assert (org.name, org.nace_section, org.nace_division, org.headcount) == ("Acme", "C", "10",
                                                                               40)
    assert [d.name for d in org.departments] == ["A", "B"]
    assert at.dataframe[0].value.iloc[0, 0] == "Acme"


def test_empty_name_and_missing_headcount_are_explained(app, db):
    at = fill(app("app_pages/organisation.py"), name="  ", headcount=None)
    assert "Vul de naam van de organisatie in." in at.error[0].value
    assert "aantal medewerkers" in at.error[0].value
    assert list_organisations(on(db)) == []


def test_markdown_in_a_name_is_shown_literally(app, db):
    at = fill(app("app_pages/organisation.py", lang="en"), name="**Bold** <b>x</b> :red[y]")
    assert at.success[0].value == r"\*\*Bold\*\* \<b\>x\</b\> \:red\[y\] has been created."
    assert list_organisations(on(db))[0].name == "**Bold** <b>x</b> :red[y]"


def test_a_long_list_shows_one_page_with_a_search(app, db):
    """Past one page of organisations the list shows the first page, says how many there are,
    and finds the others by name; the delete picker offers the organisations listed."""
    from assessment.organisations import PAGE_SIZE, create_organisation

    for i in range(PAGE_SIZE + 21):
        create_organisation(on(db), f"Org {i:03d}", "C", "10", 10, ["A"])
    at = app("app_pages/organisation.py")
    assert len(at.dataframe[0].value) == PAGE_SIZE
    assert any(f"{PAGE_SIZE} van {PAGE_SIZE + 21} organisaties getoond" in c.value
               for c in at.main.caption)
    assert len(at.selectbox(key="delete_organisation_id").options) == PAGE_SIZE
    at.text_input(key="organisation_search").input("org 12").run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Org 120"]
    assert at.selectbox(key="delete_organisation_id").options == ["Org 120"]
    assert not any("getoond" in c.value for c in at.main.caption)  # all matches shown
