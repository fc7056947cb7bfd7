"""The employment cell's rule table as data: the shipped file loads with evidence on every
rule, and a rule without a quote, with a secondary source, with a check older than the source's
own date or with bands out of order is refused with its place."""

import copy

import pytest
import yaml

from assessment import collective_dismissal
from assessment.collective_dismissal import RULE_ORDER, RulesError, read_rules, rule


@pytest.fixture(scope="module")
def shipped():
    return yaml.safe_load(collective_dismissal.RULES_FILE.read_text(encoding="utf-8"))


def test_every_rule_has_primary_evidence(shipped):
    rules = read_rules(shipped)
    assert set(rules.evidence) == set(RULE_ORDER)
    assert all(rules.evidence[r] for r in RULE_ORDER)
    assert rules.excluded_joint_committees == ("225", "328")
    assert rules.disabled_exempt_joint_committees == ("327",)


def broken(shipped, change):
    raw = copy.deepcopy(shipped)
    change(raw["rules"])
    with pytest.raises(RulesError) as error:
        read_rules(raw)
    return "\n".join(error.value.problems)


def test_a_rule_without_a_quote_is_refused(shipped):
    def drop(rules):
        rules["excluded_joint_committees"]["evidence"][0]["quote"] = " "
    assert "rules.excluded_joint_committees: evidence 1: has no 'quote'" in broken(shipped, drop)


def test_a_rule_without_evidence_is_refused(shipped):
    def drop(rules):
        del rules["small_employer"]["evidence"]
    assert "rules.small_employer: needs 'evidence'" in broken(shipped, drop)


def test_a_secondary_source_is_refused(shipped):
    def provider(rules):
        rules["disabled_workers_pc327"]["evidence"][0]["url"] = \
            "https://www.wisl.be/outplacement-herstructurering"
    assert "https://www.wisl.be/outplacement-herstructurering is not a primary source" in \
        broken(shipped, provider)


def test_a_check_before_the_sources_own_date_is_refused(shipped):
    def stale(rules):
        rules["swt_reform"]["evidence"][0]["checked"] = "2025-01-01"
    assert "checked 2025-01-01 before the source's own date 2025-09-15" in broken(shipped, stale)


def test_bands_out_of_order_and_unknown_rules_are_refused(shipped):
    def disorder(rules):
        rules["thresholds"]["bands"].reverse()
        rules["brugpensioen"] = {}
    problems = broken(shipped, disorder)
    assert "'bands' must rise by max_headcount" in problems
    assert "rules.brugpensioen: unknown rule" in problems


def test_thresholds_round_a_share_up():
    restructuring = collective_dismissal.Restructuring
    assert rule(restructuring(101, 10, ("200",))).applies is False  # 10% of 101 is 10.1
    assert rule(restructuring(101, 11, ("200",))).applies is True
