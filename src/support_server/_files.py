"""The data directory and the SQLite file are created readable by their owner only.

Employee password hashes and login sessions live there, so the directory is created ``0700``
and the database file ``0600`` before SQLite opens it (SQLite gives its ``-wal`` and ``-shm``
files the database file's permissions). Existing files keep the permissions an operator gave.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["prepare_private_files"]


def prepare_private_files(data_dir: Path, database: Path | None) -> None:
    """Create ``data_dir`` (0700) and an empty ``database`` file (0600) if they are missing."""
    if not data_dir.exists():
        data_dir.mkdir(mode=0o700, parents=True)
        os.chmod(data_dir, 0o700)  # whatever the umask
    if database is not None and not database.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(database, 0o600)
