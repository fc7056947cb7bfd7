"""The rounds page's paper tab: what it says about who types the answers in and the sheets'
end, its downloads, and its import form. (Uploading a file is the browser test's part:
AppTest has no file uploader.)"""

import pytest

from tests.context import on


def tab_texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang,words,labels", [
    ("nl", ["één vertrouwenspersoon", "nooit door de directe leidinggevende",
            "Vernietig de bladen na de import", "zolang de bevraging open is",
            "Alles of niets"],
     ["Vragenlijst downloaden (PDF)", "Sjabloon downloaden (Excel)",
      "Sjabloon downloaden (CSV)"]),
    ("en", ["one confidant", "never by the direct manager", "Destroy the sheets after the import",
            "while the round is open", "All or nothing"],
     ["Download the questionnaire (PDF)", "Download the template (Excel)",
      "Download the template (CSV)"])])
def test_the_tab_says_who_types_and_offers_the_downloads(app, round_id, lang, words, labels):
    at = app("app_pages/rounds.py", lang=lang)
    text = tab_texts(at)
    for word in words:
        assert word in text, word
    shown = [b.proto.label for b in at.get("download_button")]
    assert all(label in shown for label in labels), shown
    assert [b.label for b in at.button if b.label in ("Antwoorden importeren",
                                                      "Import the answers")]


def test_importing_without_a_file_asks_for_one(app, db, round_id):
    from assessment.rounds import get_round

    at = app("app_pages/rounds.py")
    next(b for b in at.button if b.label == "Antwoorden importeren").click().run()
    assert not at.exception
    assert "Kies eerst een bestand." in [w.value for w in at.warning]
    assert get_round(on(db), round_id).responses == 0


def test_a_closed_round_has_no_paper_tab(app, db, round_id):
    from assessment.rounds import close_round

    close_round(on(db), round_id)
    at = app("app_pages/rounds.py")
    assert not [b for b in at.button if b.label == "Antwoorden importeren"]
    assert "Vragenlijst downloaden (PDF)" not in [b.proto.label
                                                  for b in at.get("download_button")]


def test_rows_with_repeated_answers_ask_for_a_check(app, db, round_id):
    """After an import found rows with the answers of an earlier import, the tab lists them
    above the form, whose box to tick names that file; importing without a file still asks
    for one and stores nothing."""
    from assessment.rounds import get_round
    from assessment.ui.paper import REPEATS_KEY
    from assessment.upload_limits import CellProblem

    at = app("app_pages/rounds.py", lang="en")
    at.session_state[REPEATS_KEY] = (round_id, "ab" * 32, [
        CellProblem("", "paper.row_imported_before", {}, 14),
        CellProblem("", "paper.row_repeated", {"first": 3}, 15)])
    at.run()
    [warning] = [w.value.replace("\\", "") for w in at.warning]  # shown as plain text
    assert warning.startswith("Nothing imported: these rows have exactly the same answers")
    assert "- row 14: exactly the same answers were imported into this round before" in warning
    assert "- row 15: the same answers as row 3" in warning
    [box] = at.checkbox
    assert box.label.startswith("I checked the paper sheets") and not box.value
    assert box.key == f"paper:checked:{round_id}:{'ab' * 32}"
    box.check()
    next(b for b in at.button if b.label == "Import the answers").click().run()
    assert "Choose a file first." in [w.value for w in at.warning]
    assert get_round(on(db), round_id).responses == 0

