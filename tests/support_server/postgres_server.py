"""A real PostgreSQL server (the newest installed) for tests: initdb into a temp dir, start
on 127.0.0.1, stop after.

PostgreSQL refuses to run as root, so as root every command runs as the ``postgres`` user
(``runuser -u postgres --``) on a directory that user owns. One server serves a whole test
session; each test gets a fresh database of its own (:meth:`PostgresServer.new_database`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


def _newest_bin() -> Path:
    """The bin directory of the newest PostgreSQL Debian installed (15 on bookworm)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BIN = _newest_bin()
USER = "desk"


def _as_postgres(*command: str | Path) -> list[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return [*prefix, *map(str, command)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """A running PostgreSQL on ``127.0.0.1:port`` with the trusted superuser ``desk``."""

    port: int
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; return its URL."""
        name = f"test_{next(self._names)}"
        subprocess.run(
            [BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name],
            check=True,
            capture_output=True,
        )
        return self.url(name)


def postgres_missing() -> str | None:
    """Why no PostgreSQL can be started here, or ``None``."""
    if not (BIN / "initdb").exists():
        return f"PostgreSQL is not installed ({BIN}/initdb is missing)"
    return None


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a throw-away PostgreSQL server; stop it and delete its files afterwards."""
    reason = postgres_missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(f"!!! SKIPPING POSTGRESQL TESTS !!! {reason}")
    root = Path(tempfile.mkdtemp(prefix="support-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    port = _free_port()
    subprocess.run(
        _as_postgres(BIN / "initdb", "-A", "trust", "-U", USER, "-E", "UTF8", "-D", data),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(BIN / "pg_ctl", "-D", data, "-o", options, "-l", root / "log", "-w", "start"),
        check=True,
        capture_output=True,
    )
    try:
        yield PostgresServer(port)
    finally:
        subprocess.run(
            _as_postgres(BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
