"""The printable paper questionnaire, read back with pdftotext: every item numbered as the
import template's columns, in the questionnaire's order, under its answer labels with the values
the template takes, one box per answer and per background option, the organisation's
departments, the honest intro, the sheet number field; A4, in Dutch and English."""

from __future__ import annotations

import re
import subprocess

import pytest

from assessment.i18n import LANGUAGES
from assessment.organisations import Department, Organisation
from assessment.paper_import import columns
from assessment.reports import paper_pdf

DEPARTMENTS = ("Verpleging", "Keuken", "Administratie", "Technische dienst")


def org(departments=DEPARTMENTS, min_group_size=5):
    return Organisation(1, "Zorggroep Test", "Q", "87", 120, min_group_size,
                        tuple(Department(n, name) for n, name in enumerate(departments, 1)))


def text_of(pdf: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_item_in_order_with_its_number_and_answer_labels(questionnaire, lang):
    pdf = paper_pdf.render(questionnaire, org(), "Bevraging 2026", lang)
    text = text_of(pdf)
    compact = flat(text)
    for item in questionnaire.items:
        assert flat(item.text(lang)) in compact, item.id
    ids = [i.id for i in questionnaire.items]
    found = [w for w in re.findall(r"\b([a-z]{2}\d)\b", text) if w in ids]
    assert found == ids  # once each, in the questionnaire's order, as the template names them
    assert set(ids) < set(columns(questionnaire))
    for scale in questionnaire.answer_scales.values():
        for label in scale.labels:
            assert flat(label(lang)) in compact, label(lang)
    for section in questionnaire.sections:
        assert flat(section.title(lang)) in compact
    assert flat(questionnaire.title(lang)) in compact
    assert "ZorggroepTest–Bevraging2026" in compact


@pytest.mark.parametrize("lang,words", [
    ("nl", ["Bladnummer", "In te vullen door wie de antwoorden intypt", "minstens 5 deelnemers",
            "vertrouwenspersoon", "niet je leidinggevende", "bladen vernietigd", "envelop",
            "gesloten bus", "Schrijf je naam nergens op", "niet verplicht"]),
    ("en", ["Sheet number", "whoever types in the answers", "at least 5 respondents",
            "confidant", "not your manager", "sheets are destroyed", "envelope", "closed box",
            "Don't write your name", "optional"])])
def test_the_intro_says_who_sees_the_sheet_and_how_to_hand_it_in(questionnaire, lang, words):
    compact = flat(text_of(paper_pdf.render(questionnaire, org(), "R", lang)))
    for word in words:
        assert flat(word) in compact, word


def test_the_organisations_threshold_is_the_one_printed(questionnaire):
    compact = flat(text_of(paper_pdf.render(questionnaire, org(min_group_size=8), "R", "nl")))
    assert "minstens8deelnemers" in compact and "minstens5deelnemers" not in compact


@pytest.mark.parametrize("lang", LANGUAGES)
def test_background_questions_and_open_question(questionnaire, lang):
    compact = flat(text_of(paper_pdf.render(questionnaire, org(), "R", lang)))
    for name in DEPARTMENTS:
        assert flat(name) in compact
    for question in questionnaire.background:
        assert flat(question.label(lang)) in compact
        for option in question.options:
            assert flat(option.label(lang)) in compact
    assert flat(questionnaire.open_question.label(lang)) in compact


def boxes_of(questionnaire, organisation, monkeypatch):
    """(page, x, y) of every tick box the form draws."""
    boxes = []
    original = paper_pdf.PaperForm.tick_box
    monkeypatch.setattr(paper_pdf.PaperForm, "tick_box",
                        lambda self, x, y: boxes.append((self.page_no(), x, y))
                        or original(self, x, y))
    paper_pdf.render(questionnaire, organisation, "R", "nl")
    assert len(set(boxes)) == len(boxes)  # none drawn over another
    assert all(15 <= x <= 195 and 15 <= y <= 297 - 18 for _, x, y in boxes)  # inside margins
    return boxes


def test_one_box_per_answer_and_per_option(questionnaire, monkeypatch):
    boxes = boxes_of(questionnaire, org(), monkeypatch)
    options = len(DEPARTMENTS) + sum(len(q.options) for q in questionnaire.background)
    assert len(boxes) == 5 * len(questionnaire.items) + options


def test_a4_pages_and_every_page_asks_for_the_sheet_number(questionnaire):
    pdf = paper_pdf.render(questionnaire, org(), "R", "en")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True
                          ).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "(A4)" in info and 2 <= pages <= 6
    assert text_of(pdf).count("Sheet no.") == pages


def test_an_organisation_without_departments_gets_no_department_question(questionnaire):
    compact = flat(text_of(paper_pdf.render(questionnaire, org(departments=()), "R", "nl")))
    assert "Afdeling" not in compact and "Leeftijd" in compact


def test_thirty_long_department_names_stay_inside_the_page(questionnaire, monkeypatch):
    names = [f"Afdeling {n} – woonzorgcentrum met een heel lange naam" for n in range(1, 31)]
    pdf = paper_pdf.render(questionnaire, org(departments=names), "R", "nl")
    compact = flat(text_of(pdf))
    assert all(flat(name) in compact for name in names)
    boxes = boxes_of(questionnaire, org(departments=names), monkeypatch)
    assert len(boxes) == 5 * len(questionnaire.items) + 30 + sum(
        len(q.options) for q in questionnaire.background)
