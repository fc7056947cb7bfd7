"""Imported at the start of every Python process the tests start while ``$WERKBAAR_TEST_NOW``
is set (tests/frozen_clock.py puts this folder on ``PYTHONPATH``): move its clock too."""

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "werkbaar_frozen_clock", Path(__file__).resolve().parents[1] / "frozen_clock.py")
_clock = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _clock
_spec.loader.exec_module(_clock)
_clock.start()
