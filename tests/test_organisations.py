"""Creating organisations: validation of every field, odd text kept as typed."""

import pytest

from assessment.access import Scope
from assessment.errors import InputError
from assessment.organisations import (
    PAGE_SIZE,
    create_organisation,
    get_organisation,
    list_organisations,
    organisation_page,
    parse_departments,
)
from tests.context import on


def problems(error):
    return {(p.field, p.key) for p in error.problems}


def test_create_and_read_back(db):
    org_id = create_organisation(on(db), "  Zorg   & Co ", "Q", "87", 120, ["Zorg", "Keuken"])
    org = get_organisation(on(db), org_id)
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
        create_organisation(on(db), name, section, division, headcount, [])
    assert problems(caught.value) == expected
    assert list_organisations(on(db)) == []
    # every message exists in both languages, with its placeholders filled
    for lang in ("nl", "en"):
        assert all("{" not in m and m for m in caught.value.messages(lang))


def test_markdown_and_html_are_stored_as_typed(db):
    name = "<script>alert(1)</script> **Acme** :red[x]"
    org_id = create_organisation(on(db), name, "C", None, 3, ["<b>R&D</b>"])
    org = get_organisation(on(db), org_id)
    assert org.name == name and org.departments[0].name == "<b>R&D</b>"


def test_parse_departments_drops_blanks_and_repeats():
    assert parse_departments("Productie\n\n productie \nKantoor\r\n\tLogistiek") == [
        "Productie", "Kantoor", "Logistiek"]


def test_unknown_organisation_is_none(db):
    assert get_organisation(on(db), 12345) is None


def test_organisation_page_reads_one_page_and_counts_the_rest(db):
    """The platform admin's list: the first PAGE_SIZE by name with their departments and the
    number matching; a search by part of the name (case-insensitive, % and _ literal); an
    organisation's own people see only theirs, a sector analyst none."""
    ids = {create_organisation(on(db), f"Org {i:03d}", "C", "10", 10, [f"Dep {i}"]): i
           for i in range(PAGE_SIZE + 20)}
    odd = create_organisation(on(db), "Zorg 100%_x", "Q", "87", 10, [])
    admin = Scope(0, "admin", "platform_admin")
    total, page = organisation_page(on(db), admin)
    assert total == PAGE_SIZE + 21 and len(page) == PAGE_SIZE
    assert [o.name for o in page] == [f"Org {i:03d}" for i in range(PAGE_SIZE)]
    assert [d.name for d in page[7].departments] == ["Dep 7"]
    total, page = organisation_page(on(db), admin, "  org 11")
    assert total == 10 and [o.name for o in page] == [f"Org {i}" for i in range(110, 120)]
    assert [o.id for o in organisation_page(on(db), admin, "%_")[1]] == [odd]
    assert organisation_page(on(db), admin, "x%") == (0, [])
    own_id = next(iter(ids))
    own = Scope(0, "hr", "organisation_admin", own_id)
    assert [o.id for o in organisation_page(on(db), own)[1]] == [own_id]
    assert organisation_page(on(db), Scope(0, "fund", "sector_analyst")) == (0, [])
