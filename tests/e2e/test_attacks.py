"""Attacks written out step by step, in a real browser: what the groups page sends to the
browser (plotly's own data, as the developer tools show it) must not let anyone subtract their
way to one person (issue 9, attack 1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from assessment.organisations import create_organisation, get_organisation
from assessment.responses import store_response
from assessment.rounds import close_round, open_round
from assessment.scoring import score_response
from assessment.storage import write_transaction
from tests.context import on

from .support import assert_no_exception, goto, main, questionnaire, settle
from .support_improve import heading, nl, pick_organisation

pytestmark = pytest.mark.e2e

ORG = "Aanvalstest"


def seed_three_groups(db_path) -> None:
    """Department A: five respondents under 30, five of 30–39 and one of 40–49 (the one the
    attacker wants); department B: ten of 40–49. Everyone answered every item."""
    q = questionnaire()
    org_id = create_organisation(on(db_path), ORG, "Q", "87", 30, ["A", "B"])
    a, b = (d.id for d in get_organisation(on(db_path), org_id).departments)
    today = date.today()
    round_id = open_round(on(db_path), org_id, "Bevraging", today - timedelta(days=3), today, q,
                          today=today - timedelta(days=3))
    people = ([(a, "lt30", 2)] * 5 + [(a, "30_39", 2)] * 5 + [(a, "40_49", 5)]
              + [(b, "40_49", 3)] * 10)
    with write_transaction(db_path) as db:
        for n, (dept, age, value) in enumerate(people, 1):
            answers = {item.id: value for item in q.items}
            results, werkbaar = score_response(q, answers)
            store_response(db, round_id, answers, results, werkbaar,
                           {"department": dept, "age_band": age, "contract_type": "permanent"},
                           "", today, 900_000 + n)
    close_round(on(db_path), round_id, today=today)


def plot_data(page: Page) -> dict[str, list]:
    """What the browser holds for the heatmap: column → the value of every row (None when
    withheld), read from plotly's own data object."""
    plot = main(page).locator(".js-plotly-plot")
    expect(plot).to_have_count(1)
    trace = plot.evaluate("el => el.data[0]")
    return {column: [row[i] for row in trace["z"]] for i, column in enumerate(trace["x"])}


def test_department_minus_two_age_bands_isolates_nobody(server, new_page):
    seed_three_groups(server.db_path)
    page = new_page()
    goto(page, f"{server.url}/groups")
    pick_organisation(page, ORG)
    expect(heading(page, nl("groups.title"))).to_be_visible()
    by_department = plot_data(page)
    main(page).get_by_text(nl("groups.dim.age_band"), exact=True).click()
    settle(page)
    expect(main(page).locator(".js-plotly-plot .xtick", has_text="30")).not_to_have_count(0)
    by_age = plot_data(page)
    ages = {o.code: o.label("nl") for b in questionnaire().background if b.id == "age_band"
            for o in b.options}

    # The attacker's step: for each row, A × 11 − (<30) × 5 − (30–39) × 5 is the last person's
    # figure, whenever all three are on screen.
    rows = len(by_department["A"])
    exposed = [r for r in range(rows)
               if by_department["A"][r] is not None
               and by_age[ages["lt30"]][r] is not None and by_age[ages["30_39"]][r] is not None]
    assert exposed == [], "department A minus both age bands isolates one person"
    # A is shown (the attack is not blocked by showing nothing) ...
    assert any(v is not None for v in by_department["A"])
    # ... and every value the browser holds is a whole percentage, as on screen
    values = [v for column in (*by_department.values(), *by_age.values()) for v in column
              if v is not None]
    assert values and all(float(v).is_integer() for v in values)
    assert_no_exception(page)
