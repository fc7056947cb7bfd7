"""The employer self-assessment: the shipped file, scoring, save and resume, and the
perception gap beside the employees' results."""

import pytest
import yaml

from assessment.errors import InputError
from assessment.perception import noteworthy, perception_gaps
from assessment.questionnaire import QUESTIONNAIRE_DIR, QuestionnaireError
from assessment.results import RoundResults, ScaleFigures
from assessment.self_assessment import (
    PRACTICE_AREAS,
    latest_result,
    load_draft,
    load_employer_questionnaire,
    save_draft,
    score,
)
from tests.context import on

from .conftest import TODAY


@pytest.fixture(scope="module")
def employer_q():
    return load_employer_questionnaire()


def test_shipped_self_assessment(employer_q):
    assert len(employer_q.items) <= 40
    estimates = [i for i in employer_q.items if i.kind == "estimate"]
    assert len(estimates) == 10
    assert [a.id for a in employer_q.practice_areas] == list(PRACTICE_AREAS)
    for item in employer_q.items:
        assert item.text("nl") and item.text("en")


def test_scoring_by_hand(employer_q):
    area = [i for i in employer_q.items if i.target == "work_life"]
    answers = {"es_werkstress": "25_50", "es_motivatie": "unknown"}
    # answer every work-life item "agree" (4): 75, or 25 where reverse-keyed
    answers.update({i.id: 4 for i in area})
    expected = sum(25 if i.reverse else 75 for i in area) / len(area)
    result = score(employer_q, answers)
    assert result.estimates == {"werkstress": 37.5}  # "don't know" is left out
    assert result.practices == {"work_life": pytest.approx(expected)}


def test_save_and_resume_after_the_browser_closed(db, org_id, employer_q):
    first = [i.id for i in employer_q.sections[0].items]
    save_draft(on(db), org_id, employer_q, {first[0]: "lt10"}, step=1, today=TODAY)
    save_draft(on(db), org_id, employer_q, {first[0]: "lt10", first[1]: "gt50"}, step=2,
               today=TODAY)
    draft = load_draft(on(db), org_id)  # a new connection, as after a restart
    assert draft.answers == {first[0]: "lt10", first[1]: "gt50"} and draft.step == 2
    assert latest_result(on(db), org_id, employer_q) is None
    save_draft(on(db), org_id, employer_q, draft.answers, step=7, complete=True, today=TODAY)
    assert load_draft(on(db), org_id) is None
    assert latest_result(on(db), org_id, employer_q).completed_on == TODAY


def test_bad_answers_keep_the_stored_draft(db, org_id, employer_q):
    item = employer_q.sections[0].items[0].id
    save_draft(on(db), org_id, employer_q, {item: "lt10"}, step=1)
    for bad in ({item: "most"}, {"zz9": 3}):
        with pytest.raises(InputError):
            save_draft(on(db), org_id, employer_q, bad, step=2)
    assert load_draft(on(db), org_id).answers == {item: "lt10"}


def test_broken_self_assessment_file(tmp_path):
    raw = yaml.safe_load((QUESTIONNAIRE_DIR / "employer-v1.yaml").read_text(encoding="utf-8"))
    raw["sections"][0]["items"].pop()  # one scale loses its estimate
    raw["sections"][1]["items"][0]["area"] = "fun"
    path = tmp_path / "employer-v1.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_employer_questionnaire(path)
    text = "\n".join(caught.value.problems)
    assert "needs exactly one estimate item" in text
    assert "field 'area': 'fun' is not a practice area" in text


def results_with(**shares):
    return RoundResults(1, 20, 20, 5, 100.0, True, 50.0, {
        scale: ScaleFigures(scale, 20, 50, share, 0) for scale, share in shares.items()})


def test_perception_gap_names_the_largest_differences():
    gaps = perception_gaps({"werkstress": 5, "motivatie": 37.5, "autonomie": 17.5},
                           results_with(werkstress=35, motivatie=10, autonomie=20))
    assert [g.scale_id for g in gaps] == ["werkstress", "motivatie", "autonomie"]
    named = noteworthy(gaps)
    assert [g.scale_id for g in named] == ["werkstress", "motivatie"]  # autonomie: 2.5 points
    assert named[0].describe("Werkstress").text("en") == (
        "Werkstress: you estimated 5%, but 35% of your employees report a problem — "
        "30 percentage points more than you thought.")
    assert "28 procentpunten minder" in named[1].describe("Motivatie").text("nl")


def test_perception_gap_needs_shown_employee_figures():
    assert perception_gaps({"werkstress": 5}, results_with()) == []
