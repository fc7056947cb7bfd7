"""Every employer page in French (issue 26): opened by a platform admin on the demo data with
the language set to French, no page shows a Dutch or English text of ours. What the run sends is
scanned two ways: no text of the Dutch or English catalogues that differs from its French one,
and none of a short list of words only Dutch or only English uses. What is not ours to translate
is taken out first: the demo's own names and answers (organisations, departments, rounds, open
answers, actions), and the evidence quotes, which stay in the language of their source."""

import re

import pytest

from assessment.benchmarks import load_benchmarks
from assessment.catalogue import load_catalogue
from assessment.i18n import catalogue
from assessment.ui.router import NAV_ORDER

DUTCH = {"het", "een", "niet", "voor", "met", "wordt", "zijn", "jouw", "bevraging",
         "medewerkers", "afdeling", "werkgever", "ondersteuning", "knelpunt", "knelpunten",
         "werkbaarheidsgraad", "geen", "deze", "naar", "ook"}
ENGLISH = {"the", "and", "your", "with", "employees", "survey", "department", "which",
           "should", "this", "from", "of", "to", "no"}
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def not_ours(db) -> list[str]:
    """Texts that are data, not app texts: the demo's names and answers, evidence quotes."""
    from assessment.storage import connection
    with connection(db) as conn:
        texts = [row[0] for sql in (
            "select name from organisations", "select name from departments",
            "select title from survey_rounds", "select open_answer from responses",
            "select title from actions", "select notes from actions",
            "select expected_support from actions") for row in conn.execute(sql) if row[0]]
    texts += [e.quote for m in load_catalogue() for e in m.evidence]
    texts += [b.evidence.quote for b in load_benchmarks()]
    return sorted(set(texts), key=len, reverse=True)


def leftovers(text: str, skip: list[str]) -> tuple[set[str], set[str]]:
    """The Dutch and English marker words of ``text`` once ``skip`` and quoted lines (a
    markdown block quote: a source's own words) and web addresses are taken out."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    for data in skip:
        text = text.replace(data, " ")
    text = re.sub(r"\(?https?://[^\s)]+\)?", " ", text)  # web addresses are not words
    words = {w.lower() for w in WORD.findall(text)}
    return words & DUTCH, words & ENGLISH


@pytest.mark.parametrize("page", ["sign_in", *NAV_ORDER])
def test_every_employer_page_speaks_french(app, demo, db, page):
    if page == "sign_in":  # what anyone not signed in sees
        at = app(lang="fr", role=None)
    else:
        at = app(lang="fr")
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(str(e.value) for kind in ("title", "header", "subheader", "markdown",
                                                "caption", "info", "warning", "error",
                                                "success") for e in getattr(at, kind))
    text += "\n".join(str(w.label) for kind in ("button", "selectbox", "text_input",
                                                "multiselect", "radio", "checkbox",
                                                "number_input", "date_input", "text_area",
                                                "toggle") for w in getattr(at, kind))
    text += "\n" + "\n".join(str(o) for kind in ("selectbox", "radio", "multiselect")
                             for w in getattr(at, kind) for o in w.options)
    text += "\n" + "\n".join(" ".join(map(str, d.value.columns)) for d in at.dataframe)
    assert len(WORD.findall(text)) > 25, "the scan read too little of the page"
    fr, nl, en = catalogue("fr"), catalogue("nl"), catalogue("en")
    def shown(other):  # the app's own texts of another language found on the page
        return [v for k, v in other.items() if not k.startswith("data.") and v != fr.get(k)
                and len(v) > 12 and "{" not in v and v in text]

    dutch_texts, english_texts = shown(nl), shown(en)
    assert dutch_texts == [] and english_texts == []
    dutch, english = leftovers(text, not_ours(db))
    assert (dutch, english) == (set(), set()), page


def test_the_scan_finds_a_dutch_or_english_text():
    """Not vacuous: the same scan on a Dutch and an English sentence."""
    assert leftovers("Geen antwoorden van deze afdeling", []) == ({"geen", "deze", "afdeling"},
                                                                  set())
    assert leftovers("Download the report of your survey", [])[1] == {"the", "of", "your",
                                                                       "survey"}
    assert leftovers("Zorggroep: le rapport", ["Zorggroep"]) == (set(), set())
    assert leftovers("[werk.belgie.be](https://werk.belgie.be/nl/het-werk)", []) == (set(), set())
    assert leftovers("La source dit :\n> Een preventieadviseur staat de werkgever bij", []) \
        == (set(), set())
