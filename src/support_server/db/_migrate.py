"""Schema migrations with Alembic, run from Python (at server start and by the CLI).

The migration scripts ship inside the package (``migrations/``), so an installed
``support-server`` can migrate its database without a checkout or an ``alembic.ini``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from ._errors import DatabaseError

__all__ = ["current_revision", "downgrade", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x5355_5050_4F52_54
"""PostgreSQL advisory lock held while migrating, so that processes starting together migrate
one after the other (the later ones then find nothing to do)."""
_Step = Callable[[Config], None]


def _config(connection: Connection | None = None, migrations: Path = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this version of the server knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise DatabaseError(f"no migrations found in {MIGRATIONS}")
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision of the database (``None`` before the first migration)."""
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision()
            )
    except (SQLAlchemyError, OSError) as exc:
        raise _unreachable(exc) from exc


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database up to ``revision``; the existing data is kept."""
    await _run(engine, lambda config: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Migrate the database down to ``revision`` (``"base"``: no tables); data is dropped."""
    await _run(engine, lambda config: command.downgrade(config, revision))


async def _run(engine: AsyncEngine, step: _Step) -> None:
    try:
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            await conn.run_sync(lambda c: step(_config(c)))
    except CommandError as exc:
        raise DatabaseError(
            f"cannot migrate the database: {exc} (is it from a newer support-server?)"
        ) from None
    except (SQLAlchemyError, OSError) as exc:
        raise _unreachable(exc) from exc


def _unreachable(exc: BaseException) -> DatabaseError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return DatabaseError(f"cannot use the database: {reason}")
