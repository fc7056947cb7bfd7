"""Which passwords an account may have: :data:`MIN_PASSWORD` to :data:`MAX_PASSWORD`
characters and not among the commonest or trivial ones.

``zxcvbn`` (Dropbox's strength estimator: frequency lists of leaked passwords, names, words,
keyboard walks, repeats, sequences, dates, l33t) must rate it at least :data:`MIN_SCORE` of 4
(an estimated 10^8 guesses or more), with the user name and a few common Dutch words
(:data:`DUTCH_WORDS`) added to its lists. How passwords are hashed and checked lives in
:mod:`assessment.accounts`.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from .errors import Problem

MIN_PASSWORD = 10
MAX_PASSWORD = 256  # argon2 hashes any length; this bounds the work an attacker can ask for
MIN_SCORE = 3  # zxcvbn's "safely unguessable": an estimated 10^8 guesses or more
DUTCH_WORDS = ("wachtwoord", "paswoord", "welkom", "geheim", "azerty", "vlaanderen", "belgie",
               "belgië", "beheerder", "admin", "zomer", "winter", "lente", "herfst")


def password_problems(password: str, username: str = "") -> list[Problem]:
    """What makes ``password`` unacceptable: shorter than :data:`MIN_PASSWORD` or longer than
    :data:`MAX_PASSWORD` characters, or guessable: ``zxcvbn`` rates it below
    :data:`MIN_SCORE` (common and leaked passwords, words, names, keyboard walks, repeats,
    sequences, dates, the user name and :data:`DUTCH_WORDS`)."""
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        return [Problem("password", "accounts.error.password",
                        {"min": MIN_PASSWORD, "max": MAX_PASSWORD})]
    if not is_strong(password, username):
        return [Problem("password", "accounts.error.weak_password")]
    return []


def is_strong(password: str, username: str = "") -> bool:
    """Whether ``zxcvbn`` rates ``password`` at least :data:`MIN_SCORE` (of 4), with
    ``username`` (and its parts between ``@ . _ + -``) counted as guessable. Only the first 72
    characters are rated (zxcvbn's own limit; longer is not weaker)."""
    inputs = [*DUTCH_WORDS]
    name = (username or "").strip().lower()
    if name:
        inputs += [name, *re.split(r"[@._+-]", name)]
    return zxcvbn(password[:72], user_inputs=[i for i in inputs if i])["score"] >= MIN_SCORE
