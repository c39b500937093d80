"""``GET /metrics`` in the Prometheus text format, for allowed networks with the token.

Access: the client address must be in ``SUPPORT_METRICS_ALLOW`` (default: loopback only),
else ``403``; when ``SUPPORT_METRICS_TOKEN`` is set the request must also carry it as a bearer
token, else ``401``.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from sanic import Blueprint, HTTPResponse
from sanic.response import raw

from ._context import AppRequest
from ._http import bearer_token, error_response
from ._logging import LOGGER_NAME, log_event
from ._metrics import DeskCounts
from ._proxy import client_address

__all__ = ["metrics_blueprint"]

logger = logging.getLogger(f"{LOGGER_NAME}.metrics")
metrics_blueprint = Blueprint("metrics")

_FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def _address_allowed(request: AppRequest) -> bool:
    """Whether the client is in ``SUPPORT_METRICS_ALLOW``.

    The address is the connection's, or the forwarded one from a trusted proxy. A request
    relayed by a proxy that is not trusted is refused: its connection address is the proxy's
    (often loopback), not the client's.
    """
    ctx = request.app.ctx
    address = client_address(request, ctx.trusted_proxies)
    if address == request.ip and any(h in request.headers for h in _FORWARDING_HEADERS):
        return False
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in ctx.metrics_networks)


@metrics_blueprint.get("/metrics")
async def metrics(request: AppRequest) -> HTTPResponse:
    """The Prometheus metrics, for allowed addresses with the token (if one is set)."""
    ctx = request.app.ctx
    if not _address_allowed(request):
        log_event(logger, logging.WARNING, "metrics_refused", reason="address")
        return error_response(403, "forbidden", "Metrics are not served to this address.")
    expected = ctx.settings.metrics_token
    if expected is not None:
        given = bearer_token(request) or ""
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log_event(logger, logging.WARNING, "metrics_refused", reason="token")
            return error_response(
                401,
                "unauthorized",
                "Send the metrics token (Authorization: Bearer ...).",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
    stats = await ctx.desk.stats()
    counts = DeskCounts(
        waiting=stats["waiting"],
        rooms=stats["rooms"],
        employees_here=len(ctx.desk.sockets.employees()),
        ocr_in_flight=ctx.ocr.pending,
    )
    body, content_type = ctx.metrics.render(counts, request.headers.get("accept", ""))
    return raw(body, content_type=content_type)
