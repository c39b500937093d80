"""Helpers for server tests: a real server handle and a real WebSocket protocol client."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets
from queue_view import QueueView
from sanic import Sanic
from websockets.asyncio.client import ClientConnection

from support_server import Settings, SupportApp
from support_server._throttle import MemoryLoginThrottle

Sanic.test_mode = True
_APP_NAMES = itertools.count(1)
PASSWORD = "correct horse battery"
Message = dict[str, Any]


QUEUE_TYPES = ("queue", "queue_changes", "queue_position")
"""What the server sends as the queue changes, in between the messages a test waits for."""


class Client:
    """A real WebSocket client speaking the JSON protocol; an employee's client keeps its
    view of the queue (``queue``) from the snapshot and changes it receives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen: list[Message] = []
        self.sizes: list[int] = []
        """The length of each frame in ``seen``, in characters."""
        self.queue = QueueView()

    async def send(self, message: Message) -> None:
        await self.ws.send(json.dumps(message))

    async def recv(self, timeout: float = 5.0) -> Message:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        message: Message = json.loads(raw)
        self.seen.append(message)
        self.sizes.append(len(raw))
        self.queue.apply(message)
        return message

    async def expect(
        self,
        kind: str,
        *,
        timeout: float = 5.0,
        skip: tuple[str, ...] = QUEUE_TYPES,
        where: Callable[[Message], bool] | None = None,
    ) -> Message:
        """Return the next message of ``kind``, skipping only ``skip`` types (``"*"``: any
        type), else fail."""
        deadline = time.monotonic() + timeout
        while True:
            message = await self.recv(max(0.01, deadline - time.monotonic()))
            if message["type"] == kind and (where is None or where(message)):
                return message
            if message["type"] not in skip and "*" not in skip:
                raise AssertionError(f"expected {kind!r}, got {message!r}")

    async def expect_queue(
        self, where: Callable[[QueueView], bool], *, timeout: float = 5.0
    ) -> QueueView:
        """Read messages (of any type) until the employee's view of the queue satisfies
        ``where``."""
        deadline = time.monotonic() + timeout
        while not (self.queue.seq is not None and where(self.queue)):
            await self.recv(max(0.01, deadline - time.monotonic()))
        return self.queue

    async def expect_error(self, code: str) -> Message:
        message = await self.expect("error")
        assert message["code"] == code, message
        return message

    async def nothing(self, wait: float = 0.3, skip: tuple[str, ...] = ()) -> None:
        """Assert that no message (other than ``skip`` types) arrives within ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await self.recv(left)
            except TimeoutError:
                return
            assert message["type"] in skip, f"unexpected {message!r}"

    async def close(self) -> None:
        await self.ws.close()


@dataclass
class Endpoint:
    """A server reachable at ``base`` (in this process or another) and helpers to talk to it."""

    base: str

    @property
    def ws_base(self) -> str:
        return "ws" + self.base.removeprefix("http")

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, timeout=30)

    async def login(self, name: str, password: str = PASSWORD) -> str:
        async with self.http() as http:
            response = await http.post(
                "/api/auth/login", json={"username": name, "password": password}
            )
        assert response.status_code == 200, response.text
        token: str = response.json()["token"]
        return token

    async def raw_socket(self, path: str, **kwargs: Any) -> ClientConnection:
        return await websockets.connect(self.ws_base + path, max_size=None, **kwargs)

    async def customer(self, name: str | None = "Asha Rao", **kwargs: Any) -> Client:
        """Connect a customer socket; with a name, join and wait for the welcome."""
        client = Client(await self.raw_socket("/ws/customer", **kwargs))
        if name is not None:
            await client.send({"type": "join", "name": name})
            await client.expect("welcome")
        return client

    async def ensure_employee(self, name: str) -> None:
        """Create the employee account ``name`` unless it exists."""
        raise NotImplementedError

    async def employee(self, name: str = "priya", **kwargs: Any) -> Client:
        """Create (once), log in and connect an employee; wait for the welcome."""
        await self.ensure_employee(name)
        token = await self.login(name)
        headers = {"Authorization": f"Bearer {token}"}
        client = Client(await self.raw_socket("/ws/employee", additional_headers=headers, **kwargs))
        await client.expect("welcome")
        return client


@dataclass(kw_only=True)
class Live(Endpoint):
    """A server running in this process."""

    app: SupportApp

    async def add_employee(self, name: str, password: str = PASSWORD) -> None:
        await self.app.ctx.accounts.add(name, password, now=time.time())

    async def ensure_employee(self, name: str) -> None:
        if not any(e.name == name for e in await self.app.ctx.accounts.list()):
            await self.add_employee(name)


def long_lockouts(live: Live, *, account_max_failures: int = 50) -> None:
    """Lock-outs of a minute, so that a slow machine cannot outwait one between requests."""
    live.app.ctx.login_throttle = MemoryLoginThrottle(
        max_failures=3, account_max_failures=account_max_failures, base_s=60.0
    )


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test server: files under ``tmp_path``, 1 s grace, generous limits (every
    test client comes from 127.0.0.1, so the per-address limits are raised)."""
    base = Settings(
        data_dir=tmp_path / "data",
        user_ui_dir=tmp_path / "user",
        employee_ui_dir=tmp_path / "employee",
        reconnect_grace_s=1.0,
        waiting_grace_s=1.0,
        ws_rate_per_s=100.0,
        upload_rate_per_min=100,
        max_customer_sockets_per_address=1000,
        joins_per_address_per_min=1000,
    )
    return base.with_overrides(**overrides) if overrides else base


ServerFactory = Callable[..., Awaitable[Live]]
