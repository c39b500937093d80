"""ICE servers for ``welcome``, ``paired`` and ``ice_servers``: STUN/TURN URLs and TURN
REST-API credentials."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from ._settings import Settings

__all__ = ["ice_servers", "turn_credentials"]


def turn_credentials(secret: str, member_id: str, expires_at: int) -> tuple[str, str]:
    """Return ``(username, credential)`` per the TURN REST API (HMAC-SHA1, base64)."""
    username = f"{expires_at}:{member_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_servers(
    settings: Settings, member_id: str, now: float, *, relay: bool = True
) -> list[dict[str, Any]]:
    """Return the ``RTCIceServer`` list for one member; TURN (relay) servers only if ``relay``.

    TURN credentials are valid for ``turn_ttl_s`` from ``now``.
    """
    servers: list[dict[str, Any]] = []
    if settings.stun_urls:
        servers.append({"urls": list(settings.stun_urls)})
    if settings.turn_urls and relay:
        turn: dict[str, Any] = {"urls": list(settings.turn_urls)}
        if settings.turn_secret:
            username, credential = turn_credentials(
                settings.turn_secret, member_id, int(now) + settings.turn_ttl_s
            )
            turn["username"] = username
            turn["credential"] = credential
        servers.append(turn)
    return servers
