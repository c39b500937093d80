"""The signaling blueprint: ``/ws/customer`` and ``/ws/employee`` (see docs/protocol.md)."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable

from sanic import Blueprint
from sanic.server.websockets.impl import WebsocketImplProtocol
from websockets.exceptions import ConnectionClosed

from ._accounts import Employee
from ._admission import AddressLimits
from ._auth import session_employee
from ._connections import Connection
from ._context import AppRequest
from ._desk import Desk
from ._http import session_token
from ._logging import LOGGER_NAME, log_event
from ._messages import (
    CUSTOMER_TYPES,
    EMPLOYEE_TYPES,
    Message,
    ProtocolError,
    parse_frame,
    require_object,
    require_str,
    validate_name,
    validate_pan_fields,
)
from ._origin import origin_allowed
from ._outbound import CloseCode, pong
from ._proxy import client_address
from ._state import HubError

__all__ = ["signaling_blueprint"]

logger = logging.getLogger(f"{LOGGER_NAME}.signaling")
signaling_blueprint = Blueprint("signaling")


async def _receive(ws: WebsocketImplProtocol, timeout: float | None) -> str | bytes | None:
    """The next frame, or ``None`` once the socket is closed (cleanly or not).

    Raises ``TimeoutError`` when ``timeout`` seconds pass without a frame.
    """
    try:
        frame = await ws.recv(timeout)
    except ConnectionClosed:
        return None
    except Exception:
        return None
    if frame is None and timeout is not None:
        raise TimeoutError
    return frame


def _join_timed_out(conn: Connection, timeout: float) -> None:
    log_event(logger, logging.INFO, "ws_join_timeout", role=conn.role)
    conn.error("join_timeout", f"Send 'join' or 'resume' within {timeout:g} seconds of connecting.")
    conn.close(CloseCode.JOIN_TIMEOUT, "join timeout")


def _check_origin(request: AppRequest, conn: Connection) -> bool:
    settings = request.app.ctx.settings
    if origin_allowed(request.headers.get("origin"), request.headers.get("host"), settings):
        return True
    log_event(logger, logging.WARNING, "ws_origin_refused", role=conn.role)
    conn.error("origin_not_allowed", "This page's origin may not connect to this server.")
    conn.close(CloseCode.ORIGIN_NOT_ALLOWED, "origin not allowed")
    return False


def _internal_error(conn: Connection) -> None:
    logger.exception("event=ws_internal_error role=%s", conn.role)
    conn.error("internal_error", "The server failed to handle that message.")


def _rate_ok(conn: Connection) -> bool:
    if conn.bucket.allow(time.monotonic()):
        return True
    conn.error("rate_limited", "Too many messages: slow down.")
    return False


_Handler = Callable[[Message], Awaitable[None]]
"""Handles one parsed message of a role (raising ``ProtocolError``/``HubError`` to refuse it)."""


async def _serve(
    request: AppRequest,
    ws: WebsocketImplProtocol,
    role: str,
    allowed: frozenset[str],
    start: Callable[[Connection], Awaitable[_Handler | None]],
) -> None:
    """Run one signaling socket of either role until it closes.

    After the origin check, ``start`` greets the connection and returns the role's message
    handler, or ``None`` when it has already refused the socket. Each frame is rate-limited and
    parsed; ``ping`` is answered here, any other message goes to the handler. A refused message
    answers ``error`` and the socket lives on, but a socket that has no member (no ``join`` or
    ``resume`` that worked) ``SUPPORT_WS_JOIN_TIMEOUT_S`` after it opened is closed. Whatever
    happens, the desk learns that the connection is gone.
    """
    desk = request.app.ctx.desk
    settings = request.app.ctx.settings
    metrics = request.app.ctx.metrics
    conn = Connection(
        ws,
        role,
        rate_per_s=settings.ws_rate_per_s,
        metrics=metrics,
        max_outbox_bytes=settings.ws_max_outbox_bytes,
    )
    join_by = time.monotonic() + settings.ws_join_timeout_s
    try:
        handle = await start(conn) if _check_origin(request, conn) else None
        while handle is not None and not conn.closing:
            wait = None if conn.member_id is not None else max(0.0, join_by - time.monotonic())
            try:
                frame = await _receive(ws, wait)
            except TimeoutError:
                _join_timed_out(conn, settings.ws_join_timeout_s)
                break
            if frame is None:
                break
            metrics.message_in(role)
            if not _rate_ok(conn):
                continue
            try:
                message = parse_frame(frame, allowed)
                if message["type"] == "ping":
                    conn.send(pong())
                else:
                    await handle(message)
            except ProtocolError as exc:
                conn.error(exc.code, exc.message, exc.request)
            except HubError as exc:
                conn.error(exc.code, exc.message, str(message.get("type")))
            except Exception:  # a bug must not take the socket down
                _internal_error(conn)
        await conn.drain()
    finally:
        await desk.connection_lost(conn)
        await conn.stop()


# ---------------------------------------------------------------- customer


async def customer_socket(request: AppRequest, ws: WebsocketImplProtocol) -> None:
    """One customer's signaling socket, counted against its client address's limits."""
    ctx = request.app.ctx
    limits = ctx.address_limits
    address = client_address(request, ctx.trusted_proxies)
    counted = False

    async def start(conn: Connection) -> _Handler | None:
        nonlocal counted
        if not await limits.open_socket(address):
            log_event(logger, logging.WARNING, "ws_too_many_sockets", client=address)
            conn.error(
                "too_many_connections",
                "Too many support sessions are open from your network: close one, then try again.",
            )
            conn.close(CloseCode.TOO_MANY_SOCKETS, "too many sockets")
            return None
        counted = True
        return lambda message: _handle_customer(ctx.desk, limits, address, conn, message)

    try:
        await _serve(request, ws, "customer", CUSTOMER_TYPES, start)
    finally:
        if counted:
            await limits.close_socket(address)


async def _handle_customer(
    desk: Desk, limits: AddressLimits, address: str, conn: Connection, message: Message
) -> None:
    kind = message["type"]
    if kind in ("join", "resume"):
        if conn.member_id is not None:
            raise ProtocolError("already_joined", "This socket has already joined.", request=kind)
        if kind == "join":
            name = validate_name(message.get("name"))
            allowed, retry_after = await limits.allow_join(address)
            if not allowed:
                log_event(logger, logging.WARNING, "join_rate_limited", client=address)
                raise ProtocolError(
                    "rate_limited",
                    "Too many new sessions from your network: "
                    f"try again in {math.ceil(retry_after)} seconds.",
                    request="join",
                )
            await desk.join(name, conn)
        else:
            await desk.resume(require_str(message, "token"), conn)
        return
    member_id = conn.member_id
    if member_id is None:
        raise ProtocolError("not_joined", "Send 'join' (or 'resume') first.", request=kind)
    if kind == "signal":
        await desk.signal(member_id, require_object(message, "data"))
    elif kind == "pan_confirm":
        await desk.confirm_pan(member_id, validate_pan_fields(message.get("fields")))
        log_event(logger, logging.INFO, "pan_confirmed", customer=member_id)
    elif kind == "leave":
        await desk.customer_leave(member_id, conn)


# ---------------------------------------------------------------- employee


async def employee_socket(request: AppRequest, ws: WebsocketImplProtocol) -> None:
    """One employee's signaling socket: it lives only as long as the login it was opened with
    (checked before every message and every ``SUPPORT_SESSION_CHECK_S``)."""
    ctx = request.app.ctx
    watch = ctx.session_watch
    watched: Connection | None = None

    async def start(conn: Connection) -> _Handler | None:
        nonlocal watched
        token = session_token(request)
        employee = None if token is None else await session_employee(ctx.accounts, token)
        if token is None or employee is None:
            log_event(logger, logging.WARNING, "ws_unauthorized")
            conn.error("unauthorized", "Log in as an employee first.")
            conn.close(CloseCode.UNAUTHORIZED, "unauthorized")
            return None
        watch.add(conn, employee.id, token)
        watched = conn
        await ctx.desk.employee_connect(employee.id, employee.shown_name, conn)

        async def handle(message: Message) -> None:
            # A relayed signal reaches only the customer already in a call with this employee,
            # which ends with the login anyway (at the next sweep): no database read for each
            # ICE candidate. Every other message is carried out only if the login still holds.
            if message["type"] == "signal" or await watch.still_valid(conn):
                await _handle_employee(ctx.desk, employee, message)

        return handle

    try:
        await _serve(request, ws, "employee", EMPLOYEE_TYPES, start)
    finally:
        if watched is not None:
            watch.discard(watched)


async def _handle_employee(desk: Desk, employee: Employee, message: Message) -> None:
    kind = message["type"]
    if kind == "pick":
        await desk.pick(employee.id, require_str(message, "customer_id"))
    elif kind == "signal":
        await desk.signal(employee.id, require_object(message, "data"))
    elif kind == "leave":
        await desk.employee_leave(employee.id)
    elif kind == "queue_sync":
        await desk.queue_sync(employee.id)


signaling_blueprint.add_websocket_route(customer_socket, "/ws/customer")
signaling_blueprint.add_websocket_route(employee_socket, "/ws/employee")
