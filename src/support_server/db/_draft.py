"""Drafting the next migration from the models: a developer tool (``nox -s migration``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection

from ._engine import create_engine, sqlite_url
from ._migrate import MIGRATIONS, _config

__all__ = ["draft_revision"]


async def draft_revision(message: str, migrations: Path = MIGRATIONS) -> Path:
    """Write ``versions/vNNNN_<message>.py`` in ``migrations``: what the models add.

    Alembic compares the models with a scratch SQLite database at the newest revision. Review
    the draft (autogenerate cannot see everything, e.g. a renamed column looks like a drop and
    an add) and test it on both databases (``tests/support_server/test_db.py``).
    """
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(sqlite_url(Path(scratch) / "draft.sqlite3"))
        try:
            async with engine.begin() as conn:
                return await conn.run_sync(lambda c: _draft(c, message, migrations))
        finally:
            await engine.dispose()


def _draft(connection: Connection, message: str, migrations: Path) -> Path:
    config = _config(connection, migrations)
    command.upgrade(config, "head")
    head = ScriptDirectory.from_config(config).get_current_head()
    written = command.revision(
        config, message=message, autogenerate=True, rev_id=f"{int(head or 0) + 1:04d}"
    )
    if not isinstance(written, Script):  # pragma: no cover - one head, one script
        raise RuntimeError(f"alembic wrote {written!r} instead of one revision")
    return Path(written.path)
