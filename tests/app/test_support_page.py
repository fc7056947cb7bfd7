"""The support page: what the law requires first, the measures for the demo data in a short
table and collapsed cards, one put on the action plan through the dialog; a broken catalogue
shows its problems instead."""

import re

import pytest

from assessment.actions import add_action
from tests.context import on


def expander_labels(at) -> list[str]:
    return [e.label for e in at.expander]


def test_the_law_first_then_measures_and_the_plan_dialog(demo_page, db, demo):
    org_id = demo["Logistiek Waasland"].id  # medium-sized, 34% lack learning opportunities
    at = demo_page("Logistiek Waasland", "app_pages/support.py")
    headers = [h.value for h in at.subheader]
    assert headers[0] == "Wat de wet vraagt" and headers[1].startswith("Past bij jouw"), headers
    labels = expander_labels(at)
    assert labels[0] == "**Psychosociale risicoanalyse (wettelijke plicht)**"
    assert "**Kmo-portefeuille (opleiding)** · subsidie" in labels
    assert any("20% van de kosten, hoogstens €\u00a07.500 per jaar" in m.value for m in at.markdown)
    assert not [m.value for m in at.markdown if "None" in m.value]

    # The dialog opens with the gap the measure ranks on (saving it is a fragment rerun, which
    # AppTest does not run: tests/e2e/test_action_plan.py saves through the dialog).
    at.button(key="plan-button:kmo_portefeuille").click().run()
    assert at.selectbox(key="plan-gap:kmo_portefeuille").value == "leermogelijkheden"
    assert at.text_input(key="plan-owner:kmo_portefeuille").value == ""
    assert at.date_input(key="plan-due:kmo_portefeuille").value is None

    add_action(on(db), org_id, "Kmo-portefeuille", measure_id="kmo_portefeuille")
    at.run()
    assert ":material/check_circle: In het actieplan" in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "plan-button:kmo_portefeuille"]


def test_each_card_says_once_what_could_not_be_verified_and_when_it_was_checked(demo_page):
    from assessment.catalogue import load_catalogue
    from assessment.formatting import day

    esf = next(m for m in load_catalogue() if m.id == "esf_plus_werkbaar_werk")
    at = demo_page("Zorggroep Scheldeland", "app_pages/support.py")
    captions = [c.value for c in at.caption]
    assert captions.count(f":material/info: {esf.unverified('nl')}") == 1
    assert any(f"Laatst nagekeken op {day(esf.last_checked, 'nl')}." in m.value
               for m in at.markdown)


@pytest.mark.parametrize("name", ["Bakkerij Van Dijck", "Logistiek Waasland",
                                  "Zorggroep Scheldeland", "Softwarehuis Leie"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_none_nan_or_raw_id_reaches_the_page(demo_page, name, lang):
    at = demo_page(name, "app_pages/support.py", lang=lang)
    texts = [e.value for e in (*at.markdown, *at.caption, *at.subheader, *at.info)]
    texts += [e.label for e in at.expander] + [e.proto.body for e in at.get("html")]
    assert texts
    for text in texts:
        assert not re.search(r"\bNone\b|\bnan\b|\{\w+\}|"
                             r"\b(rec|gap|support|plan|cond|field|size)\.[a-z_]+", text), text


def test_a_viewer_sees_no_plan_button(demo_page):
    at = demo_page("Logistiek Waasland", "app_pages/support.py", role="hr_viewer")
    assert not [b for b in at.button if (b.key or "").startswith("plan-button:")]


def test_large_social_profit_organisation_gets_no_kmo_portefeuille(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/support.py", lang="en")
    assert "**SME wallet (kmo-portefeuille)** · subsidy" not in expander_labels(at)
    reasons = " ".join(m.value for m in at.markdown)
    assert "Not for the legal form vzw" in reasons


def test_broken_catalogue_lists_its_problems(demo_page, monkeypatch, tmp_path):
    broken = tmp_path / "support_measures.yaml"
    broken.write_text("measures:\n  - id: x\n", encoding="utf-8")
    monkeypatch.setattr("assessment.catalogue.CATALOGUE_FILE", broken)
    monkeypatch.setattr("assessment.catalogue.load_catalogue.__defaults__", (broken,))
    at = demo_page("Softwarehuis Leie", "app_pages/support.py")
    # the whole app refuses to start on a broken data file, the catalogue included
    assert "De app start niet: een gegevensbestand in data/ is ongeldig" in at.error[0].value
    assert "measure x" in at.error[0].value
