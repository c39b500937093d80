"""``GET /healthz`` (alive) and ``GET /readyz`` (OCR workers warmed)."""

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
    """200 once the OCR workers are loaded and warm, else 503."""
    ocr = request.app.ctx.ocr
    if ocr.ready:
        return json({"status": "ready"})
    if ocr.failure is not None:
        return json({"status": "failed", "message": ocr.failure}, status=503)
    return json({"status": "starting"}, status=503, headers={"Retry-After": "1"})
