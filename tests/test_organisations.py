"""Creating organisations: validation of every field, odd text kept as typed."""

import pytest

from assessment.errors import InputError
from assessment.organisations import (
    create_organisation,
    get_organisation,
    list_organisations,
    parse_departments,
)


def problems(error):
    return {(p.field, p.key) for p in error.problems}


def test_create_and_read_back(db):
    org_id = create_organisation("  Zorg   & Co ", "Q", "87", 120, ["Zorg", "Keuken"],
                                 db_path=db)
    org = get_organisation(org_id, db_path=db)
    assert org.name == "Zorg & Co"
    assert (org.nace_section, org.nace_division, org.headcount) == ("Q", "87", 120)
    assert [d.name for d in org.departments] == ["Keuken", "Zorg"]
    assert org.min_group_size == 5


@pytest.mark.parametrize("name,section,division,headcount,expected", [
    ("", "C", "10", 5, {("name", "error.name_empty")}),
    ("   ", "C", "10", 5, {("name", "error.name_empty")}),
    ("x" * 121, "C", "10", 5, {("name", "error.name_too_long")}),
    ("A", "", None, 5, {("nace_section", "error.nace_section")}),
    ("A", "Z", None, 5, {("nace_section", "error.nace_section")}),
    ("A", "C", "86", 5, {("nace_division", "error.nace_division")}),  # 86 is in Q
    ("A", "C", "10", 0, {("headcount", "error.headcount")}),
    ("A", "C", "10", -4, {("headcount", "error.headcount")}),
    ("A", "C", "10", None, {("headcount", "error.headcount")}),
    ("A", "C", "10", "12", {("headcount", "error.headcount")}),
    ("", "", None, None, {("name", "error.name_empty"), ("nace_section", "error.nace_section"),
                          ("headcount", "error.headcount")}),
])
def test_every_problem_is_reported_and_nothing_stored(db, name, section, division, headcount,
                                                       expected):
    with pytest.raises(InputError) as caught:
        create_organisation(name, section, division, headcount, [], db_path=db)
    assert problems(caught.value) == expected
    assert list_organisations(db_path=db) == []
    # every message exists in both languages, with its placeholders filled
    for lang in ("nl", "en"):
        assert all("{" not in m and m for m in caught.value.messages(lang))


def test_markdown_and_html_are_stored_as_typed(db):
    name = "<script>alert(1)</script> **Acme** :red[x]"
    org_id = create_organisation(name, "C", None, 3, ["<b>R&D</b>"], db_path=db)
    org = get_organisation(org_id, db_path=db)
    assert org.name == name and org.departments[0].name == "<b>R&D</b>"


def test_parse_departments_drops_blanks_and_repeats():
    assert parse_departments("Productie\n\n productie \nKantoor\r\n\tLogistiek") == [
        "Productie", "Kantoor", "Logistiek"]


def test_unknown_organisation_is_none(db):
    assert get_organisation(12345, db_path=db) is None
