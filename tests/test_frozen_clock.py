"""The tests' moved clock (tests/frozen_clock.py): where it goes, and that the processes the
tests start continue the same timeline, across a change of summer time."""

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from tests import frozen_clock

PRINT_NOW = "import datetime; print(datetime.datetime.now().astimezone().isoformat())"


def test_a_date_means_ten_in_the_morning_in_brussels():
    assert frozen_clock.destination("2027-01-01") == datetime(
        2027, 1, 1, 10, 0, tzinfo=frozen_clock.ZONE)
    assert frozen_clock.destination("2027-03-28T01:59").hour == 1


@pytest.mark.parametrize("value", ["31/12/2026", "2026-12-31T23:59+01:00", "tomorrow"])
def test_a_value_it_cannot_read_stops_the_run(value):
    with pytest.raises(ValueError):
        frozen_clock.destination(value)


def test_a_started_process_continues_the_timeline_across_the_change_to_summer_time():
    """Started 90 s after the first process travelled to 01:59 on the last Sunday of March,
    a process says 03:00:30 summer time, not 01:59 again."""
    env = {**os.environ, frozen_clock.NOW_ENV: "2027-03-28T01:59",
           frozen_clock.EPOCH_ENV: repr(frozen_clock.real_time() - 90)}
    env["PYTHONPATH"] = str(frozen_clock.CLOCK_PATH)
    out = subprocess.run([sys.executable, "-c", PRINT_NOW], env=env, capture_output=True,
                         text=True, check=True).stdout
    said = datetime.fromisoformat(out.strip())
    expected = datetime(2027, 3, 28, 3, 0, 30, tzinfo=frozen_clock.ZONE)
    assert said.utcoffset() == timedelta(hours=2)
    assert expected <= said < expected + timedelta(seconds=60)


def test_without_the_variable_nothing_moves():
    env = {k: v for k, v in os.environ.items() if k != frozen_clock.NOW_ENV}
    env["PYTHONPATH"] = str(frozen_clock.CLOCK_PATH)
    out = subprocess.run([sys.executable, "-c", PRINT_NOW], env=env, capture_output=True,
                         text=True, check=True).stdout
    said = datetime.fromisoformat(out.strip()).timestamp()
    assert abs(said - frozen_clock.real_time()) < 60  # this process itself may have travelled
