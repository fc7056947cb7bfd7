"""Every role on every page, on the demo data: a role reaches exactly the pages of its
permissions, and nothing on any page it reaches names or shows an organisation outside its
scope. The second lock (the page's own check) is tested without the navigation."""

import pytest
from streamlit.testing.v1 import AppTest

from assessment.access import (
    EDIT_ORGANISATION,
    HR_VIEWER,
    ORGANISATION_ADMIN,
    PLATFORM_ADMIN,
    SECTOR_ANALYST,
    Scope,
    Sector,
)
from assessment.ui.router import NAV_ORDER, PAGE_PERMISSION

OWN = "Zorggroep Scheldeland"
ROLES = {
    PLATFORM_ADMIN: {},
    ORGANISATION_ADMIN: {"organisation": OWN},
    HR_VIEWER: {"organisation": OWN},
    SECTOR_ANALYST: {"sectors": ("pc:330",)},
}


def rendered(at) -> str:
    """Everything the run sent to the browser, as text: every element's message (labels,
    options, markdown, chart specs, table bytes) and every table in full."""
    parts = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is not None:
            for child in children.values():
                walk(child)
        elif getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))

    walk(at._tree)
    parts += [d.value.to_string() for d in at.dataframe]
    return "\n".join(parts)


def open_as(app, demo, role, page):
    options = ROLES[role]
    at = app(role=role, organisation_id=demo[options["organisation"]].id
             if "organisation" in options else None, sectors=options.get("sectors", ()))
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_reaches_exactly_its_pages_and_sees_only_its_scope(app, demo, role):
    at = app(role=role, organisation_id=demo[OWN].id if "organisation" in ROLES[role] else None,
             sectors=ROLES[role].get("sectors", ()))
    scope = at.session_state["_scope"]
    others = [name for name in demo if name != OWN]
    for page in NAV_ORDER:
        permission = PAGE_PERMISSION[page]
        if permission is not None and not scope.may(permission):
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"app_pages/{page}.py")
            continue
        at = open_as(app, demo, role, page)
        text = rendered(at)
        assert "geen toegang" not in text, page
        if role == PLATFORM_ADMIN:
            continue
        leaked = [name for name in others if name in text]
        assert not leaked, (role, page, leaked)
        if role == SECTOR_ANALYST:
            assert OWN not in text, page  # an analyst never sees one organisation's name


def test_hr_viewer_cannot_change_the_plan_or_add_to_it(demo_page):
    at = demo_page(OWN, "app_pages/actions.py", role=HR_VIEWER)
    assert not at.text_input and [b.key for b in at.button] == ["sign_out"]
    at = demo_page(OWN, "app_pages/support.py", role=HR_VIEWER)
    assert not [b for b in at.button if b.key and b.key.startswith("plan-button:")]


def test_organisation_admin_cannot_pick_another_organisation(demo_page, demo):
    at = demo_page(OWN, "app_pages/dashboard.py", role=ORGANISATION_ADMIN)
    at.session_state["organisation_id"] = demo["Logistiek Waasland"].id  # tampered state
    at.run()
    assert not at.exception
    assert "Logistiek Waasland" not in rendered(at)
    assert not at.sidebar.selectbox  # no picker at all for one's own organisation


def test_the_page_checks_its_permission_itself():
    """Without the navigation (as a tampered route would run it), a page stops with the
    neutral message before it reads anything."""

    def page():
        import streamlit as st

        from assessment.access import EDIT_ORGANISATION
        from assessment.ui import require

        require(EDIT_ORGANISATION)
        st.write("secret")

    at = AppTest.from_function(page)
    at.session_state["_scope"] = Scope(1, "analist", SECTOR_ANALYST,
                                       sectors=(Sector("pc", "330"),))
    at.run()
    assert "geen toegang" in at.error[0].value and not at.markdown
    assert EDIT_ORGANISATION  # the permission the page asked for


@pytest.mark.parametrize("role", [ORGANISATION_ADMIN, HR_VIEWER])
def test_only_the_platform_admin_manages_the_questionnaire(app, demo, role):
    """Issue 29: the questionnaires page changes what every organisation's new rounds ask.
    An organisation's admin or viewer has it in no navigation, cannot switch to it, and the
    script run without the navigation stops before it lists, uploads or activates anything."""
    from pathlib import Path

    from assessment.ui.router import allowed_pages

    at = app(role=role, organisation_id=demo[OWN].id)
    scope = at.session_state["_scope"]
    assert "questionnaires" in allowed_pages(Scope(1, "beheer", PLATFORM_ADMIN))
    assert "questionnaires" not in allowed_pages(scope)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/questionnaires.py")
    page = AppTest.from_file(str(Path(__file__).resolve().parents[2] /
                                 "app_pages/questionnaires.py"))
    page.session_state["_scope"] = scope
    page.run()
    assert "geen toegang" in page.error[0].value
    assert not page.dataframe and not page.file_uploader and not page.button
