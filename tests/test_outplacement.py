"""The outplacement check: which obligation and which support apply to one dismissal, with the
legal boundaries (age 44/45, notice 29/30 weeks, one year of service, 20/21 workers)."""

from datetime import date

import pytest

from assessment.catalogue import load_catalogue
from assessment.profile import Profile
from assessment.recommendations import DismissalCase, outplacement_check

TODAY = date(2026, 11, 22)
COMPANY = Profile(headcount=80, region="flanders", joint_committees=("111.01",))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def applies(catalogue, profile=COMPANY, **case):
    base = {"dismissal": "individual", "age": 40, "notice_weeks": 12, "seniority_years": 5,
            "employer": "private"}
    result = outplacement_check(DismissalCase(**{**base, **case}), profile, catalogue, TODAY)
    return {r.measure.id for r in result.fitting}, result


@pytest.mark.parametrize("age,notice,seniority,employer,expected", [
    (44, 29, 5, "private", set()),
    (45, 29, 5, "private", {"outplacement_45plus"}),
    (45, 29.5, 5, "private", {"outplacement_45plus"}),
    (45, 30, 5, "private", {"outplacement_general"}),
    (30, 30, 5, "private", {"outplacement_general"}),
    (30, 29, 5, "private", set()),
    (45, 29, 0.9, "private", set()),          # less than one year of service
    (45, 29, 1, "private", {"outplacement_45plus"}),
    (50, 20, 5, "public", set()),             # the 45+ regime is private sector only
    (50, 40, 5, "public", {"outplacement_general"}),
])
def test_individual_dismissal(catalogue, age, notice, seniority, employer, expected):
    fitting, _ = applies(catalogue, age=age, notice_weeks=notice, seniority_years=seniority,
                         employer=employer)
    assert fitting == expected


def test_the_reason_is_given_in_words(catalogue):
    _, result = applies(catalogue, age=44, notice_weeks=29)
    rec = next(r for r in result.not_fitting if r.measure.id == "outplacement_45plus")
    assert [m.text("en") for m in rec.reasons_not] == ["Only from age 45; the employee is 44."]
    general = next(r for r in result.not_fitting if r.measure.id == "outplacement_general")
    assert [m.text("nl") for m in general.reasons_not] == [
        "Pas bij een opzeg van minstens 30 weken; hier 29."]


@pytest.mark.parametrize("headcount,pcs,expected", [
    (20, ("111.01",), set()),
    (21, ("111.01",), {"outplacement_collective"}),
    (200, ("327.01",), set()),                # PC 327 is excluded
])
def test_collective_dismissal(catalogue, headcount, pcs, expected):
    profile = Profile(headcount=headcount, region="flanders", joint_committees=pcs)
    fitting, _ = applies(catalogue, profile, dismissal="collective", age=50, notice_weeks=40)
    assert fitting == expected


def test_urgent_reason_brings_no_duty(catalogue):
    fitting, result = applies(catalogue, age=50, notice_weeks=40, urgent_reason=True)
    assert "outplacement_general" not in fitting
    assert any("urgent reason" in m.text("en") for r in result.not_fitting
               for m in r.reasons_not)


@pytest.mark.parametrize("cannot_pay,not_offered,sif", [(False, False, False),
                                                        (True, False, True),
                                                        (False, True, True)])
def test_sociaal_interventiefonds(catalogue, cannot_pay, not_offered, sif):
    fitting, _ = applies(catalogue, age=50, employer_cannot_bear_cost=cannot_pay,
                         no_outplacement_offered=not_offered)
    assert ("sociaal_interventiefonds" in fitting) is sif


def test_cevora_takes_over_for_joint_committee_200(catalogue):
    profile = Profile(headcount=80, region="flanders", joint_committees=("200",))
    fitting, _ = applies(catalogue, profile, age=50, notice_weeks=20)
    assert {"outplacement_45plus", "cevora_outplacement"} <= fitting
