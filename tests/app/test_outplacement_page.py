"""The outplacement check page: the 45+ regime at 45 and not at 44."""

import pytest


@pytest.mark.parametrize("age,expected", [(45, True), (44, False)])
def test_45_plus_regime(app, age, expected):
    at = app("app_pages/outplacement.py")
    at.number_input[0].set_value(age)
    at.number_input[1].set_value(29.0)
    at.button[0].click().run()
    assert not at.exception
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert any("45" in c for c in cards) is expected
    if not expected:
        assert "geen outplacementplicht" in at.info[0].value
