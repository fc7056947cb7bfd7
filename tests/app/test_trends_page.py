"""The trends page: two demo rounds side by side with change arrows."""


def test_two_rounds_side_by_side(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/trends.py")
    table = at.table[0].value
    assert table.shape == (11, 4)  # werkbaarheidsgraad + 10 scales; scale, newest, change, older
    assert table.iloc[0, 0] == "Werkbaarheidsgraad"
    assert all(cell[0] in "→↑↓" for cell in table.iloc[:, 2])


def test_one_round_is_no_trend(app, org_id):
    at = app("app_pages/trends.py")
    assert "vanaf twee afgesloten bevragingen" in at.info[0].value
