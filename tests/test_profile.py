"""The organisation profile: enterprise number check digits, size class with its rule, amounts
as typed, validation of every field."""

import pytest

from assessment.errors import InputError
from assessment.i18n import t
from assessment.profile import (
    Profile,
    enterprise_number_valid,
    load_profile,
    nace_2025_section,
    normalise_enterprise_number,
    parse_amount,
    parse_joint_committees,
    save_profile,
    size_class,
)
from tests.context import on


@pytest.mark.parametrize("number,valid", [
    ("0403.170.701", True),      # 97 - 4031707 mod 97 = 1
    ("BE 0403 170 701", True),
    ("be0403170701", True),
    ("0403.170.702", False),     # wrong check digits
    ("1234.567.890", False),
    ("2403.170.701", False),     # must start with 0 or 1
    ("0403.170.70", False),      # 9 digits
    ("0403.170.7011", False),
    ("04O3.170.701", False),     # letter O
    ("", False),
])
def test_enterprise_number_check_digits(number, valid):
    assert enterprise_number_valid(number) is valid


def test_check_digit_arithmetic_by_hand():
    # 0403170701: first eight digits 04031707; 4031707 mod 97 = 96; 97 - 96 = 1 -> "01"
    assert 4031707 % 97 == 96
    assert normalise_enterprise_number("BE.0403-170/701") == "0403170701"


@pytest.mark.parametrize("headcount,turnover,balance,expected", [
    (9, None, None, "micro"),
    (10, None, None, "small"),
    (49, None, None, "small"),
    (50, None, None, "medium"),
    (249, None, None, "medium"),
    (250, None, None, "large"),
    (9, 2_000_000, None, "micro"),
    (9, 2_000_001, 2_000_001, "small"),        # both financial ceilings exceeded
    (9, 2_000_001, 1_000_000, "micro"),        # turnover OR balance sheet suffices
    (49, 10_000_000, None, "small"),
    (49, 10_000_001, None, "medium"),
    (200, 50_000_000, 60_000_000, "medium"),
    (200, 60_000_000, 43_000_000, "medium"),
    (200, 60_000_000, 44_000_000, "large"),
])
def test_eu_size_class_boundaries(headcount, turnover, balance, expected):
    assert size_class(headcount, turnover, balance).code == expected


def test_size_class_explains_its_rule():
    rule = size_class(49, None, None)
    assert t(rule.rule_key, "en", **rule.params) == (
        "fewer than 50 employees (49); turnover and balance-sheet total are not filled in "
        "and so not checked (EU definition)")
    large = size_class(300, 1, 1)
    assert t(large.rule_key, "nl", **large.params) == "300 medewerkers: 250 of meer (EU-definitie)"


@pytest.mark.parametrize("text,amount", [
    ("1.250.000", 1_250_000), ("1 250 000", 1_250_000), ("€ 1250000", 1_250_000),
    ("1250000,00", 1_250_000), ("1.5 mio", 1_500_000), ("2,5 mio", 2_500_000),
    ("12,5k", 12_500), ("", None), ("  ", None), ("0", 0),
])
def test_amounts_as_typed(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["abc", "1,2,3", "-5", "12 apples", "1..000", "€"])
def test_amounts_in_the_wrong_format(text):
    if text == "€":
        assert parse_amount(text) is None
        return
    with pytest.raises(ValueError):
        parse_amount(text)


def test_joint_committees():
    assert parse_joint_committees("200, 124;111.01 124") == (["111.01", "124", "200"], [])
    assert parse_joint_committees("PC200 12") == ([], ["PC200", "12"])


@pytest.mark.parametrize("division,section", [("62", "K"), ("86", "R"), ("10", "C"),
                                              ("45", None), ("99", "V"), ("6", None)])
def test_nace_2025_sections(division, section):
    assert nace_2025_section(division) == section


def test_save_and_load_profile(db, org_id):
    saved = save_profile(on(db), org_id, Profile(
        enterprise_number="BE 0403.170.701", nace_version="2008", nace_division="86",
        joint_committees=("330",), headcount=120, fte=98.5, turnover_eur=9_000_000,
        legal_form="vzw", region="flanders", social_profit=True))
    assert saved.enterprise_number == "0403170701"
    loaded = load_profile(on(db), org_id)
    assert loaded == saved
    from assessment.organisations import get_organisation
    assert get_organisation(on(db), org_id).nace_section == "Q"  # derived from division


@pytest.mark.parametrize("changes,field,key", [
    ({"enterprise_number": "0403.170.702"}, "enterprise_number", "error.enterprise_number"),
    ({"headcount": -3}, "headcount", "error.headcount"),
    ({"headcount": 0}, "headcount", "error.headcount"),
    ({"fte": 0}, "fte", "error.fte"),
    ({"fte": 60.0}, "fte", "error.fte"),           # more FTE than people
    ({"turnover_eur": -1}, "turnover_eur", "error.amount"),
    ({"legal_form": "llc"}, "legal_form", "error.legal_form"),
    ({"region": "holland"}, "region", "error.region"),
    ({"nace_version": "2025", "nace_division": "45"}, "nace_division", "error.nace_code"),
    ({"nace_division": "04"}, "nace_division", "error.nace_code"),  # no division 04
])
def test_bad_profile_is_refused_and_nothing_changes(db, org_id, changes, field, key):
    good = Profile(headcount=50, nace_division="10")
    save_profile(on(db), org_id, good)
    with pytest.raises(InputError) as caught:
        save_profile(on(db), org_id, Profile(**{**good.__dict__, **changes}))
    assert [(p.field, p.key) for p in caught.value.problems] == [(field, key)]
    assert load_profile(on(db), org_id) == good


def test_bad_joint_committee_text_is_reported(db, org_id):
    with pytest.raises(InputError, match="error.joint_committee"):
        save_profile(on(db), org_id, Profile(headcount=5), ["PC 200"])
