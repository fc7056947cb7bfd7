"""The outplacement check in a real browser: an individual dismissal of a 45-year-old with 29
weeks' notice falls under the 45+ regime (cao nr. 82); at 44 it no longer does and nothing
applies, with or without a joint committee."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from assessment.catalogue import load_catalogue
from assessment.profile import Profile
from assessment.recommendations import DismissalCase, outplacement_check

from .support import assert_no_exception, click_button, goto, main, nav, screenshot, settle
from .support_improve import (
    card,
    fill,
    heading,
    measure_name,
    nl,
    open_expander,
    pick_radio,
)

pytestmark = pytest.mark.e2e

REGIME_45 = "outplacement_45plus"


def check(page: Page, age: int, joint_committees: str = "") -> None:
    """Fill in the age (and joint committee), press 'Nakijken' and wait for this result: the
    expander counts what the domain says does not apply to this case."""
    fill(page, nl("out.age"), age)
    fill(page, nl("profile.joint_committees"), joint_committees)
    click_button(page, nl("out.check"))
    settle(page)
    expected = outplacement_check(
        DismissalCase("individual", age, 29.0, 5.0, "private"),
        Profile(headcount=50, region="flanders",
                joint_committees=tuple(joint_committees.split())),
        load_catalogue(), date.today())
    expect(main(page).get_by_text(nl("out.not_applicable", count=len(expected.not_fitting))))\
        .to_be_visible()


def test_45_plus_regime_applies_from_age_45(server, new_page):
    name = measure_name(REGIME_45)
    page = new_page()
    goto(page, server.url)
    nav(page, nl("nav.outplacement"))
    expect(heading(page, nl("out.title"))).to_be_visible()

    pick_radio(page, nl("out.kind"), nl("dismissal.individual"))
    fill(page, nl("out.notice"), 29)
    fill(page, nl("out.seniority"), 5)
    pick_radio(page, nl("out.employer"), nl("employer.private"))
    check(page, 45)
    regime = card(page, name)
    expect(regime).to_have_count(1)
    expect(regime).to_contain_text(nl("cond.min_age_ok", actual=45, limit=45))
    expect(regime).to_contain_text(nl("cond.notice_below_ok", actual=29, limit=30))
    expect(main(page).get_by_text(nl("out.nothing"))).to_have_count(0)
    assert_no_exception(page)

    check(page, 44)
    expect(heading(page, name)).to_have_count(0)
    expect(card(page, name)).to_have_count(0)
    expect(main(page).get_by_text(nl("out.nothing"))).to_be_visible()
    assert_no_exception(page)

    # Nor with a joint committee (124, outside Cevora's PC 200).
    check(page, 44, "124")
    expect(main(page).get_by_text(nl("out.nothing"))).to_be_visible()
    expect(main(page).get_by_test_id("stLayoutWrapper").get_by_role("heading"))\
        .to_have_count(0)
    assert_no_exception(page)


def test_collective_dismissal_follows_the_rule_table_with_its_sources(server, new_page):
    """PC 328 is told the employment cell does not apply, PC 327 that it applies except for
    workers with a disability, a 15-person firm with SWT at a reduced age that it applies; each
    answer shows the source's own sentence."""
    name = measure_name("outplacement_collective")
    page = new_page()
    goto(page, server.url)
    nav(page, nl("out.title"))
    expect(heading(page, nl("out.title"))).to_be_visible()
    pick_radio(page, nl("out.kind"), nl("dismissal.collective"))

    def collective(headcount: int, dismissed: int, pc: str) -> None:
        fill(page, nl("org.headcount"), headcount)
        fill(page, nl("out.dismissed"), dismissed)
        fill(page, nl("profile.joint_committees"), pc)
        click_button(page, nl("out.check"))
        settle(page)

    collective(400, 50, "328")
    expect(card(page, name)).to_have_count(0)
    details = open_expander(page, nl("out.not_applicable", count=4).split(" (")[0])
    expect(details).to_contain_text(nl("cd.excluded_pc", pc="328"))
    expect(details).to_contain_text("de regeling is niet van toepassing op werkgevers die tot "
                                    "de paritaire comités 225 en 328 behoren")
    assert_no_exception(page)

    collective(200, 25, "327")
    expect(card(page, name)).to_contain_text(nl("cd.pc327_others", pc="327"))
    assert_no_exception(page)

    collective(15, 6, "200")
    expect(card(page, name)).to_have_count(0)
    main(page).get_by_text(nl("out.swt"), exact=True).click()
    click_button(page, nl("out.check"))
    settle(page)
    regime = card(page, name)
    expect(regime).to_contain_text(nl("cd.small_swt", headcount=15))
    quotes = regime.get_by_test_id("stExpander").filter(has_text=nl("evidence.title"))
    quotes.locator("summary").click()  # this card's own: other cards have quotes too now
    expect(regime).to_contain_text("werkgevers met maximaal 20 werknemers zijn enkel verplicht")
    screenshot(page, "outplacement-collective-swt-nl")
    assert_no_exception(page)
