"""The async engine of the durable data, made from one database URL.

SQLite (through ``aiosqlite``) is the embedded default; PostgreSQL (through ``asyncpg``) is the
database of a cluster. A URL naming only the database (``postgresql://...``, ``sqlite:///...``)
gets that database's asyncio driver; everything else about the dialects is SQLAlchemy's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from .._files import prepare_private_files
from ._errors import DatabaseError

__all__ = ["create_engine", "database_url", "sqlite_url"]

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
"""The asyncio driver used when a URL names only its database."""


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite database file at ``path``."""
    return f"sqlite+aiosqlite:///{path.resolve()}"


def database_url(text: str) -> URL:
    """Parse ``text`` into a URL with an asyncio driver; raise :class:`DatabaseError` if bad."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseError(
            "the database URL must look like 'postgresql://user:password@host:5432/name' "
            "or 'sqlite:///path/to/file.sqlite3'"
        ) from None
    if url.drivername in _ASYNC_DRIVERS:
        url = url.set(drivername=_ASYNC_DRIVERS[url.drivername])
    if url.drivername not in _ASYNC_DRIVERS.values():
        raise DatabaseError(
            f"database driver {url.drivername!r} is not supported: use PostgreSQL "
            "('postgresql://' or 'postgresql+asyncpg://') or SQLite ('sqlite://' or "
            "'sqlite+aiosqlite://')"
        )
    return url


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url`` (see :func:`database_url`), ready for the stores.

    A new SQLite file and its directory are created readable by their owner only; SQLite gets
    write-ahead logging, enforced foreign keys (login sessions go with their account) and a
    5 s wait on a locked database.
    """
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            prepare_private_files(path.parent, path)
        engine = create_async_engine(parsed)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(parsed, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    del connection_record
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
