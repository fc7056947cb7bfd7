"""Joint committee names: a sector fund sees its committee's name, not only its number."""

import pytest

from assessment import demo, joint_committees
from assessment.joint_committees import JointCommitteeError, load_names, name


def test_names_in_both_languages():
    assert name("330", "nl") == "Gezondheidsinrichtingen en -diensten"
    assert name("330", "en") == "Health establishments and services"


def test_a_sub_committee_is_named_after_its_main_committee():
    assert name("318.02", "nl") == "Diensten voor gezins- en bejaardenhulp (subcomité)"
    assert name("318.02", "en") == "Family and elderly care services (sub-committee)"


def test_an_unknown_committee_has_no_name():
    assert name("999", "nl") is None


def test_every_committee_of_the_demo_has_a_name():
    used = {jc for org in demo.ORGANISATIONS for jc in org.facts.get("joint_committees", ())}
    assert used and all(name(jc, lang) for jc in used for lang in ("nl", "en"))


def test_a_broken_file_lists_every_bad_row(tmp_path):
    broken = tmp_path / "joint_committees.csv"
    broken.write_text("code,name_nl\n330,Zorg\n330,Zorg\n31,x\n124,\n", encoding="utf-8")
    with pytest.raises(JointCommitteeError) as error:
        load_names(broken)
    assert error.value.problems == [
        "joint_committees.csv: line 3: code 330 is listed twice",
        "joint_committees.csv: line 4: '31' is not a main joint committee (three digits)",
        "joint_committees.csv: line 5: empty name_nl",
    ]


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(JointCommitteeError, match="cannot be read"):
        load_names(tmp_path / "none.csv")
    assert joint_committees.JOINT_COMMITTEE_FILE.exists()
