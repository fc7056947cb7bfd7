"""The self-assessment page: answer section by section, stop, come back in a new session and
continue; the completed view shows practices and the perception gap."""

from assessment.self_assessment import latest_result, load_draft, load_employer_questionnaire
from tests.context import on

Q = load_employer_questionnaire()


def press(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def answer(at, estimate="25_50", practice=2):
    """Answer the section on screen: its items are found by their question text."""
    section = next(s for s in Q.sections if s.title("nl") == at.subheader[0].value)
    for radio, item in zip(at.radio, section.items, strict=True):
        radio.set_value(estimate if item.kind == "estimate" else practice)
    return at


def test_save_and_resume_in_a_new_session(app, db, org_id):
    at = app("app_pages/self_assessment.py")
    assert at.subheader[0].value == Q.sections[0].title("nl")
    press(answer(at), "Volgende")
    assert at.subheader[0].value == Q.sections[1].title("nl")
    assert load_draft(on(db), org_id).step == 1

    again = app("app_pages/self_assessment.py")  # the browser was closed: a new session
    assert "Je gaat verder waar je was gebleven" in again.info[0].value
    assert again.subheader[0].value == Q.sections[1].title("nl")
    press(answer(again), "Bewaren en later verdergaan")
    assert again.success[0].value.startswith("Bewaard.")
    for _ in Q.sections[1:-1]:  # the saved step was section 2 again
        press(answer(app("app_pages/self_assessment.py")), "Volgende")
    last = app("app_pages/self_assessment.py")
    press(answer(last), "Afronden")
    assert "Je zelfevaluatie is afgerond" in last.success[0].value
    result = latest_result(on(db), org_id, Q)
    assert result.estimates["werkstress"] == 37.5 and set(result.practices) == {
        a.id for a in Q.practice_areas}
    assert "nog geen bevraging met genoeg antwoorden" in last.info[0].value


def test_perception_gap_with_demo_data(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/self_assessment.py")
    assert "Je zelfevaluatie is afgerond" in at.success[0].value
    assert len(at.progress) == 5  # one bar per practice area
    assert at.dataframe[0].value.shape[0] == 10
    assert any("procentpunten" in w.value for w in at.warning)


def test_dates_shares_and_differences_are_written_per_language(demo_page, demo, db):
    """Through assessment.formatting: the day as dd/mm/yyyy, shares with a % sign, a signed
    difference with a real minus sign (U+2212), never a hand-written format."""
    from assessment import formatting
    from assessment.gaps import latest_shown_round
    from assessment.perception import perception_gaps
    from assessment.questionnaire import load_employee_questionnaire

    org = demo["Zorggroep Scheldeland"]
    done = latest_result(on(db), org.id, Q)
    _, results = latest_shown_round(on(db), org)
    gaps = perception_gaps(done.estimates, results)
    labels = {s.id: s.label("en") for s in load_employee_questionnaire().scales}
    at = demo_page("Zorggroep Scheldeland", "app_pages/self_assessment.py", lang="en")
    assert formatting.day(done.completed_on, "en") in at.success[0].value
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [labels[g.scale_id] for g in gaps]
    assert list(table.iloc[:, 1]) == [formatting.percent(g.estimate, "en") for g in gaps]
    assert list(table.iloc[:, 2]) == [formatting.percent(g.actual, "en") for g in gaps]
    assert list(table.iloc[:, 3]) == [formatting.difference(g.difference, "en", unit="")
                                      for g in gaps]
    assert any(value.startswith("−") for value in table.iloc[:, 3])  # U+2212, not "-"
