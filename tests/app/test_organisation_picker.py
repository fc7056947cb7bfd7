"""The platform admin's organisation picker in the sidebar: bounded on a large platform (a
search box past ``PICKER_LIMIT`` organisations, at most that many names listed), with the
organisation already chosen kept on offer; a plain select box below the limit."""

import pytest

from assessment import ui
from assessment.organisations import create_organisation
from tests.context import on


@pytest.fixture
def five(db):
    return [create_organisation(on(db), f"Org {i}", "C", "10", 10, ["A"]) for i in range(5)]


def picker(at):
    return next(s for s in at.sidebar.selectbox if s.label == "Organisatie")


def test_below_the_limit_every_organisation_is_listed_without_a_search(app, five):
    at = app("app_pages/profile.py")
    assert picker(at).options == [f"Org {i}" for i in range(5)]
    assert not [t for t in at.sidebar.text_input if t.key == "organisation_picker_search"]


def test_past_the_limit_a_search_finds_the_others_and_keeps_the_chosen_one(app, five,
                                                                           monkeypatch):
    monkeypatch.setattr(ui, "PICKER_LIMIT", 3)
    at = app("app_pages/profile.py")
    assert picker(at).options == ["Org 0", "Org 1", "Org 2"]
    assert any("De eerste 3 van 5 organisaties" in c.value for c in at.sidebar.caption)

    at.sidebar.text_input(key="organisation_picker_search").input("org 4").run()
    assert picker(at).options == ["Org 0", "Org 4"]  # the chosen one stays on offer
    assert not any("De eerste" in c.value for c in at.sidebar.caption)  # one match, all shown
    assert picker(at).value == five[0]
    picker(at).select(five[4]).run()
    assert at.session_state["organisation_id"] == five[4]
    assert at.title[0].value and not at.exception

    at.sidebar.text_input(key="organisation_picker_search").input("zzz").run()
    assert [c.value for c in at.sidebar.caption if "organisatie" in c.value.lower()] == [
        "Geen organisatie met „zzz” in de naam; hieronder de eerste op naam."]
    assert picker(at).options == ["Org 4", "Org 0", "Org 1", "Org 2"]
    assert at.session_state["organisation_id"] == five[4]
