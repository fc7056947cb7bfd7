"""The product's dates are Brussels dates whatever zone the machine is in (assessment.clock).

A container's clock is UTC unless told otherwise. At 23:30 UTC on 30 June it is already 1 July
in Brussels: a round that closes on 30 June is closed for the users, a round that opens on
1 July is open, and a reminder set for 09:00 goes out at 09:00 Brussels time (07:00 UTC in
summer), not at 09:00 UTC (11:00 in Brussels). Each test moves the clock there with
time-machine and makes the process's zone UTC, so the machine's own date differs from the
product's; none depends on the real date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assessment import clock, mailing
from assessment.access import ORGANISATION_ADMIN, Scope
from assessment.context import Context
from assessment.mail_sender import SmtpSettings, run_once
from assessment.rounds import CLOSED, OPEN, SurveyRound, get_round, open_round
from tests.context import on

UTC = ZoneInfo("UTC")  # a ZoneInfo: time-machine then sets the process's zone (TZ) to it
LATE_ON_30_JUNE = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 01:30 on 1 July in Brussels


@pytest.fixture
def machine_in_utc():
    """The clock at 23:30 UTC on 30 June 2026, the machine's zone UTC, ticking from there."""
    with time_machine.travel(LATE_ON_30_JUNE, tick=True):
        yield


def test_at_23_30_utc_on_30_june_the_product_s_today_is_1_july(machine_in_utc, tmp_path):
    assert date.today() == date(2026, 6, 30)  # the machine's date: what the code used to read
    assert clock.today() == date(2026, 7, 1)
    assert Context(tmp_path / "unused.db").today == date(2026, 7, 1)  # every request's default
    local = clock.local_now()
    assert (local.date(), local.hour, local.tzinfo) == (date(2026, 7, 1), 1, None)


def test_a_round_closing_on_30_june_is_closed_and_one_opening_on_1_july_open(machine_in_utc):
    def survey_round(opens_on: date, closes_on: date) -> SurveyRound:
        return SurveyRound(1, 1, "Bevraging", "q", 1, opens_on, closes_on, None, 0, 0)

    assert survey_round(date(2026, 6, 1), date(2026, 6, 30)).status() == CLOSED
    assert survey_round(date(2026, 7, 1), date(2026, 7, 21)).status() == OPEN


def test_a_reminder_at_9_goes_out_at_9_brussels_time_on_a_machine_in_utc(
        db, org_id, questionnaire):
    from aiosmtpd.controller import Controller

    from tests.test_mailing import Inbox, free_port

    opens, closes = date(2026, 6, 20), date(2026, 7, 10)
    round_id = open_round(on(db), org_id, "Bevraging", opens, closes, questionnaire,
                          today=opens)
    hr = Scope(1, "hr-acme", ORGANISATION_ADMIN, organisation_id=org_id)
    subject, body = mailing.default_texts("nl", "Acme")
    reminder_day = date(2026, 7, 1)
    mailing.queue_invitations(on(db), hr, round_id, [(1, "persoon1@acme.be")], subject, body,
                              "nl", "http://werkbaar.test", [reminder_day],
                              now=datetime(2026, 6, 25, 10))
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = SmtpSettings("127.0.0.1", controller.port, "none", "", "",
                                "hr@werkbaar.test", timeout=2.0)
        # 07:30 UTC on 1 July: 09:30 in Brussels, the reminder is due
        morning = datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
        with time_machine.travel(morning - timedelta(hours=1), tick=True):  # 08:30 Brussels
            assert get_round(on(db), round_id).status() == OPEN
            run_once(on(db), settings)
        assert [m["Subject"].startswith("Herinnering") for m in inbox.messages] == [False]
        with time_machine.travel(morning, tick=True):
            run_once(on(db), settings)  # the sender's own clock: no clock= given
    finally:
        controller.stop()
    assert [m["Subject"].startswith("Herinnering") for m in inbox.messages] == [False, True]
