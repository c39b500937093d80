"""Who is calling, and over what: forwarded headers believed only from trusted proxies.

A request's client address and scheme come from its own connection, unless the peer is in
``SUPPORT_TRUSTED_PROXIES`` (CIDRs). Then ``X-Forwarded-For`` is read from the right,
skipping trusted proxies, and the first other address is the client; ``X-Forwarded-Proto``
gives the scheme the client used. Anyone else's forwarded headers are ignored, so a client
cannot pick its own address (and with it a fresh login back-off) or fake HTTPS.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from sanic import Request

__all__ = ["IpNetwork", "client_address", "original_scheme", "parse_networks"]

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(cidrs: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    """``("10.0.0.0/8", "::1")`` -> networks; raise ``ValueError`` naming a bad entry."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            raise ValueError(
                f"{cidr!r} is not an IP address or network (like 10.0.0.0/8 or ::1)"
            ) from None
    return tuple(networks)


def _trusted(address: str, networks: tuple[IpNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request[Any, Any], networks: tuple[IpNetwork, ...]) -> str:
    """The caller's IP address, through trusted proxies only."""
    address = request.ip
    if not _trusted(address, networks):
        return address or "unknown"
    forwarded = ",".join(request.headers.getall("x-forwarded-for", []))
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        address = hop
        if not _trusted(hop, networks):
            break
    return address


def original_scheme(request: Request[Any, Any], networks: tuple[IpNetwork, ...]) -> str:
    """``https`` or ``http`` as the client used it (a trusted proxy may say so)."""
    if _trusted(request.ip, networks):
        proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        if proto in ("http", "https"):
            return proto
    return "https" if request.conn_info is not None and request.conn_info.ssl else "http"
