"""The confidentiality rules, in one place. Every figure a page, chart, tooltip or export
shows about respondents passes through here first.

* No figure for a group of fewer than :data:`MIN_GROUP` (5) respondents; an organisation may
  raise its own threshold, never lower it.
* A response rate only where at least :data:`MIN_GROUP` people were invited.
"""

from __future__ import annotations

MIN_GROUP = 5


def threshold(organisation_min: int | None = None) -> int:
    """The group size from which figures may be shown: the organisation's own threshold, but
    never below :data:`MIN_GROUP`."""
    return max(MIN_GROUP, organisation_min or MIN_GROUP)


def may_show(n_respondents: int, organisation_min: int | None = None) -> bool:
    """Whether figures on a group of ``n_respondents`` may be shown."""
    return n_respondents >= threshold(organisation_min)


def may_show_response_rate(n_invited: int) -> bool:
    return n_invited >= MIN_GROUP
