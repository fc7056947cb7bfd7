"""A throwaway PostgreSQL cluster for the tests and benchmarks on the PostgreSQL backend.

:func:`start` runs Debian's ``initdb`` and ``pg_ctl`` (``postgresql`` package, any version
under ``/usr/lib/postgresql``, or the ones on ``PATH``) into a fresh folder, as the unprivileged
``postgres`` user when this process is root (PostgreSQL refuses to run as root), listening on
127.0.0.1 only, on a free port, with ``fsync`` off (a test cluster is thrown away, so durability
buys nothing there; the benchmarks start theirs with ``durable=True``). Trust authentication,
on loopback only. :meth:`Cluster.stop` stops it and removes the folder.

Set ``$WERKBAAR_TEST_PG_URL`` to an existing server's admin URL to use that instead.

:raises ClusterError: when no PostgreSQL is installed or it does not start (with its log).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

_numbers = itertools.count()


class ClusterError(RuntimeError):
    """PostgreSQL is missing or would not start."""


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found or not found[-1]:
        raise ClusterError(f"{name} not found: install Debian's postgresql package "
                           "(.ci/run does so)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    folder: Path | None
    url: str  # the admin connection: database "postgres"
    created: list[str] = field(default_factory=list)

    def database_url(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def new_database(self, prefix: str, template: str | None = None) -> str:
        """The URL of a new database (empty, or a copy of ``template``), dropped by
        :meth:`drop_created`."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f"create database {name}"
                          + (f" template {template}" if template else ""))
        self.created.append(name)
        return self.database_url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database :meth:`new_database` made, its pooled connections closed first."""
        import psycopg

        from assessment.postgres import close_pools

        name = url.rsplit("/", 1)[1]
        close_pools(url)
        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f"drop database if exists {name} with (force)")
        if name in self.created:
            self.created.remove(name)

    def drop_created(self) -> None:
        """Drop every database :meth:`new_database` made and not yet dropped, also on a server
        named by ``$WERKBAAR_TEST_PG_URL``, which outlives the tests."""
        while self.created:
            self.drop_database(self.database_url(self.created[-1]))

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run(_as_owner([_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                                  "-w", "stop"]), capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start(durable: bool = False) -> Cluster:
    """A new cluster (or the one ``$WERKBAAR_TEST_PG_URL`` names)."""
    if os.environ.get("WERKBAAR_TEST_PG_URL"):
        return Cluster(None, os.environ["WERKBAAR_TEST_PG_URL"])
    folder = Path(tempfile.mkdtemp(prefix="werkbaar-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    init = subprocess.run(_as_owner([_bin("initdb"), "-D", str(data), "-A", "trust", "-U",
                                     "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                          capture_output=True, text=True, cwd=folder)
    if init.returncode:
        raise ClusterError(f"initdb failed: {init.stderr[-2000:]}")
    options = f"-k {folder} -h 127.0.0.1 -p {port} -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run = subprocess.run(_as_owner([_bin("pg_ctl"), "-D", str(data), "-o", options, "-l",
                                    str(folder / "log"), "-w", "start"]),
                         capture_output=True, text=True, cwd=folder)
    if run.returncode:
        log = (folder / "log").read_text() if (folder / "log").exists() else run.stderr
        raise ClusterError(f"PostgreSQL did not start: {log[-2000:]}")
    return Cluster(folder, f"postgresql://postgres@127.0.0.1:{port}/postgres")
