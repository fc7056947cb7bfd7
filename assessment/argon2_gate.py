"""Who may hash a password, and in which order: the process's Argon2 slots shared fairly.

Argon2 runs at most ``slots`` computations at a time in a process (each holds 64 MiB; see
:mod:`assessment.accounts`). One first-come queue for everyone let anybody block sign-in
without an account: 20 threads sending wrong passwords for random names made the owner's right
password fail 2 times of 3 (issue 28). So an attempt is admitted by these rules, decided
*before* it waits, under one lock:

* **A known device goes first.** An attempt that comes with a device token of the named
  account (:func:`assessment.lockout.remember_device`; strangers cannot have one) is served
  before every other waiting attempt, and the budgets below do not apply to it: it waits
  only for a slot to come free, at most about one hash (0.15 s here) however many strangers
  queue. Its own budget: :data:`PER_KNOWN` attempts per name at once, so an account holder
  firing sign-ins with their own token cannot hold the front of the queue.
* **A budget per client** (the TCP peer's address): at most :data:`PER_CLIENT` attempts of
  one address waiting or hashing at once; more are refused at once as busy, without waiting.
* **A budget per name**: at most :data:`PER_NAME` attempts on one user name waiting or hashing
  at once (a burst on one name cannot fill the queue; the lock of
  :mod:`assessment.lockout` counts what gets through).
* A locked name never gets here: :func:`assessment.accounts.sign_in` refuses it first.

Limits, stated plainly (README, "Sign-in under attack"): strangers from many addresses still
share the queue, so a person without a device token of the account (a new browser) may be told
"busy, try again in a moment" during such a flood; behind a reverse proxy every client has the
proxy's address, so the per-client budget then holds for everyone together.

The gate holds no database connection and knows nothing of accounts: it only orders waiters.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

PER_CLIENT = 2  # attempts of one address waiting or hashing at once
PER_NAME = 1  # attempts on one user name waiting or hashing at once
PER_KNOWN = 2  # attempts with a device token of the named account, per name, at once
KNOWN, STRANGER = 0, 1  # priorities: lower is served first


class Busy(Exception):  # noqa: N818 - the caller's SignInBusyError derives from it
    """No slot now: over a budget, or none came free in time. Nothing was counted."""


class Gate:
    """``slots`` Argon2 computations at once; waiters served known devices first, then in
    arrival order."""

    def __init__(self, slots: int, *, per_client: int = PER_CLIENT, per_name: int = PER_NAME):
        self.slots, self.per_client, self.per_name = slots, per_client, per_name
        self._free = slots
        self._cond = threading.Condition()
        self._queue: list[tuple[int, int]] = []
        self._order = itertools.count()
        self._clients: Counter[str] = Counter()
        self._names: Counter[str] = Counter()
        self._known: Counter[str] = Counter()
        self.running = 0  # computations holding a slot now
        self.admitted = 0  # computations admitted since the start (tests and benchmarks)

    @contextmanager
    def admit(self, wait: float | None, *, client: str | None = None, name: str | None = None,
              known: bool = False) -> Iterator[int]:
        """Hold one slot for the block; the block gets how many computations were admitted
        while this one waited (its place in the queue, counted under the gate's lock).

        :param wait: seconds to wait for a slot, ``None`` as long as it takes.
        :param client: the client's address (``None``: no budget applies, as for the command
            line).
        :param name: the normalised user name (kept in memory only while waiting).
        :param known: the attempt brought a device token of the named account.
        :raises Busy: at once when the client or the name is over its budget; after ``wait``
            seconds when no slot came free.
        """
        budgets = [(counter, key, most) for counter, key, most in (
            ((self._known, name, PER_KNOWN),) if known else
            ((self._clients, client, self.per_client), (self._names, name, self.per_name)))
            if key is not None]
        keys = [(counter, key) for counter, key, _ in budgets]
        deadline = None if wait is None else time.monotonic() + wait
        with self._cond:
            if any(counter[key] >= most for counter, key, most in budgets):
                raise Busy()
            for counter, key in keys:
                counter[key] += 1
            ticket = (KNOWN if known else STRANGER, next(self._order))
            heapq.heappush(self._queue, ticket)
            ahead = self.admitted
            try:
                while not (self._free and self._queue[0] == ticket):
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise Busy()
                    self._cond.wait(left)
            except BaseException:
                self._queue.remove(ticket)
                heapq.heapify(self._queue)
                self._leave(keys)
                raise
            heapq.heappop(self._queue)
            self._free -= 1
            self.running += 1
            overtaken = self.admitted - ahead
            self.admitted += 1
            self._cond.notify_all()  # the next in line may take another free slot
        try:
            yield overtaken
        finally:
            with self._cond:
                self._free += 1
                self.running -= 1
                self._leave(keys)

    def _leave(self, keys) -> None:
        """Under the lock: give back the budgets of ``keys`` and wake the waiters."""
        for counter, key in keys:
            counter[key] -= 1
            if not counter[key]:
                del counter[key]
        self._cond.notify_all()
