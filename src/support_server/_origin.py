"""Which web pages may talk to the server: the ``Origin`` rule for sockets and HTTP.

Browsers send ``Origin`` on WebSocket upgrades and on every cross-site (and same-origin
``POST``) request. :func:`origin_allowed` is the one rule: no ``Origin`` (a non-browser
client) passes; with ``SUPPORT_ALLOWED_ORIGINS`` the origin must be listed, otherwise it must
be the server's own (the request's ``Host``). :func:`cross_site_refusal` applies it to
state-changing HTTP requests, so a page elsewhere cannot log a browser in or act with its
cookie.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from sanic import HTTPResponse, Request

from ._http import error_response
from ._logging import LOGGER_NAME, log_event
from ._settings import Settings

__all__ = ["SAFE_METHODS", "cross_site_refusal", "origin_allowed"]

logger = logging.getLogger(f"{LOGGER_NAME}.http")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _netloc(scheme: str, host: str) -> str:
    host = host.strip().lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default and host.endswith(f":{default}"):
        host = host[: -len(default) - 1]
    return host


def origin_allowed(origin: str | None, host: str | None, settings: Settings) -> bool:
    """Whether a request (or WebSocket upgrade) with this ``Origin`` may go ahead.

    No ``Origin`` (a non-browser client) is allowed. With ``allowed_origins`` set, the origin
    must be listed; otherwise it must match the request's ``Host`` (same origin).
    """
    if origin is None:
        return True
    origin = origin.strip()
    if settings.allowed_origins:
        return origin.rstrip("/") in settings.allowed_origins
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or host is None:
        return False
    origin_host = _netloc(parts.scheme, parts.netloc)
    return origin_host in (_netloc(parts.scheme, host), _netloc("http", host))


def cross_site_refusal(request: Request[Any, Any], settings: Settings) -> HTTPResponse | None:
    """``403 origin_not_allowed`` for a state-changing request from another site, else None."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.headers.get("origin")
    if origin_allowed(origin, request.headers.get("host"), settings):
        return None
    log_event(logger, logging.WARNING, "http_origin_refused", path=request.path)
    return error_response(
        403, "origin_not_allowed", "This page's origin may not send requests to this server."
    )
