"""The printable paper questionnaire: the employee questionnaire on A4, to tick with a pen, for
employees who do not answer online. Its answers are typed into the import template
(:mod:`assessment.paper_import`) by a confidant and imported into the round.

What it holds: a field for the sheet number (filled in by whoever types the answers in, the
``sheet`` column of the template; repeated in every page's footer so that loose pages find their
sheet), the intro for paper (how to answer, what the employer sees, that whoever types the
answers in sees them, how to hand it in), every item of the questionnaire numbered with its id as
the template's column names it, under the labels of its answer scale with the values 1 to 5 the
template takes, one box per answer; the background questions (the organisation's departments,
age band, contract type) as boxes; and a framed space for the open answer.

Decisions: black on white with light grey row bands only, so a black-and-white printer or copier
keeps everything; item text 9 pt and answer labels 7 pt in five columns of 19 mm, which holds the
longest label ("Noch eens noch oneens", "Neither agree nor disagree") on at most three lines; the
answer labels are repeated on top of each new page so no page has boxes without a meaning.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import XPos, YPos

from ..confidentiality import MIN_OPEN_ANSWERS, threshold
from ..datafile import Text
from ..i18n import t
from ..organisations import Organisation
from ..questionnaire import POINTS, AnswerScale, Item, Questionnaire
from .pdf import Document
from .pdf_charts import FAMILY, MARGIN, MUTED, TEXT, rgb

BOX = 4.2  # side of a tick box, mm
ANSWER_W = 19.0  # width of one answer column
ID_W = 10.0  # the item number's column
BAND = "#efefef"  # every other item row, light enough for any printer
LINE_H = 4.3


class PaperForm(Document):
    """A :class:`Document` whose footer also asks for the sheet number."""

    def __init__(self, title: str, footer: str, lang: str) -> None:
        super().__init__(title, footer, lang, t("report.page", lang))
        self.sheet_label = t("paper.pdf_sheet_short", lang)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*rgb(MUTED))
        self.cell(self.epw * 0.55, 5, self.footer_text, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(self.epw * 0.27, 5, f"{self.sheet_label} ______", new_x=XPos.RIGHT,
                  new_y=YPos.TOP)
        self.cell(self.epw * 0.18, 5, f"{self.page_label} {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(*rgb(TEXT))

    def tick_box(self, x: float, y: float) -> None:
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.3)
        self.rect(x, y, BOX, BOX)

    def lines_of(self, width: float, text: str, size: float, style: str = "") -> int:
        self.set_font(FAMILY, style, size)
        return len(self.multi_cell(width, LINE_H, text, dry_run=True, output="LINES"))


def render(questionnaire: Questionnaire, org: Organisation, round_title: str, lang: str) -> bytes:
    """The paper questionnaire of ``org``'s round ``round_title`` in ``lang`` as PDF bytes."""
    title = questionnaire.title(lang)
    doc = PaperForm(title, f"Werkbaar – {org.name} – {round_title}", lang)
    doc.add_page()
    _head(doc, title, org, round_title, lang)
    _intro(doc, org, lang)
    for section in questionnaire.sections:
        _section(doc, questionnaire, section.title(lang), section.intro(lang), section.items,
                 lang)
    _background(doc, questionnaire, org, lang)
    _open(doc, questionnaire, lang)
    return doc.render()


