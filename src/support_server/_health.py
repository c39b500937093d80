"""``GET /healthz`` (alive) and ``GET /readyz`` (an OCR worker can take a job)."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse
from sanic.response import json

from ._context import AppRequest

__all__ = ["health_blueprint"]

health_blueprint = Blueprint("health")


@health_blueprint.get("/healthz")
async def healthz(request: AppRequest) -> HTTPResponse:
    """200 while the process serves requests."""
    return json({"status": "ok"})


@health_blueprint.get("/readyz")
async def readyz(request: AppRequest) -> HTTPResponse:
    """200 while an OCR worker is warm and not stuck, else 503 with the reason.

    ``status`` is ``ready``, ``starting`` (workers loading), ``restarting`` (every worker was
    lost, to a crash or a job past its deadline, and replacements are loading) or ``failed``
    (the workers cannot start); ``workers`` counts them by state. In cluster mode it is
    ``state_unavailable`` while Redis cannot be reached.
    """
    if not await request.app.ctx.desk.state.available():
        down = {
            "status": "state_unavailable",
            "message": "The shared live state (Redis) is unreachable.",
        }
        return json(down, status=503, headers={"Retry-After": "1"})
    health = request.app.ctx.ocr.health()
    body: dict[str, object] = {"status": health.status, "workers": health.workers}
    if health.ready:
        return json(body)
    if health.reason is not None:
        body["message"] = health.reason
    headers = None if health.status == "failed" else {"Retry-After": "1"}
    return json(body, status=503, headers=headers)
