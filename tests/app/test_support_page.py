"""The support page: recommendations from the demo data, add one to the action plan; a broken
catalogue shows its problems instead."""

from assessment.actions import list_actions


def test_recommendations_and_add_to_plan(demo_page, db, demo):
    org_id = demo["Logistiek Waasland"].id  # medium-sized, 27% lack learning opportunities
    at = demo_page("Logistiek Waasland", "pages/support.py")
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert "#### Kmo-portefeuille" in headings
    assert any("20% van de kosten, hoogstens € 7.500 per jaar" in m.value for m in at.markdown)
    button = next(b for b in at.button if b.key == "plan:kmo_portefeuille")
    button.click().run()
    assert "kmo_portefeuille" in [a.measure_id for a in list_actions(org_id, db_path=db)]
    assert ":material/check_circle: Staat in je actieplan." in [c.value for c in at.caption]


def test_large_social_profit_organisation_gets_no_kmo_portefeuille(demo_page):
    at = demo_page("Zorggroep Scheldeland", "pages/support.py", lang="en")
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert "#### SME wallet (kmo-portefeuille)" not in headings
    reasons = " ".join(m.value for m in at.markdown)
    assert "Not for the legal form vzw" in reasons


def test_broken_catalogue_lists_its_problems(demo_page, monkeypatch, tmp_path):
    broken = tmp_path / "support_measures.yaml"
    broken.write_text("measures:\n  - id: x\n", encoding="utf-8")
    monkeypatch.setattr("assessment.recommendations.CATALOGUE_FILE", broken)
    monkeypatch.setattr("assessment.recommendations.load_catalogue.__defaults__", (broken,))
    at = demo_page("Softwarehuis Leie", "pages/support.py")
    # the whole app refuses to start on a broken data file, the catalogue included
    assert "De app start niet: een gegevensbestand in data/ is ongeldig" in at.error[0].value
    assert "measure x" in at.error[0].value
