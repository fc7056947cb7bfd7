"""The departments-and-groups page: heatmap with hidden cells, drivers, open answers."""

import json

from assessment.questionnaire import load_employee_questionnaire
from assessment.results import breakdown_groups, round_breakdowns, round_results
from assessment.rounds import list_rounds
from tests.context import on


def latest_closed(path, org_id: int) -> int:
    """The round the groups page opens on: the newest whose figures are shown."""
    return next(r.id for r in list_rounds(on(path), org_id)
                if round_results(on(path), r.id).shown)


def test_heatmap_drivers_and_open_answers(demo_page, demo, db):
    org = demo["Zorggroep Scheldeland"]
    at = demo_page(org.name, "app_pages/groups.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    columns = spec["data"][0]["x"]
    assert columns == ["<b>Hele organisatie</b>"] + [d.name for d in org.departments]
    first = load_employee_questionnaire().scales[0].id  # the heatmap's first row
    views = round_breakdowns(on(db), latest_closed(db, org.id),
                             breakdown_groups(org, load_employee_questionnaire()))
    withheld = [d.name for d in org.departments
                if first not in getattr(views["department"].shown.get(d.id), "scales", {})]
    hidden = [c for c, v in zip(columns, spec["data"][0]["z"][0], strict=True) if v is None]
    assert "Directie" in hidden  # too few answered there
    assert hidden == withheld  # and what the rules withhold besides (rule 8: unanimous)
    assert any("Bij wie" in m.value for m in at.markdown)  # drivers, from 25 respondents
    assert len(at.text) >= 10  # open answers, whole organisation only


def test_drivers_need_25_respondents(demo_page):
    at = demo_page("Residentie Molenbeek", "app_pages/groups.py")  # 19 respondents
    assert not any("Bij wie" in m.value for m in at.markdown)
    assert "Pas vanaf 25 antwoorden" in at.info[-1].value


def test_too_small_organisation_shows_nothing(demo_page):
    at = demo_page("Bakkerij Van Dijck", "app_pages/groups.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert all(v is None for row in spec["data"][0]["z"] for v in row)
    assert "vanaf 25 antwoorden" in at.info[0].value
    assert len(at.text) == 0


def test_many_open_answers_come_fifty_at_a_time(app, db, org_id, questionnaire, full_answers):
    """A large round's answers are paged (every answer is a page element: 1,500 of them made
    each rerun cost a second), and every answer is reachable exactly once."""
    from datetime import date, timedelta

    from assessment.responses import submit_response
    from assessment.rounds import create_invitations, open_round

    opened = date.today() - timedelta(days=30)
    round_id = open_round(on(db), org_id, "Groot", opened, opened + timedelta(days=7),
                          questionnaire,
                          today=opened)
    written = [f"Antwoord nummer {i}" for i in range(60)]
    for token, text in zip(create_invitations(on(db), round_id, 60), written, strict=True):
        submit_response(on(db), token, questionnaire, full_answers(3), {}, text, today=opened)
    at = app("app_pages/groups.py")
    first = [t.value for t in at.text]
    assert len(first) == 50
    pages = next(s for s in at.selectbox if s.label == "Antwoorden")
    assert pages.options == ["1–50", "51–60"]
    pages.set_value(50).run()
    rest = [t.value for t in at.text]
    assert len(rest) == 10 and sorted(first + rest) == sorted(written)


def test_a_large_round_is_being_prepared_not_decided_in_the_page_run(demo_page, demo, db,
                                                                     monkeypatch):
    """Issue 28: the first view of a large round decided its breakdowns inside the page run.
    Now the page says so and leaves the work to the background thread (woken)."""
    from assessment import batch
    from assessment.storage import write_transaction

    with write_transaction(on(db)) as conn:
        conn.execute("delete from round_summaries")
    monkeypatch.setattr(batch, "INLINE_RESPONSES", 0)
    woken = []
    monkeypatch.setattr(batch, "nudge", lambda: woken.append(True))
    at = demo_page("Zorggroep Scheldeland", "app_pages/groups.py")
    assert "worden voorbereid" in at.info[0].value and woken
    assert not at.get("plotly_chart")
    with write_transaction(on(db)) as conn:
        assert conn.execute("select count(*) from round_summaries where kind = 'breakdowns'"
                            ).fetchone()[0] == 0
