"""Settings from the environment, each also from a file: ``<NAME>_FILE`` (secrets as files).

A secret in an environment variable is shown by ``docker inspect`` and ``docker compose
config``, passed on to every child process and dumped with the environment by many crash
reporters. Docker's and systemd's secrets are files instead (``/run/secrets/<name>``). So a
setting read here, ``WERKBAAR_DB`` (a PostgreSQL URL holds its password) and the
``WERKBAAR_SMTP_*`` settings (the password) among them, may instead be given as
``<NAME>_FILE``: the path of a file whose contents are the value (trailing line breaks
dropped, as ``echo`` and editors add them). The value is read when asked for and never put
back into the environment.

Giving both ``NAME`` and ``NAME_FILE`` is refused (:class:`SettingError`), as is a file that
cannot be read: a deployment that meant one and got the other fails where it is told why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

FILE_SUFFIX = "_FILE"


class SettingError(ValueError):
    """``name`` was given both ways (``kind`` ``both``) or its file cannot be read
    (``unreadable``, with the ``path``)."""

    def __init__(self, name: str, kind: str, path: str = ""):
        self.name, self.kind, self.path = name, kind, path
        super().__init__(f"both {name} and {name}{FILE_SUFFIX} are set: give one of them"
                         if kind == "both" else
                         f"{name}{FILE_SUFFIX}={path}: the file cannot be read")


def setting(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The value of ``name``: the variable itself, or the contents of the file that
    ``NAME_FILE`` names; None when neither is set (an empty ``NAME_FILE`` counts as unset).

    :raises SettingError: both are set, or the file cannot be read.
    """
    environ = os.environ if environ is None else environ
    path = environ.get(name + FILE_SUFFIX, "")
    value = environ.get(name)
    if not path:
        return value
    if value:
        raise SettingError(name, "both")
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        raise SettingError(name, "unreadable", path) from None


class Environment(Mapping):
    """``environ`` as a mapping in which every name is read by :func:`setting`: code that takes
    an environment mapping (:func:`assessment.mail_sender.configuration`) reads files too."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self._environ = os.environ if environ is None else environ

    def __getitem__(self, name: str) -> str:
        value = setting(name, self._environ)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter({name.removesuffix(FILE_SUFFIX) for name in self._environ})

    def __len__(self) -> int:
        return sum(1 for _ in self)
