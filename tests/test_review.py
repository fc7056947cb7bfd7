"""The review queue: facts whose check is older than six months, whose call ends within 60
days, or whose source is dated after the check; through the domain, the command and the page."""

import dataclasses
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from assessment import collective_dismissal, review
from assessment.catalogue import load_catalogue
from assessment.evidence import Evidence

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 12, 6)


def measure(**changes):
    kmo = next(m for m in load_catalogue() if m.id == "kmo_portefeuille")
    return dataclasses.replace(kmo, **changes)


def reasons(measures, today=DAY):
    return [(d.subject, d.reason, d.on)
            for d in review.due(tuple(measures), collective_dismissal.load_rules(), today)]


def test_a_check_older_than_six_months_is_due():
    fresh, old = DAY - timedelta(days=182), DAY - timedelta(days=183)
    assert reasons([measure(last_checked=fresh)]) == []
    assert reasons([measure(last_checked=old)]) == [("kmo_portefeuille", "old_check", old)]


def test_a_call_ending_within_60_days_is_due_and_a_newer_source_too():
    ends = DAY + timedelta(days=60)
    assert reasons([measure(valid_to=ends)]) == [("kmo_portefeuille", "ends_soon", ends)]
    assert reasons([measure(valid_to=ends + timedelta(days=1))]) == []
    changed = date(2026, 12, 10)
    page = Evidence("https://www.vlaio.be/x", "Vanaf 1 januari 2027 ...", changed, changed)
    assert reasons([measure(evidence=(page,))]) == [("kmo_portefeuille", "source_newer",
                                                      changed)]


def test_the_rules_quotes_age_too():
    later = DAY + timedelta(days=400)
    subjects = {s for s, r, _ in reasons([], later) if r == "old_check"}
    assert subjects == set(collective_dismissal.RULE_ORDER)


def test_the_command_lists_the_queue():
    out = subprocess.run([sys.executable, "-m", "assessment.cli", "check", "--due"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    queue = review.due(load_catalogue(), collective_dismissal.load_rules(), date.today())
    assert out.count("\ndue: ") + out.startswith("due: ") == len(queue)
    assert ("no fact due for review" in out) is (not queue)

