"""The questionnaire file: the shipped one is valid, a broken one is refused with every problem
and its place."""

import shutil

import pytest
import yaml

from assessment.questionnaire import (
    INDICATORS,
    RISK_FACTORS,
    QuestionnaireError,
    load_questionnaire,
    questionnaire_path,
)


def test_shipped_questionnaire_is_complete(questionnaire):
    assert (questionnaire.id, questionnaire.version) == ("employee", 1)
    assert [s.id for s in questionnaire.indicators] == list(INDICATORS)
    assert [s.id for s in questionnaire.risk_factors] == list(RISK_FACTORS)
    assert 30 <= len(questionnaire.items) <= 40
    for scale in questionnaire.scales:
        items = questionnaire.items_of(scale.id)
        assert len(items) >= 3, scale.id
        assert any(i.reverse for i in items), f"{scale.id} has no reverse-keyed item"
        assert scale.cutoffs.provisional
    assert {q.id for q in questionnaire.background} == {"department", "age_band", "contract_type"}
    assert questionnaire.open_question.max_chars > 0


def test_every_text_exists_in_both_languages(questionnaire):
    texts = [questionnaire.title, questionnaire.intro, questionnaire.open_question.label]
    texts += [i.text for i in questionnaire.items] + [s.label for s in questionnaire.scales]
    texts += [s.title for s in questionnaire.sections]
    for text in texts:
        assert text("nl").strip() and text("en").strip()
        assert text("nl") != text("en") or text("nl") == "Werkbaar"


def test_intro_is_honest_about_the_links(questionnaire):
    """The employer makes links and slips and could answer some itself, never sees the links
    sent by e-mail but chooses their addresses: the introduction says so, names the thresholds
    the rules apply, and no longer promises more than holds."""
    from assessment.confidentiality import MIN_GROUP, MIN_OPEN_ANSWERS

    nl, en = questionnaire.intro("nl"), questionnaire.intro("en")
    assert "Links en strookjes maakt je werkgever zelf" in nl
    assert "Your employer makes links and slips itself" in en
    assert "je werkgever ziet ze niet" in nl and "your employer never sees them" in en
    # ... but e-mail does not close the gap: the employer chooses the addresses (issue 28)
    assert "kiest wel naar welke adressen ze gaan" in nl
    assert "your employer chooses the addresses they go to" in en
    assert "adressen opgeven die hij zelf leest" in nl and "addresses it reads itself" in en
    assert "niet gekoppeld aan je antwoorden" in nl and "not connected to your answers" in en
    assert f"minstens {MIN_GROUP} deelnemers" in nl and f"at least {MIN_GROUP} respondents" in en
    assert f"vanaf {MIN_OPEN_ANSWERS} deelnemers" in nl
    assert f"from {MIN_OPEN_ANSWERS} respondents" in en
    assert "niet verhinderen dat die er zelf invult" in nl
    assert "cannot stop it from answering with them" in en
    assert "niet verplicht" in nl and "optional" in en
    assert "niemand in je organisatie" not in nl and "no one in your organisation" not in en
    assert "\n" not in nl + en  # one paragraph: the browser tests find it as one text


@pytest.fixture
def raw():
    return yaml.safe_load(questionnaire_path().read_text(encoding="utf-8"))


def write(tmp_path, data):
    path = tmp_path / "employee-v9.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_broken_file_lists_every_problem_with_its_place(tmp_path, raw):
    items = raw["sections"][0]["items"]
    items[0]["scale"] = "stress"                      # unknown scale
    items[1]["text"] = {"en": "English only"}         # the Dutch source missing
    items[2]["reverse"] = "ja"                        # not a boolean
    items[3]["id"] = items[4]["id"]                   # duplicate id
    raw["scales"][0]["cutoffs"] = {"knelpunt": 80, "acuut": 60, "provisional": True}
    raw["scales"][1]["cutoffs"]["knelpunt"] = 140
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(write(tmp_path, raw))
    problems = caught.value.problems
    text = "\n".join(problems)
    assert all(p.startswith("employee-v9.yaml: ") for p in problems)
    assert f"item {items[0]['id']}: field 'scale': 'stress' is not a scale" in text
    assert f"item {items[1]['id']}: field 'text' has no 'nl' text" in text
    assert f"item {items[2]['id']}: field 'reverse' must be true or false" in text
    assert f"item {items[4]['id']}: id is used more than once" in text
    assert "scale werkstress: cutoffs: 'acuut' must lie above 'knelpunt'" in text
    assert "scale motivatie: cutoffs: field 'knelpunt' must be a number from 0 to 100" in text
    assert len(problems) == 6


def test_missing_scale_and_items_without_scale(tmp_path, raw):
    raw["scales"] = [s for s in raw["scales"] if s["id"] != "autonomie"]
    with pytest.raises(QuestionnaireError, match="missing scales: autonomie"):
        load_questionnaire(write(tmp_path, raw))


@pytest.mark.parametrize("content,expected", [
    ("id: employee\nversion: [1\n", "not valid YAML"),
    ("- just\n- a list\n", "expected a mapping of fields"),
    ("", "expected a mapping of fields"),
])
def test_not_a_questionnaire(tmp_path, content, expected):
    path = tmp_path / "q.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=expected):
        load_questionnaire(path)


def test_missing_file(tmp_path):
    with pytest.raises(QuestionnaireError, match="cannot be read"):
        load_questionnaire(tmp_path / "nope.yaml")


def test_a_copy_of_the_shipped_file_loads(tmp_path):
    target = tmp_path / "copy.yaml"
    shutil.copy(questionnaire_path(), target)
    assert len(load_questionnaire(target).items) == 34
