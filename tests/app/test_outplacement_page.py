"""The outplacement check page: the 45+ regime at 45 and not at 44."""

import pytest

from assessment.i18n import t


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


def labelled(widgets, key):
    """The widget whose label is the Dutch text of ``key``."""
    return next(w for w in widgets if w.label == t(key, "nl"))


def collective(app, headcount, dismissed, pcs, swt=False, disabled_only=False):
    at = app("app_pages/outplacement.py")
    labelled(at.radio, "out.kind").set_value("collective")
    labelled(at.number_input, "org.headcount").set_value(headcount)
    labelled(at.number_input, "out.dismissed").set_value(dismissed)
    labelled(at.text_input, "profile.joint_committees").set_value(pcs)
    labelled(at.checkbox, "out.swt").set_value(swt)
    labelled(at.checkbox, "out.disabled_only").set_value(disabled_only)
    at.button[0].click().run()
    assert not at.exception
    return at


def page_text(at):
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("pc", ["225", "328"])
def test_joint_committees_225_and_328_are_told_the_cell_does_not_apply(app, pc):
    at = collective(app, 150, 20, pc)
    text = page_text(at)
    assert not any(m.value.startswith("#### Collectief ontslag") for m in at.markdown)
    assert f"niet van toepassing op werkgevers van paritair comité {pc}" in text
    assert "> Hierop bestaan drie uitzonderingen" in text  # the source's own sentence


def test_joint_committee_327_is_told_it_applies_except_for_workers_with_a_disability(app):
    text = page_text(collective(app, 200, 25, "327.01"))
    assert "#### Collectief ontslag: tewerkstellingscel en outplacement" in text
    assert "geldt voor de ontslagen werknemers zonder handicap" in text
    assert "subcomité 327.01 eronder valt, is onze lezing" in text
    text = page_text(collective(app, 200, 25, "327", disabled_only=True))
    assert "#### Collectief ontslag" not in text
    assert "niet verplicht voor werknemers met een handicap" in text


def test_a_15_person_firm_using_swt_at_a_reduced_age_is_told_it_applies(app):
    text = page_text(collective(app, 15, 6, "200", swt=True))
    assert "#### Collectief ontslag: tewerkstellingscel en outplacement" in text
    assert "geldt de verplichting toch" in text and "SWT af te schaffen" in text
    text = page_text(collective(app, 15, 6, "200"))
    assert "#### Collectief ontslag" not in text
    assert "alleen verplicht als werknemers met SWT" in text


def test_without_the_number_dismissed_the_page_asks_for_it(app):
    at = app("app_pages/outplacement.py")
    labelled(at.radio, "out.kind").set_value("collective")
    labelled(at.text_input, "profile.joint_committees").set_value("200")
    at.button[0].click().run()
    assert not at.exception
    assert any(t("cd.count_unknown", "nl") in c.value for c in at.caption)
