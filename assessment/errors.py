"""Errors the domain raises for bad input, carrying translatable messages.

Each problem names the field it concerns and an i18n key with its parameters, so a page can
show it in the user's language next to the right widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import t


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: an i18n key and its parameters."""

    field: str
    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


class InputError(ValueError):
    """Input that cannot be stored; ``problems`` lists every problem found, nothing was
    written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.key} {p.params}" for p in problems))

    def messages(self, lang: str) -> list[str]:
        return [p.message(lang) for p in self.problems]


class DataFileError(ValueError):
    """A data file (questionnaire, benchmark table, ...) that cannot be used; ``problems``
    lists every problem found, each with the file and the place in it."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))
