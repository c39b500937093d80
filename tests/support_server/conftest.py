"""Fixtures: a real support_server on an ephemeral port, real WebSocket clients."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from desk_harness import GRACE, WAITING_GRACE, Harness, counting_ids, memory_harness
from live_server import Live, ServerFactory, make_settings
from postgres_server import PostgresServer, running_postgres
from sanic import Sanic

from support_server import create_app
from support_server._redis_state import RedisImageStore, RedisState, connect_redis
from support_server.testing import RedisServer, fake_reader_factory, running_server

Sanic.test_mode = True
_APP_NAMES = itertools.count(1)


@pytest_asyncio.fixture
async def start_server(tmp_path: Path) -> AsyncIterator[ServerFactory]:
    """Start real servers (with the fake OCR reader unless told otherwise) for one test."""
    stack: list[Any] = []

    async def start(**overrides: Any) -> Live:
        factory = overrides.pop("reader_factory", fake_reader_factory)
        settings = make_settings(tmp_path, **overrides)
        app = create_app(settings, reader_factory=factory, name=f"t{next(_APP_NAMES)}")
        cm = running_server(app)
        base = await cm.__aenter__()
        stack.append(cm)
        return Live(app=app, base=base)

    yield start
    for cm in reversed(stack):
        await cm.__aexit__(None, None, None)


@pytest_asyncio.fixture
async def live(start_server: ServerFactory) -> Live:
    """A running server with default test settings."""
    return await start_server()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for the whole test session (tests flush it before use)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture(params=["memory", "redis"])
async def hub(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """A desk over each live-state backend, driven directly with a settable clock."""
    if request.param == "memory":
        yield memory_harness()
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    client = connect_redis(server.url)
    await client.flushdb()
    state = RedisState(
        client,
        grace_s=GRACE,
        waiting_grace_s=WAITING_GRACE,
        proc_id="p_test",
        new_id=counting_ids(),
    )
    harness = Harness(state, RedisImageStore(client), remote=True)
    await state.start()
    yield harness
    await state.stop()
    await client.aclose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the whole test session."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'support.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()
