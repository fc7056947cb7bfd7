"""The platform admin's review queue in a real browser: every fact due for a new check, with
why and where to look."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from assessment import collective_dismissal, review
from assessment.catalogue import load_catalogue

from .support import assert_no_exception, goto, main, nav, screenshot
from .support_improve import heading, nl

pytestmark = pytest.mark.e2e


def test_the_admin_sees_what_to_check_again(server, new_page):
    queue = review.due(load_catalogue(), collective_dismissal.load_rules(), date.today())
    page = new_page()
    goto(page, server.url)
    nav(page, nl("nav.review"))
    expect(heading(page, nl("review.title"))).to_be_visible()
    if queue:
        expect(heading(page, nl("review.count", count=len(queue)))).to_be_visible()
        expect(main(page).get_by_role("listitem")).to_have_count(len(queue))
        first = queue[0]
        expect(main(page).get_by_role("listitem").first).to_contain_text(
            first.measure.name("nl") if first.measure else first.subject)
    else:
        expect(main(page).get_by_text(nl("review.none"))).to_be_visible()
    screenshot(page, "review-nl")
    assert_no_exception(page)
