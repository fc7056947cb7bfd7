"""The 'Verbeteren' pages with the demo data, rendered in a real browser and saved as full-page
screenshots in ``test-artifacts/screens/`` (for review and the docs): profile,
self-assessment, an outplacement result and the dashboard down to its action plan, all for
Zorggroep Scheldeland. Each is checked for what it should show and for no exception. The
support page and the action plan have theirs in test_action_plan.py (issue 11)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessment.actions import list_actions
from assessment.organisations import Organisation, list_organisations
from assessment.profile import format_enterprise_number, load_profile, size_class
from assessment.self_assessment import latest_result
from tests.context import on

from .support import (
    assert_no_exception,
    click_button,
    goto,
    key_figure,
    main,
    screenshot,
    settle,
)
from .support_improve import (
    card,
    employer_q,
    field,
    fill,
    heading,
    measure_name,
    nl,
    pick_organisation,
    template_prefix,
)

pytestmark = pytest.mark.e2e

ORG = "Zorggroep Scheldeland"


@pytest.fixture(scope="module")
def org(demo_server) -> Organisation:
    return next(o for o in list_organisations(on(demo_server.db_path)) if o.name == ORG)


def open_page(page: Page, url: str, path: str) -> None:
    goto(page, f"{url}/{path}")
    pick_organisation(page, ORG)


def test_profile(demo_server, org, new_page):
    profile = load_profile(on(demo_server.db_path), org.id)
    page = new_page()
    open_page(page, demo_server.url, "profile")
    expect(heading(page, nl("profile.title"))).to_be_visible()
    expect(field(page, nl("profile.enterprise_number"))).to_have_value(
        format_enterprise_number(profile.enterprise_number))
    expect(field(page, nl("profile.joint_committees"))).to_have_value(
        ", ".join(profile.joint_committees))
    size = size_class(profile.headcount, profile.turnover_eur, profile.balance_total_eur)
    expect(key_figure(page, nl("profile.size_class"))).to_have_text(nl(f"size.{size.code}"))
    assert_no_exception(page)
    screenshot(page, "profile-nl")


def test_self_assessment_completed(demo_server, org, new_page):
    done = latest_result(on(demo_server.db_path), org.id, employer_q())
    assert done is not None
    page = new_page()
    open_page(page, demo_server.url, "self_assessment")
    expect(main(page).get_by_text(nl("self.completed", date=f"{done.completed_on:%d/%m/%Y}")))\
        .to_be_visible()
    expect(heading(page, nl("self.practices"))).to_be_visible()
    expect(main(page).get_by_test_id("stProgress")).to_have_count(len(done.practices))
    expect(heading(page, nl("self.perception"))).to_be_visible()
    expect(main(page).get_by_test_id("stDataFrame")).to_be_visible()
    expect(main(page).get_by_role("button", name=nl("self.restart"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "self-assessment-nl")


def test_outplacement_result(demo_server, org, new_page):
    page = new_page()
    open_page(page, demo_server.url, "outplacement")
    expect(heading(page, nl("out.title"))).to_be_visible()
    fill(page, nl("out.age"), 45)
    fill(page, nl("out.notice"), 29)
    fill(page, nl("out.seniority"), 5)
    click_button(page, nl("out.check"))
    settle(page)
    expect(card(page, measure_name("outplacement_45plus"))).to_have_count(1)
    expect(main(page).get_by_text(template_prefix("out.not_applicable"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "outplacement-nl")


def test_dashboard_with_action_plan(demo_server, org, new_page):
    actions = list_actions(on(demo_server.db_path), org.id)
    assert actions
    page = new_page()
    open_page(page, demo_server.url, "dashboard")
    expect(heading(page, nl("dash.title"))).to_be_visible()
    expect(main(page).locator(".js-plotly-plot")).to_have_count(3)
    plan = heading(page, nl("dash.actions"))
    expect(plan).to_be_visible()
    for action in actions:
        expect(main(page).get_by_role("listitem").filter(has_text=action.title))\
            .to_have_count(1)
    plan.scroll_into_view_if_needed()
    assert_no_exception(page)
    screenshot(page, "dashboard-actions-nl")