def _head(doc: PaperForm, title: str, org: Organisation, round_title: str, lang: str) -> None:
    """The title and, at the right, the sheet number field."""
    box_w = 48.0
    top = doc.get_y()
    doc.set_font(FAMILY, "B", 17)
    doc.multi_cell(doc.epw - box_w - 6, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 10)
    doc.set_text_color(*rgb(MUTED))
    doc.multi_cell(doc.epw - box_w - 6, 5, f"{org.name} – {round_title}",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = doc.get_y()
    x = MARGIN + doc.epw - box_w
    doc.set_xy(x, top)
    doc.set_font(FAMILY, "B", 9)
    doc.set_text_color(*rgb(TEXT))
    doc.cell(box_w, 4.5, t("paper.pdf_sheet", lang), new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.5)
    doc.rect(x, doc.get_y(), box_w, 10)
    doc.set_xy(x, doc.get_y() + 10.5)
    doc.set_font(FAMILY, "", 6.5)
    doc.set_text_color(*rgb(MUTED))
    doc.multi_cell(box_w, 2.8, t("paper.pdf_sheet_help", lang), align="L", new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    doc.set_text_color(*rgb(TEXT))
    doc.set_y(max(bottom, doc.get_y()) + 3)


def _intro(doc: PaperForm, org: Organisation, lang: str) -> None:
    """How to answer, what the employer sees and does not see, who sees the sheet, how to hand
    it in."""
    doc.paragraph(t("paper.pdf_how", lang), 9.5)
    for key in ("paper.pdf_anonymous", "paper.pdf_typist", "paper.pdf_about_you"):
        doc.bullet(t(key, lang, min=threshold(org.min_group_size), open=MIN_OPEN_ANSWERS), 9)
    doc.ln(1)
    doc.paragraph(t("paper.pdf_hand_in", lang), 9.5, bold=True)
    doc.ln(1)


def _scale_head(doc: PaperForm, scale: AnswerScale, label: str) -> None:
    """The answer labels over the five columns, each with the value the template takes."""
    x0 = MARGIN + doc.epw - POINTS * ANSWER_W
    lines = max(doc.lines_of(ANSWER_W - 1, answer(doc.language), 7) for answer in scale.labels)
    height = lines * 3.1 + 5
    if doc.will_page_break(height + 9):
        doc.add_page(same=True)
    top = doc.get_y()
    doc.set_font(FAMILY, "B", 8)
    doc.set_text_color(*rgb(MUTED))
    doc.set_xy(MARGIN, top + height - 4.5)
    doc.cell(x0 - MARGIN, 4, label)
    for n, answer in enumerate(scale.labels):
        x = x0 + n * ANSWER_W
        doc.set_font(FAMILY, "", 7)
        doc.set_text_color(*rgb(TEXT))
        used = doc.lines_of(ANSWER_W - 1, answer(doc.language), 7) * 3.1
        doc.set_xy(x + 0.5, top + height - 5 - used)
        doc.multi_cell(ANSWER_W - 1, 3.1, answer(doc.language), align="C")
        doc.set_xy(x, top + height - 4.5)
        doc.set_font(FAMILY, "B", 7)
        doc.set_text_color(*rgb(MUTED))
        doc.cell(ANSWER_W, 4, str(n + 1), align="C")
    doc.set_text_color(*rgb(TEXT))
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.3)
    doc.line(MARGIN, top + height, MARGIN + doc.epw, top + height)
    doc.set_y(top + height + 0.5)


def _section(doc: PaperForm, questionnaire: Questionnaire, title: str, intro: str,
             items: Sequence[Item], lang: str) -> None:
    doc.heading(title, room=45)
    doc.paragraph(intro, 9, muted=True)
    text_w = doc.epw - ID_W - POINTS * ANSWER_W - 2
    column_label = t("paper.pdf_question", lang)
    scale = None
    for n, item in enumerate(items):
        if item.answer_scale != scale:
            if scale is not None:
                doc.ln(2.5)  # apart from the rows of the previous answer scale
            scale = item.answer_scale
            _scale_head(doc, questionnaire.answer_scales[scale], column_label)
        text = item.text(lang)
        height = max(8.0, doc.lines_of(text_w, text, 9) * LINE_H + 3)
        if doc.will_page_break(height):
            doc.add_page(same=True)
            _scale_head(doc, questionnaire.answer_scales[scale], column_label)
        top = doc.get_y()
        if n % 2:
            doc.set_fill_color(*rgb(BAND))
            doc.rect(MARGIN, top, doc.epw, height, style="F")
        doc.set_xy(MARGIN + 0.5, top + 1.5)
        doc.set_font(FAMILY, "B", 8)
        doc.cell(ID_W, LINE_H, item.id)
        doc.set_xy(MARGIN + ID_W, top + 1.5)
        doc.set_font(FAMILY, "", 9)
        doc.multi_cell(text_w, LINE_H, text, align="L")
        x0 = MARGIN + doc.epw - POINTS * ANSWER_W
        for point in range(POINTS):
            doc.tick_box(x0 + point * ANSWER_W + (ANSWER_W - BOX) / 2, top + (height - BOX) / 2)
        doc.set_y(top + height)
    doc.ln(2)


def _choices(doc: PaperForm, label: str, help_text: str, options: Sequence[str],
             columns: int) -> None:
    """A question with one box per option, in ``columns`` columns."""
    width = doc.epw / columns
    rows = [options[i:i + columns] for i in range(0, len(options), columns)]
    heights = [max(doc.lines_of(width - BOX - 4, o, 9) for o in row) * LINE_H + 2.5
               for row in rows]
    if doc.will_page_break(12 + sum(heights[:3])):
        doc.add_page(same=True)
    doc.paragraph(label, 10, bold=True)
    if help_text:
        doc.paragraph(help_text, 8.5, muted=True)
    for row, height in zip(rows, heights, strict=True):
        if doc.will_page_break(height):
            doc.add_page(same=True)
        top = doc.get_y()
        for n, option in enumerate(row):
            x = MARGIN + n * width
            doc.tick_box(x, top + 0.2)
            doc.set_xy(x + BOX + 2, top)
            doc.set_font(FAMILY, "", 9)
            doc.multi_cell(width - BOX - 4, LINE_H, option, align="L")
        doc.set_y(top + height)
    doc.ln(2)


def _background(doc: PaperForm, questionnaire: Questionnaire, org: Organisation,
                lang: str) -> None:
    doc.heading(t("paper.pdf_about_you_title", lang), room=50)
    doc.paragraph(t("paper.pdf_about_you_help", lang, min=threshold(org.min_group_size)), 9,
                  muted=True)
    for question in questionnaire.background:
        if question.from_organisation:
            options = sorted((d.name for d in org.departments), key=str.casefold)
            if not options:
                continue
        else:
            options = [o.label(lang) for o in question.options]
        _choices(doc, question.label(lang), _text(question.help, lang), options,
                 3 if len(options) > 3 else len(options))


def _open(doc: PaperForm, questionnaire: Questionnaire, lang: str) -> None:
    question = questionnaire.open_question
    height = 62.0
    if doc.will_page_break(height + 30):
        doc.add_page(same=True)
    doc.heading(question.label(lang), room=height + 20)
    doc.paragraph(question.help(lang), 8.5, muted=True)
    top = doc.get_y() + 1
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.4)
    doc.rect(MARGIN, top, doc.epw, height)
    doc.set_draw_color(*rgb("#bbbbbb"))
    doc.set_line_width(0.15)
    for n in range(1, int(height // 8)):
        doc.line(MARGIN + 3, top + n * 8, MARGIN + doc.epw - 3, top + n * 8)
    doc.set_y(top + height + 4)
    doc.paragraph(t("paper.pdf_thanks", lang), 10, bold=True)


def _text(value: Text | None, lang: str) -> str:
    return value(lang) if value else ""
