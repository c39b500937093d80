"""HTTP helpers: the JSON error shape and reading credentials from a request."""

from __future__ import annotations

from typing import Any

from sanic import HTTPResponse, Request
from sanic.response import json

__all__ = ["SESSION_COOKIE", "bearer_token", "error_response", "session_token"]

SESSION_COOKIE = "support_session"


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> HTTPResponse:
    """``{"error": {"code", "message"}}`` with the given status."""
    return json({"error": {"code": code, "message": message}}, status=status, headers=headers)


def bearer_token(request: Request[Any, Any]) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def session_token(request: Request[Any, Any]) -> str | None:
    """The employee login token from the bearer header, else the session cookie."""
    token = bearer_token(request)
    if token is not None:
        return token
    cookie = request.cookies.get(SESSION_COOKIE)
    return cookie or None
