"""Parsing and validating client WebSocket frames (pure functions).

What the server sends back is built in :mod:`support_server._outbound`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from panread.pan import is_pan

from ._names import DisplayNameError, clean_display_name

__all__ = [
    "CUSTOMER_TYPES",
    "EMPLOYEE_TYPES",
    "ProtocolError",
    "excerpt",
    "parse_frame",
    "validate_name",
    "validate_pan_fields",
]

Message = dict[str, Any]

CUSTOMER_TYPES = frozenset({"join", "resume", "signal", "pan_confirm", "leave", "ping"})
EMPLOYEE_TYPES = frozenset({"pick", "signal", "leave", "queue_sync", "ping"})
ALL_TYPES = CUSTOMER_TYPES | EMPLOYEE_TYPES

MAX_FIELD_NAME_CHARS = 100
MAX_ECHO_CHARS = 40
"""Error frames quote at most this much of what the client sent."""
PAN_FIELDS = ("pan", "name", "father_name", "dob")


class ProtocolError(Exception):
    """A frame the server refuses; becomes an ``error`` frame with this ``code``."""

    def __init__(self, code: str, message: str, *, request: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request = request


def excerpt(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """At most ``limit`` characters of client text (``…`` marks a cut), for error frames."""
    return text if len(text) <= limit else text[:limit] + "…"


def parse_frame(frame: str | bytes, allowed: frozenset[str]) -> Message:
    """Decode one frame into a message whose ``type`` is allowed for this role.

    Raises :class:`ProtocolError` with ``bad_json``, ``bad_message``, ``unknown_type`` or
    ``not_allowed``.
    """
    if isinstance(frame, bytes):
        raise ProtocolError("bad_json", "Binary frames are not accepted: send JSON text.")
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):
        raise ProtocolError("bad_json", "The frame is not valid JSON.") from None
    if not isinstance(message, dict):
        raise ProtocolError("bad_json", "The frame must be a JSON object.")
    kind = message.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("bad_message", "Field 'type' is missing or not a string.")
    if kind not in ALL_TYPES:
        shown = excerpt(kind)
        raise ProtocolError("unknown_type", f"Unknown message type {shown!r}.", request=shown)
    if kind not in allowed:
        raise ProtocolError(
            "not_allowed", f"Message type {kind!r} is not allowed for your role.", request=kind
        )
    return message


def require_str(message: Message, key: str, *, max_len: int = 256) -> str:
    """Return ``message[key]`` if it is a non-empty string of at most ``max_len`` characters."""
    value = message.get(key)
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise ProtocolError(
            "bad_message",
            f"Field {key!r} must be a non-empty string of at most {max_len} characters.",
            request=str(message.get("type")),
        )
    return value


def require_object(message: Message, key: str) -> Message:
    """Return ``message[key]`` if it is a JSON object."""
    value = message.get(key)
    if not isinstance(value, dict):
        raise ProtocolError(
            "bad_message",
            f"Field {key!r} must be a JSON object.",
            request=str(message.get("type")),
        )
    return value


def validate_name(value: Any) -> str:
    """Return the cleaned display name (see :mod:`support_server._names`), or raise
    ``invalid_name`` saying what is wrong with it."""
    if not isinstance(value, str):
        raise ProtocolError("invalid_name", "Field 'name' must be a string.", request="join")
    try:
        return clean_display_name(value)
    except DisplayNameError as exc:
        raise ProtocolError("invalid_name", str(exc), request="join") from None


def validate_pan_fields(value: Any) -> Message:
    """Return normalised ``pan_confirm`` fields, or raise ``bad_message`` naming the field."""

    def bad(field: str, why: str) -> ProtocolError:
        return ProtocolError("bad_message", f"fields.{field} {why}", request="pan_confirm")

    if not isinstance(value, dict):
        raise ProtocolError(
            "bad_message", "Field 'fields' must be a JSON object.", request="pan_confirm"
        )
    extra = sorted(set(value) - set(PAN_FIELDS))
    if extra:
        raise bad(excerpt(extra[0]), "is not a known field (pan, name, father_name, dob).")
    out: Message = {}
    for key in PAN_FIELDS:
        raw = value.get(key)
        if raw is None:
            out[key] = None
            continue
        if not isinstance(raw, str):
            raise bad(key, "must be a string or null.")
        text = " ".join(raw.split())
        if not text:
            out[key] = None
        elif key == "pan":
            pan = text.replace(" ", "").upper()
            if not is_pan(pan):
                raise bad(key, "must look like ABCDE1234F (5 letters, 4 digits, 1 letter).")
            out[key] = pan
        elif key == "dob":
            try:
                out[key] = dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise bad(key, "must be a date in the form YYYY-MM-DD.") from None
            if len(text) != 10:
                raise bad(key, "must be a date in the form YYYY-MM-DD.")
        else:
            if len(text) > MAX_FIELD_NAME_CHARS:
                raise bad(key, f"must have at most {MAX_FIELD_NAME_CHARS} characters.")
            out[key] = text
    return out
