"""Every message the server sends on a WebSocket, and every close code (see docs/protocol.md).

The rest of the server builds outgoing frames only through these functions, so the wire format
is written down once. Incoming frames are parsed in :mod:`support_server._messages`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

__all__ = [
    "IMAGE_URL_PREFIX",
    "ORIGINAL_SUFFIX",
    "CloseCode",
    "Delivery",
    "Message",
    "Outcome",
    "bye",
    "call_ended",
    "customer_left",
    "customer_welcome",
    "dumps",
    "employee_left",
    "employee_welcome",
    "error_message",
    "ice_servers_message",
    "iso_utc",
    "paired_for_customer",
    "paired_for_employee",
    "pan_confirmed",
    "pan_result",
    "peer_reconnected",
    "peer_reconnecting",
    "pong",
    "queue",
    "queue_change",
    "queue_changes",
    "queue_entry",
    "queue_position",
    "signal",
]

Message = dict[str, Any]
IMAGE_URL_PREFIX = "/api/pan/images/"
ORIGINAL_SUFFIX = "/original"
"""``image_url`` is the card cut out as read; ``image_url + ORIGINAL_SUFFIX`` the picture."""


class CloseCode(IntEnum):
    """WebSocket close codes the server uses."""

    NORMAL = 1000
    """After a customer's ``leave`` (``bye`` is sent first)."""
    GOING_AWAY = 1001
    """The server is shutting down: resume within the grace period, on any server."""
    TOO_SLOW = 1008
    """The client stopped reading: its outbox filled up."""
    TOO_BIG = 1009
    """A frame over the size limit (Sanic closes with it; listed for completeness)."""
    UNAUTHORIZED = 4401
    """Employee socket without a valid login."""
    ORIGIN_NOT_ALLOWED = 4403
    """A browser origin that may not connect."""
    JOIN_TIMEOUT = 4408
    """A customer socket sent neither ``join`` nor ``resume`` in time."""
    REPLACED = 4409
    """The same member connected again on a newer socket."""
    TOO_MANY_SOCKETS = 4429
    """The client's address already has as many customer sockets open as it may."""


def dumps(message: Message) -> str:
    """Serialise a message compactly."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def iso_utc(ts: float) -> str:
    """Format Unix seconds as ISO 8601 UTC with milliseconds, e.g. ``2026-11-24T09:15:02.123Z``."""
    stamp = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def error_message(code: str, message: str, request: str | None = None) -> Message:
    """An ``error`` frame; ``request`` names the message type it answers."""
    out: Message = {"type": "error", "code": code, "message": message}
    if request is not None:
        out["request"] = request
    return out


def pong() -> Message:
    return {"type": "pong"}


def bye() -> Message:
    return {"type": "bye"}


def customer_welcome(
    customer_id: str, token: str, *, resumed: bool, ice_servers: list[Message]
) -> Message:
    return {
        "type": "welcome",
        "customer_id": customer_id,
        "token": token,
        "resumed": resumed,
        "ice_servers": ice_servers,
    }


def employee_welcome(employee: Message, ice_servers: list[Message]) -> Message:
    return {"type": "welcome", "employee": employee, "ice_servers": ice_servers}


def queue_position(position: int, waiting: int, estimated_wait_s: int | None) -> Message:
    return {
        "type": "queue_position",
        "position": position,
        "waiting": waiting,
        "estimated_wait_s": estimated_wait_s,
    }


def queue_entry(customer_id: str, name: str, joined_at: float, pan_status: str) -> Message:
    """One customer in the employees' ``queue`` message."""
    return {
        "customer_id": customer_id,
        "name": name,
        "waiting_since": iso_utc(joined_at),
        "pan_status": pan_status,
    }


def queue(seq: int, entries: list[Message]) -> Message:
    """The employees' queue snapshot: everyone waiting after change ``seq``, front first."""
    return {"type": "queue", "seq": seq, "customers": entries}


def queue_change(
    seq: int, op: str, customer_id: str, entry: Message | None, position: int | None
) -> Message:
    """One numbered change in ``queue_changes``: ``added`` (with ``position`` and
    ``customer``), ``removed`` (``customer_id``) or ``updated`` (``customer``)."""
    change: Message = {"seq": seq, "op": op}
    if position is not None:
        change["position"] = position
    if entry is None:
        change["customer_id"] = customer_id
    else:
        change["customer"] = entry
    return change


def queue_changes(changes: list[Message], waiting: int) -> Message:
    """The queue changes since the last such message, in order; ``waiting`` is the length of
    the queue after the last one."""
    return {"type": "queue_changes", "changes": changes, "waiting": waiting}


def paired_for_customer(room_id: str, employee_name: str, ice_servers: list[Message]) -> Message:
    return {
        "type": "paired",
        "room_id": room_id,
        "employee": {"name": employee_name},
        "ice_servers": ice_servers,
    }


def ice_servers_message(ice_servers: list[Message]) -> Message:
    """Fresh ICE servers (TURN credentials) before the previous ones expire."""
    return {"type": "ice_servers", "ice_servers": ice_servers}


def paired_for_employee(room_id: str, customer_id: str, name: str, pan_status: str) -> Message:
    return {
        "type": "paired",
        "room_id": room_id,
        "customer": {"customer_id": customer_id, "name": name, "pan_status": pan_status},
    }


def pan_result(result: Message, image_id: str) -> Message:
    return {
        "type": "pan_result",
        "result": result,
        "image_url": IMAGE_URL_PREFIX + image_id,
        "original_url": IMAGE_URL_PREFIX + image_id + ORIGINAL_SUFFIX,
    }


def pan_confirmed(fields: Message) -> Message:
    return {"type": "pan_confirmed", "fields": dict(fields)}


def signal(data: Message) -> Message:
    return {"type": "signal", "data": data}


def peer_reconnecting() -> Message:
    return {"type": "peer_reconnecting"}


def peer_reconnected() -> Message:
    return {"type": "peer_reconnected"}


def employee_left() -> Message:
    return {"type": "employee_left"}


def customer_left() -> Message:
    return {"type": "customer_left"}


def call_ended(reason: str) -> Message:
    return {"type": "call_ended", "reason": reason}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message for one member (customer or employee id)."""

    to: str
    message: Message


@dataclass(slots=True)
class Outcome:
    """What a desk command produced: the messages to deliver (queue changes travel apart, as
    the live state announces them)."""

    deliveries: list[Delivery] = field(default_factory=list)

    def send(self, to: str, message: Message) -> None:
        self.deliveries.append(Delivery(to, message))

    def merge(self, other: Outcome) -> Outcome:
        self.deliveries.extend(other.deliveries)
        return self
