"""The support catalogue as users see it: authorities in both languages, what could not be
confirmed said once, editors' notes and reasons kept off every attribute a page can show, and
every source a primary one unless the entry says why not."""

from dataclasses import fields

import pytest
import yaml

from assessment.catalogue import CATALOGUE_FILE, CatalogueError, load_catalogue
from assessment.datafile import Text
from assessment.i18n import LANGUAGES
from assessment.provenance import INTERNAL_PHRASES, internal_phrase, is_primary


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def raw():
    return yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))


def write(tmp_path, raw):
    path = tmp_path / "support_measures.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def user_texts(measure):
    """Every text of a measure in both languages, as a page could show it."""
    out = []
    for f in fields(measure):
        value = getattr(measure, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Text):
                out += [item(lang) for lang in LANGUAGES]
            elif isinstance(item, str | dict):
                out.append(str(item))
    return out


def test_every_authority_is_named_in_both_languages(catalogue):
    for measure in catalogue:
        assert isinstance(measure.authority, Text), measure.id
        assert measure.authority("nl").strip() and measure.authority("en").strip(), measure.id
    translated = {m.id: m.authority("en") for m in catalogue
                  if m.authority("en") != m.authority("nl")}
    assert translated["werkbaarheidscheque"] == (
        "Department of Work and Social Economy (Flemish government)")
    assert len(translated) >= 20  # names such as "Cevora" stay; descriptions are translated


def test_no_shipped_user_text_reads_like_an_internal_note(catalogue):
    for measure in catalogue:
        for text in user_texts(measure):
            assert internal_phrase(text) is None, (measure.id, text)


def test_unverified_is_loaded_in_both_languages(catalogue):
    by_id = {m.id: m for m in catalogue}
    horeca = by_id["sectorfonds_horeca_forma"].unverified
    assert horeca("nl").startswith("Dat Horeca Forma het sectorfonds van PC 302 is")
    assert horeca("en").startswith("That Horeca Forma is the sector fund of PC 302")
    assert by_id["kmo_portefeuille"].unverified is None  # confirmed: nothing to say


def test_internal_notes_and_reasons_never_reach_a_measure(tmp_path, raw):
    entry = raw["measures"][0]
    entry["note_internal"] = "SECRET-EDITOR-NOTE: ask Jan"
    entry["secondary_reason"] = "SECRET-REASON: only a blog has it"
    measure = load_catalogue(write(tmp_path, raw))[0]
    assert {"note_internal", "secondary_reason"}.isdisjoint(f.name for f in fields(measure))
    assert not any("SECRET-" in text for text in user_texts(measure))


@pytest.mark.parametrize("field", ["note_internal", "secondary_reason"])
def test_internal_fields_are_plain_text(tmp_path, raw, field):
    raw["measures"][0][field] = {"nl": "x", "en": "y"}
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write(tmp_path, raw))
    assert (f"measure {raw['measures'][0]['id']}: field '{field}' must be a non-empty text"
            in caught.value.problems[0])


def test_every_shipped_source_is_primary_or_has_a_reason(catalogue, raw):
    reasons = {m["id"] for m in raw["measures"] if m.get("secondary_reason")}
    for measure in catalogue:
        sector = measure.level == "sector"
        if measure.id not in reasons:
            assert all(is_primary(u, sector) for u in measure.source_urls), measure.id
        assert any(is_primary(u, sector) for u in measure.source_urls) or (
            measure.id in reasons), measure.id
    hosts = " ".join(u for m in catalogue for u in m.source_urls)
    for gone in ("docplayer", "issuu", "knack.be", "demorgen", "tijd.be", "5dok"):
        assert gone not in hosts, gone


@pytest.mark.parametrize("url,sector,primary", [
    ("https://www.vlaanderen.be/werken/sectorconvenants", False, True),
    ("https://odin.vlaanderen.be/onderzoek", False, True),  # a subdomain counts
    ("https://www.vlaanderen.be.example.com/x", False, False),  # a look-alike does not
    ("https://notvlaanderen.be/x", False, False),
    ("https://www.constructiv.be/nl-BE/x", True, True),
    ("https://www.constructiv.be/nl-BE/x", False, False),  # a fund's site only for its entry
    ("http://docplayer.nl/1640295-x.html", False, False),
    ("not a url", False, False),
])
def test_primary_hosts(url, sector, primary):
    assert is_primary(url, sector) is primary


@pytest.mark.parametrize("text,phrase", [
    ("De rol moet nog in een bron bevestigd worden.", "moet nog"),
    ("Amounts and conditions have not been verified: check them.", "have not been verified"),
    ("Dat komt uit achtergrondkennis.", "achtergrondkennis"),
    ("This comes from background knowledge.", "background knowledge"),
    ("Bedragen zijn niet nagekeken.", "niet nagekeken"),
    ("TODO: link", "TODO"),
    ("Kijk de actuele voorwaarden na bij de VDAB.", None),
    ("Check the current conditions with VDAB.", None),
    ("Whether a round followed could not be checked in an official source.", None),
])
def test_internal_phrases(text, phrase):
    assert internal_phrase(text) == phrase
    assert INTERNAL_PHRASES  # one list, nl and en


@pytest.mark.parametrize("change,problem", [
    (lambda e: e.update(quote=""), "has no 'quote'"),
    (lambda e: e.update(url="https://www.acerta.be/nl/blog/kmo"), "is not a primary source"),
    (lambda e: e.update(source_date="2026-12-10", checked="2026-12-06"),
     "checked 2026-12-06 before the source's own date 2026-12-10"),
    (lambda e: e.update(checked="zes december"), "field 'checked' must be a date"),
])
def test_a_measures_evidence_is_refused_without_a_quote_from_a_secondary_host_or_stale(
        tmp_path, raw, change, problem):
    kmo = next(m for m in raw["measures"] if m["id"] == "kmo_portefeuille")
    change(kmo["evidence"][0])
    with pytest.raises(CatalogueError) as error:
        load_catalogue(write(tmp_path, raw))
    assert any("measure kmo_portefeuille: evidence 1" in p and problem in p
               for p in error.value.problems), error.value.problems


def test_a_secondary_quote_passes_only_with_its_reason_and_says_it_is_secondary(tmp_path, raw):
    kmo = next(m for m in raw["measures"] if m["id"] == "kmo_portefeuille")
    kmo["evidence"][0].update(url="https://www.acerta.be/nl/blog/kmo",
                              secondary_reason="VLAIO's page on the reform was taken offline.")
    found = next(m for m in load_catalogue(write(tmp_path, raw)) if m.id == "kmo_portefeuille")
    assert not found.evidence[0].primary and found.evidence[1].primary


def test_a_check_older_than_the_page_it_relies_on_is_refused(tmp_path, raw):
    """Issue 24: 'checked on 27/11' is worthless for a page changed (a reform) after it."""
    kmo = next(m for m in raw["measures"] if m["id"] == "kmo_portefeuille")
    kmo["evidence"][0].update(source_date="2026-02-01", checked="2026-12-06")
    kmo["last_checked"] = "2026-01-15"
    with pytest.raises(CatalogueError) as error:
        load_catalogue(write(tmp_path, raw))
    assert any("measure kmo_portefeuille: last_checked 2026-01-15 is older than the page of "
               "2026-02-01" in p for p in error.value.problems), error.value.problems
