"""The organisation picker's names: what each role may see, in name order, and each
organisation's departments loaded with it and with no other."""

from assessment.access import Scope
from assessment.organisations import (
    count_visible,
    create_organisation,
    list_organisations,
    visible_names,
)
from tests.context import on


def test_each_role_sees_only_its_own_names(db):
    b = create_organisation(on(db), "beta", "Q", "86", 20, ["Zorg"])
    a = create_organisation(on(db), "Alfa", "Q", "86", 20, ["Keuken", "Onthaal"])
    admin, hr = Scope(1, "admin", "platform_admin"), Scope(2, "hr", "hr_viewer", organisation_id=b)
    assert visible_names(on(db), admin) == [(a, "Alfa"), (b, "beta")]
    assert visible_names(on(db), hr) == [(b, "beta")]
    assert visible_names(on(db), Scope(3, "fund", "sector_analyst")) == []


def test_departments_belong_to_their_own_organisation(db):
    ids = [create_organisation(on(db), f"org {i:03}", "Q", "86", 20,
                               [f"dep {i}-{j}" for j in range(i % 4)]) for i in range(60)]
    loaded = {o.id: [d.name for d in o.departments] for o in list_organisations(on(db))}
    assert loaded == {org_id: [f"dep {i}-{j}" for j in range(i % 4)]
                      for i, org_id in enumerate(ids)}


def test_names_found_by_part_of_the_name_and_bounded(db):
    ids = [create_organisation(on(db), name, "Q", "86", 20, ["Zorg"])
           for name in ("Zorg 100%", "zorg_A", "Bakkerij", "ZORGHUIS")]
    admin = Scope(1, "admin", "platform_admin")
    assert count_visible(on(db), admin) == 4
    assert visible_names(on(db), admin, "zorg") == [(ids[0], "Zorg 100%"),
                                                         (ids[1], "zorg_A"), (ids[3], "ZORGHUIS")]
    assert visible_names(on(db), admin, "zorg", limit=2) == [(ids[0], "Zorg 100%"),
                                                                  (ids[1], "zorg_A")]
    assert count_visible(on(db), admin, "zorg") == 3
    assert visible_names(on(db), admin, "%") == [(ids[0], "Zorg 100%")]  # a plain %
    assert count_visible(on(db), admin, "g_") == 1  # a plain _
    hr = Scope(2, "hr", "hr_viewer", organisation_id=ids[2])
    assert count_visible(on(db), hr, "zorg") == 0 and count_visible(on(db), hr) == 1
