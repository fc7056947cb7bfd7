"""The outplacement check: which obligation and which support apply to one dismissal, with the
legal boundaries (age 44/45, notice 29/30 weeks, one year of service), and the collective
dismissal's rule table (joint committee, size, SWT at a reduced age, PC 327)."""

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


# Collective dismissal: the employment cell's rule table (data/collective_dismissal.yaml), cases
# taken from herstructureringen.be's own sentences. (headcount, dismissed, joint committees,
# SWT at a reduced age, only workers with a disability) -> applies, the deciding reason's key.
COLLECTIVE = [
    (150, 20, ("225",), False, False, False, "cd.excluded_pc"),
    (400, 50, ("328.01",), False, False, False, "cd.excluded_pc"),  # sub-committee: our reading
    (400, 50, ("328",), True, False, False, "cd.excluded_pc"),
    (200, 25, ("327.01",), False, False, True, "cd.collective"),  # workers without a disability
    (120, 15, ("327",), False, True, False, "cd.pc327_disabled"),
    (150, 12, ("327",), False, False, False, "cd.not_collective"),  # 8%, below 10%
    (50, 10, ("200",), False, False, True, "cd.collective"),
    (50, 9, ("200",), False, False, False, "cd.not_collective"),
    (150, 15, ("111.01",), False, False, True, "cd.collective"),  # exactly 10%
    (150, 14, ("111.01",), False, False, False, "cd.not_collective"),
    (1000, 40, ("209",), False, False, False, "cd.not_collective"),  # CAO 24's 30 do not count
    (300, 30, ("209",), False, False, True, "cd.collective"),
    (21, 10, ("124",), False, False, True, "cd.collective"),
    (20, 6, ("124",), False, False, False, "cd.small_no_swt"),
    (15, 6, ("200",), False, False, False, "cd.small_no_swt"),
    (15, 6, ("200",), True, False, True, "cd.collective"),  # SWT at a reduced age: it applies
    (18, 5, ("200",), True, False, False, "cd.not_collective"),  # 12-20 workers: from 6
    (10, 5, ("200",), True, False, True, "cd.collective"),  # half of at most 11
    (11, 5, ("200",), True, False, False, "cd.not_collective"),  # half of 11 is 6, rounded up
    (10, 4, ("200",), True, False, False, "cd.not_collective"),
]


@pytest.mark.parametrize("headcount,dismissed,pcs,swt,disabled,expected,reason", COLLECTIVE)
def test_collective_dismissal_rule_table(catalogue, headcount, dismissed, pcs, swt, disabled,
                                         expected, reason):
    profile = Profile(headcount=headcount, region="flanders", joint_committees=pcs)
    fitting, result = applies(catalogue, profile, dismissal="collective", age=50,
                              notice_weeks=40, dismissed_count=dismissed, reduced_age_swt=swt,
                              disabled_only=disabled)
    assert ("outplacement_collective" in fitting) is expected
    rec = next(r for r in result.fitting + result.not_fitting
               if r.measure.id == "outplacement_collective")
    decided = [c for c in rec.conditions if c.message.key.startswith("cd.")]
    assert decided[0].message.key == reason and decided[0].evidence  # with its quote
    assert all(e.quote and e.url.startswith("https://") for e in decided[0].evidence)
    assert all(c.met is expected for c in decided)


def test_the_users_read_what_decided_and_what_is_our_reading(catalogue):
    def said(pcs, lang="en", **case):
        profile = Profile(headcount=400, region="flanders", joint_committees=pcs)
        _, result = applies(catalogue, profile, dismissal="collective", age=50,
                            notice_weeks=40, **{"dismissed_count": 50, **case})
        rec = next(r for r in result.fitting + result.not_fitting
                   if r.measure.id == "outplacement_collective")
        return " ".join(c.message.text(lang) for c in rec.conditions)

    assert "does not apply to employers of joint committee 225" in said(("225",))
    assert "sub-committee 328.01 falls under it too is our reading" in said(("328.01",))
    assert "for workers with a disability it is voluntary" in said(("327",))
    swt = said(("200",), lang="nl", dismissed_count=6, reduced_age_swt=True)
    assert "geldt de verplichting toch" not in swt  # 400 workers: not a small employer
    unknown = said((), dismissed_count=None)
    assert "Fill in the number of workers" in unknown and "Fill in the joint committee" in unknown


def test_a_small_firm_using_swt_at_a_reduced_age_is_told_it_applies_and_that_swt_is_going(
        catalogue):
    profile = Profile(headcount=15, region="flanders", joint_committees=("200",))
    fitting, result = applies(catalogue, profile, dismissal="collective", age=58,
                              notice_weeks=40, dismissed_count=6, reduced_age_swt=True)
    rec = next(r for r in result.fitting if r.measure.id == "outplacement_collective")
    keys = [c.message.key for c in rec.conditions]
    assert keys[keys.index("cd.small_swt") + 1] == "cd.swt_reform"
    assert any("onem.be" in e.url for e in rec.conditions[keys.index("cd.collective")].evidence)


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
