"""The data layer: migrations on SQLite and PostgreSQL, and adopting the pre-Alembic schema."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import time
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from alembic.script import ScriptDirectory
from postgres_server import PostgresServer
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from support_server import AccountStore, Settings, SettingsError
from support_server.db import (
    DatabaseError,
    create_engine,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from support_server.db._draft import draft_revision
from support_server.db._migrate import MIGRATIONS

PASSWORD = "correct horse battery"

# The schema that servers before the data layer created by hand in support.sqlite3.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS employees (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
"""


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
    return set(names)


async def test_upgrade_from_empty_then_downgrade(engine: AsyncEngine) -> None:
    """An empty database migrates to the newest revision, back to nothing, and up again."""
    assert await current_revision(engine) is None
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()
    assert {"employees", "login_sessions"} <= await _tables(engine)
    await upgrade(engine)  # a second start finds nothing to do
    await downgrade(engine, "base")
    assert await current_revision(engine) is None
    assert not {"employees", "login_sessions"} & await _tables(engine)
    await upgrade(engine)
    store = AccountStore(engine)
    await store.add("priya", PASSWORD, now=time.time())
    assert await store.authenticate("priya", PASSWORD) is not None


async def test_accounts_from_before_display_names_get_one_by_rename(engine: AsyncEngine) -> None:
    """An account made before revision 0002 has no display name after it until renamed."""
    await upgrade(engine, "0001")
    async with engine.begin() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO employees (id, name, password_hash, created_at) "
            "VALUES ('e_old', 'priya', 'x', 0)"
        )
    await upgrade(engine)
    store = AccountStore(engine)
    [old] = await store.list()
    assert (old.name, old.display_name, old.shown_name) == ("priya", None, "Support agent")
    assert await store.rename("Priya", " Priya  Sharma ") == "Priya Sharma"
    assert [e.display_name for e in await store.list()] == ["Priya Sharma"]


async def test_processes_starting_together_migrate_once(postgres: PostgresServer) -> None:
    """Several servers starting at once on one PostgreSQL database all come up migrated."""
    url = postgres.new_database()
    engines = [create_engine(url) for _ in range(4)]
    try:
        await asyncio.gather(*(upgrade(e) for e in engines))
        assert {await current_revision(e) for e in engines} == {head_revision()}
    finally:
        for e in engines:
            await e.dispose()


def _old_database(path: Path) -> tuple[str, str]:
    """A support.sqlite3 as the old server left it: one account, one live login session."""
    from support_server._accounts import _token_hash, hash_password

    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute(
        "INSERT INTO employees VALUES (?, ?, ?, ?)",
        ("e_oldPriya123", "Priya", hash_password(PASSWORD), 1_700_000_000.0),
    )
    token = "an-old-session-token"
    db.execute(
        "INSERT INTO sessions VALUES (?, ?, ?)",
        (_token_hash(token), "e_oldPriya123", time.time() + 3600),
    )
    db.commit()
    db.close()
    return "e_oldPriya123", token


async def test_old_sqlite_file_keeps_its_accounts(tmp_path: Path) -> None:
    """A database from before the migrations keeps its accounts, passwords and live logins."""
    settings = Settings(data_dir=tmp_path)
    employee_id, token = _old_database(settings.db_path)
    engine = create_engine(settings.effective_database_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        assert await _tables(engine) >= {"employees", "login_sessions"}
        assert not {"sessions", "legacy_employees", "legacy_sessions"} & await _tables(engine)
        store = AccountStore(engine)
        employee = await store.authenticate("priya", PASSWORD)
        assert employee is not None
        assert (employee.id, employee.name) == (employee_id, "Priya")
        assert await store.employee_for_token(token, now=time.time()) == employee
        await store.remove("priya")
        assert await store.employee_for_token(token, now=time.time()) is None
    finally:
        await engine.dispose()


async def test_database_from_a_newer_server_is_refused(engine: AsyncEngine) -> None:
    """A schema revision this server does not know stops the migration with a clear error."""
    await upgrade(engine)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="newer support-server"):
        await upgrade(engine)


async def test_unreachable_database_is_a_clear_error() -> None:
    """A PostgreSQL URL nobody listens on gives a DatabaseError, not a traceback."""
    engine = create_engine("postgresql://desk@127.0.0.1:9/none")
    try:
        with pytest.raises(DatabaseError, match="cannot use the database"):
            await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "'mysql' is not supported"),
        ("postgresql+psycopg2://u@h/db", "'postgresql+psycopg2' is not supported"),
        ("not a url", "must look like"),
    ],
)
def test_bad_database_urls_are_refused(url: str, message: str) -> None:
    """SUPPORT_DATABASE_URL must name PostgreSQL or SQLite; anything else stops the start."""
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env({"SUPPORT_DATABASE_URL": url})


def test_database_url_is_not_in_the_settings_repr() -> None:
    """The database URL may hold a password: it never shows up in a printed Settings."""
    settings = Settings(database_url="postgresql://desk:s3cret@db.example/desk")
    assert "s3cret" not in repr(settings)
    assert settings.effective_database_url.endswith("@db.example/desk")


async def test_a_drafted_migration_follows_the_newest(tmp_path: Path) -> None:
    """The migration drafting tool writes the next numbered revision on top of the newest one."""
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = await draft_revision("session records", migrations)
    after = int(head_revision()) + 1
    assert path == migrations / "versions" / f"v{after:04d}_session_records.py"
    script = ScriptDirectory(str(migrations)).get_revision("head")
    assert script is not None
    assert (script.revision, script.down_revision) == (f"{after:04d}", head_revision())
