"""The organisation picker's names: what each role may see, in name order, and each
organisation's departments loaded with it and with no other."""

from assessment.access import Scope
from assessment.organisations import (
    count_visible,
    create_organisation,
    list_organisations,
    visible_names,
)


def test_each_role_sees_only_its_own_names(db):
    b = create_organisation("beta", "Q", "86", 20, ["Zorg"], db_path=db)
    a = create_organisation("Alfa", "Q", "86", 20, ["Keuken", "Onthaal"], db_path=db)
    admin, hr = Scope(1, "admin", "platform_admin"), Scope(2, "hr", "hr_viewer", organisation_id=b)
    assert visible_names(admin, db_path=db) == [(a, "Alfa"), (b, "beta")]
    assert visible_names(hr, db_path=db) == [(b, "beta")]
    assert visible_names(Scope(3, "fund", "sector_analyst"), db_path=db) == []


def test_departments_belong_to_their_own_organisation(db):
    ids = [create_organisation(f"org {i:03}", "Q", "86", 20, [f"dep {i}-{j}" for j in range(i % 4)],
                               db_path=db) for i in range(60)]
    loaded = {o.id: [d.name for d in o.departments] for o in list_organisations(db_path=db)}
    assert loaded == {org_id: [f"dep {i}-{j}" for j in range(i % 4)]
                      for i, org_id in enumerate(ids)}


def test_names_found_by_part_of_the_name_and_bounded(db):
    ids = [create_organisation(name, "Q", "86", 20, ["Zorg"], db_path=db)
           for name in ("Zorg 100%", "zorg_A", "Bakkerij", "ZORGHUIS")]
    admin = Scope(1, "admin", "platform_admin")
    assert count_visible(admin, db_path=db) == 4
    assert visible_names(admin, "zorg", db_path=db) == [(ids[0], "Zorg 100%"),
                                                         (ids[1], "zorg_A"), (ids[3], "ZORGHUIS")]
    assert visible_names(admin, "zorg", limit=2, db_path=db) == [(ids[0], "Zorg 100%"),
                                                                  (ids[1], "zorg_A")]
    assert count_visible(admin, "zorg", db_path=db) == 3
    assert visible_names(admin, "%", db_path=db) == [(ids[0], "Zorg 100%")]  # a plain %
    assert count_visible(admin, "g_", db_path=db) == 1  # a plain _
    hr = Scope(2, "hr", "hr_viewer", organisation_id=ids[2])
    assert count_visible(hr, "zorg", db_path=db) == 0 and count_visible(hr, db_path=db) == 1
