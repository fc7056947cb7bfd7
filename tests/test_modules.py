"""Optional questionnaire modules: the shipped ones load, say every text in nl, en and fr, and
ask nothing the employee questionnaire already asks under the same id; a broken module file is
refused with every problem and its place."""

from __future__ import annotations

import copy

import pytest
import yaml

from assessment import i18n
from assessment.datafile import texts_in
from assessment.modules import (
    MAX_ITEMS,
    MODULE_DIR,
    ModuleError,
    available_modules,
    load_module,
    module,
)
from assessment.provenance import is_primary
from assessment.questionnaire import POINTS, load_employee_questionnaire

PSYCHOSOCIAL = MODULE_DIR / "psychosocial-v1.yaml"
LEGAL_DOMAINS = ["arbeidsorganisatie", "arbeidsinhoud", "arbeidsvoorwaarden",
                 "arbeidsomstandigheden", "interpersoonlijke_relaties"]


def raw_psychosocial() -> dict:
    return yaml.safe_load(PSYCHOSOCIAL.read_text(encoding="utf-8"))


def problems_of(tmp_path, raw: dict, name: str = "psychosocial-v1.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ModuleError) as caught:
        load_module(path)
    return caught.value.problems


def item(raw: dict, item_id: str) -> dict:
    return next(i for d in raw["domains"] for i in d["items"] if i["id"] == item_id)


def test_shipped_modules_load():
    modules = available_modules()
    assert set(modules) == {("psychosocial", 1), ("care", 1)}
    psychosocial, care = modules[("psychosocial", 1)], modules[("care", 1)]
    assert [d.id for d in psychosocial.domains] == LEGAL_DOMAINS
    assert all(2 <= len(d.items) <= 3 for d in psychosocial.domains[:4])
    assert len(psychosocial.items) <= MAX_ITEMS and psychosocial.sectors == ()
    assert care.sectors == ("Q",) and 4 <= len(care.items) <= 6
    for loaded in modules.values():
        assert loaded.evidence and all(is_primary(e.url) for e in loaded.evidence)
        assert all(item.domain == d.id for d in loaded.domains for item in d.items)
    assert module("care", 1) is care


def test_unknown_module_is_a_key_error():
    with pytest.raises(KeyError):
        module("psychosocial", 2)


def test_every_text_exists_in_every_language():
    """Dutch in the file, the other languages in their catalogues (as the questionnaire's:
    a language added later is one catalogue file): a missing one would show the Dutch text to
    an English or French reader."""
    for loaded in available_modules().values():
        texts = texts_in(loaded)
        assert len(texts) == 4 + 2 * len(loaded.domains) + len(loaded.items) + POINTS * len(
            loaded.answer_scales)  # title, intro, purpose, scoring; every label and item
        for text in texts:
            assert dict(text.inline)["nl"].strip(), (loaded.id, text.key)
            for lang in i18n.LANGUAGES[1:]:
                assert i18n.catalogue(lang)[text.key].strip(), (loaded.id, text.key, lang)
                assert text(lang) == i18n.catalogue(lang)[text.key]
            assert text("nl") != text("fr"), (loaded.id, text.key)


def test_item_ids_are_unique_and_problem_from_lies_on_the_scale():
    employee = {i.id for i in load_employee_questionnaire().items}
    seen: set[str] = set()
    for loaded in available_modules().values():
        for item_ in loaded.items:
            assert item_.id not in employee and item_.id not in seen, item_.id
            seen.add(item_.id)
            assert item_.answer_scale in loaded.answer_scales
            assert 2 <= item_.problem_from <= POINTS  # "Never" never counts as reported


def test_the_interpersonal_domain_asks_about_colleagues_and_third_parties():
    texts = [i.text("nl") for i in module("psychosocial", 1).domains[-1].items]
    assert sum("collega" in t for t in texts) == 3
    assert sum("buiten de organisatie" in t for t in texts) == 3
    assert all("12 maanden" in t for t in texts)


def drop_language(raw):
    """A new question: Dutch only, no catalogue entry yet."""
    raw["domains"][2]["items"].append(dict(copy.deepcopy(item(raw, "ps_ao1")), id="ps_new1"))


def drop_title_language(raw):
    """A title given inline in English, but empty."""
    raw["title"]["en"] = " "


def problem_from_above(raw):
    item(raw, "ps_ir1")["problem_from"] = POINTS + 1


def problem_from_zero(raw):
    item(raw, "ps_ir1")["problem_from"] = 0


def problem_from_flag(raw):
    item(raw, "ps_ir1")["problem_from"] = True


def duplicate_id(raw):
    item(raw, "ps_ai1")["id"] = "ps_ao1"


def employee_id(raw):
    item(raw, "ps_ao2")["id"] = "ws1"


def unknown_scale(raw):
    item(raw, "ps_ao1")["answer_scale"] = "agreement"


def empty_domain(raw):
    raw["domains"][1]["items"] = []


def no_evidence(raw):
    del raw["evidence"]


def evidence_without_quote(raw):
    raw["evidence"][0]["quote"] = ""


def evidence_on_a_blog(raw):
    raw["evidence"][0]["url"] = "https://www.example.com/psychosociale-risicos"


def short_labels(raw):
    raw["answer_scales"]["conditions"]["labels"]["fr"] = ["Jamais", "Parfois", "Souvent",
                                                          "Toujours"]


def editor_note(raw):
    item(raw, "ps_av1")["text"]["en"] = "TODO translate"


def unknown_sector(raw):
    raw["sectors"] = ["Z"]


def too_many_items(raw):
    raw["domains"][0]["items"].append(dict(copy.deepcopy(item(raw, "ps_ao1")), id="ps_ao9"))


BROKEN = [
    (drop_language, "item ps_new1: field 'text' has no 'fr' text"),
    (drop_title_language, "file: field 'title' has no 'en' text"),
    (problem_from_above, "item ps_ir1: field 'problem_from' must be a point of the answer scale"),
    (problem_from_zero, "item ps_ir1: field 'problem_from' must be a point of the answer scale"),
    (problem_from_flag, "item ps_ir1: field 'problem_from' must be a point of the answer scale"),
    (duplicate_id, "item ps_ao1: id is used more than once"),
    (employee_id, "item ws1: id is already an item of the employee questionnaire"),
    (unknown_scale, "item ps_ao1: field 'answer_scale': 'agreement' is not an answer scale"),
    (empty_domain, "domain arbeidsinhoud: has no items"),
    (no_evidence, "file: needs 'evidence'"),
    (evidence_without_quote, "file: evidence 1: has no 'quote'"),
    (evidence_on_a_blog, "file: evidence 1: https://www.example.com/psychosociale-risicos is not "
                         "a primary source"),
    (short_labels, "answer scale conditions: 'labels.fr' must list exactly 5 answer labels"),
    (editor_note, "item ps_av1: field 'text' (en) reads like an editor's note"),
    (unknown_sector, "file: field 'sectors': 'Z' is not a NACE section"),
    (too_many_items, f"domains: 15 items; a module asks at most {MAX_ITEMS}"),
]


@pytest.mark.parametrize(("break_it", "expected"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_a_broken_module_names_the_problem_and_its_place(tmp_path, break_it, expected):
    raw = raw_psychosocial()
    break_it(raw)
    problems = problems_of(tmp_path, raw)
    assert any(p.startswith(f"psychosocial-v1.yaml: {expected}") for p in problems), problems


def test_every_problem_is_listed_in_one_pass(tmp_path):
    raw = raw_psychosocial()
    for break_it in (drop_language, problem_from_above, employee_id, empty_domain):
        break_it(raw)
    problems = problems_of(tmp_path, raw)
    for expected in ("item ps_new1: field 'text' has no 'fr'", "item ps_ir1: field 'problem_from'",
                     "item ws1: id is already", "domain arbeidsinhoud: has no items"):
        assert any(expected in p for p in problems), (expected, problems)


def test_the_file_name_must_be_its_id_and_version(tmp_path):
    problems = problems_of(tmp_path, raw_psychosocial(), name="psychosocial-v2.yaml")
    assert problems[0] == ("psychosocial-v2.yaml: file: the file must be called "
                           "'psychosocial-v1.yaml' after its id and version")
    assert all("has no 'en' text" in p or "has no 'fr' text" in p for p in problems[1:])


def inline_everywhere(node) -> None:
    """Give every Dutch text of a raw module inline in the other languages too."""
    if isinstance(node, dict):
        if "nl" in node:
            node.update({lang: copy.deepcopy(node["nl"]) for lang in i18n.LANGUAGES[1:]})
        for value in node.values():
            inline_everywhere(value)
    elif isinstance(node, list):
        for value in node:
            inline_everywhere(value)


def test_two_modules_cannot_share_an_item_id(tmp_path):
    first = raw_psychosocial()
    second = dict(copy.deepcopy(first), id="other")
    second["domains"] = [second["domains"][0]]  # asks ps_ao1 and ps_ao2 again
    inline_everywhere(second)  # a new module gives its texts inline until it has keys
    for raw, name in ((first, "psychosocial-v1.yaml"), (second, "other-v1.yaml")):
        (tmp_path / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ModuleError) as caught:
        available_modules(tmp_path)
    assert sorted(caught.value.problems) == [
        f"psychosocial-v1.yaml: item {i}: id is also an item of module other"
        for i in ("ps_ao1", "ps_ao2")]
