"""The PAN API: ``POST /api/pan/extract`` and ``GET /api/pan/images/<image_id>[/original]``."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from typing import Any

from sanic import Blueprint, HTTPResponse
from sanic.response import json, raw

from panread.pan import mask_pan

from ._auth import current_employee
from ._context import AppRequest
from ._desk import CustomerPan
from ._http import bearer_token, error_response
from ._logging import LOGGER_NAME, log_event
from ._ocr import OcrBusyError, OcrFailedError
from ._state import HubError

__all__ = ["STATUS_FOR_CODE", "pan_blueprint", "sniff_image_type"]

logger = logging.getLogger(f"{LOGGER_NAME}.pan")
pan_blueprint = Blueprint("pan", url_prefix="/api/pan")

STATUS_FOR_CODE = {
    "empty_file": 400,
    "image_too_large": 413,
    "decompression_bomb": 413,
    "not_an_image": 415,
    "unsupported_format": 415,
    "truncated_image": 422,
    "no_card_found": 422,
    "image_error": 422,
    "model_error": 503,
    "ocr_unavailable": 503,
    "ocr_timeout": 503,
}

MULTIPART_OVERHEAD = 1 << 16
"""Room for the multipart framing around an image of ``max_upload_bytes``."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_image_type(data: bytes) -> str:
    """The content type of image bytes from their signature (not from what the client said)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return "application/octet-stream"


def _image_bytes(request: AppRequest) -> bytes | HTTPResponse:
    content_type = (request.content_type or "").lower()
    if content_type.startswith("multipart/form-data"):
        upload = request.files.get("image") if request.files else None
        if upload is None:
            return error_response(400, "missing_image", "Send the image in the form field 'image'.")
        return bytes(upload.body)
    if content_type.startswith("image/"):
        return bytes(request.body or b"")
    return error_response(
        400,
        "missing_image",
        "Send the image as multipart/form-data field 'image' or as a raw image/* body.",
    )


async def _receive_body(request: AppRequest, cap: int) -> bytes | None:
    """The request body, read as it streams in; ``None`` once it is over ``cap`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        return None
    stream: Any = request.stream  # sanic's Http, whose read() is untyped
    chunks: list[bytes] = []
    size = 0
    while stream is not None and (chunk := await stream.read()) is not None:
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@pan_blueprint.post("/extract", stream=True)
async def extract(request: AppRequest) -> HTTPResponse:
    """Read a PAN card image in the OCR pool; store and push the result for the customer.

    The body streams: the caller is authorised and rate-limited before a byte of it is read,
    and reading stops at the size limit.
    """
    ctx = request.app.ctx
    desk = ctx.desk
    token = bearer_token(request)
    customer_id = await desk.state.customer_for_token(token) if token else None
    caller = customer_id
    if customer_id is None:
        employee = await current_employee(request)
        if employee is None:
            return error_response(
                401, "unauthorized", "Send your session token (Authorization: Bearer ...)."
            )
        caller = employee.id
        customer_id = await desk.state.room_customer(employee.id)
    if caller is None:  # pragma: no cover - both branches set it
        return error_response(401, "unauthorized", "Unknown caller.")
    allowed, retry = await ctx.upload_limiter.check(caller)
    if not allowed:
        wait = max(1, round(retry))
        return error_response(
            429,
            "rate_limited",
            f"Too many uploads: try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    limit = ctx.settings.max_upload_bytes
    body = await _receive_body(request, limit + MULTIPART_OVERHEAD)
    if body is None:
        return error_response(
            413, "image_too_large", f"The upload is over the limit of {limit} bytes."
        )
    request.body = body
    data = _image_bytes(request)
    if isinstance(data, HTTPResponse):
        return data
    if not data:
        return error_response(400, "empty_file", "The uploaded file is empty.")
    if len(data) > limit:
        return error_response(
            413, "image_too_large", f"The file has {len(data)} bytes; the limit is {limit}."
        )
    started = time.monotonic()
    try:
        read = await ctx.ocr.read(data)
        ctx.metrics.ocr_read(time.monotonic() - started)
    except OcrBusyError as exc:
        log_event(logger, logging.WARNING, "ocr_busy", pending=ctx.ocr.pending)
        return error_response(
            503,
            "busy",
            f"The card reader is busy: try again in {exc.retry_after} seconds.",
            headers={"Retry-After": str(exc.retry_after)},
        )
    except OcrFailedError as exc:
        ctx.metrics.ocr_read(time.monotonic() - started)
        log_event(logger, logging.INFO, "pan_extract_refused", caller=caller, code=exc.code)
        status = STATUS_FOR_CODE.get(exc.code, 422)
        headers = {"Retry-After": "5"} if status == 503 else None
        return error_response(status, exc.code, exc.message, headers=headers)
    result = read.card
    pan = result.get("pan")
    log_event(
        logger,
        logging.INFO,
        "pan_extracted",
        caller=caller,
        customer=customer_id,
        pan=mask_pan(pan) if isinstance(pan, str) else None,
    )
    if customer_id is not None and await desk.state.has_customer(customer_id):
        # the employee sees the card as it was read; the upright, metadata-free copy of the
        # picture stays at hand (the upload itself only when no copy could be made)
        original = read.preview or data
        kept = read.crop or original
        stored = CustomerPan(
            result=result,
            image_id=f"i_{secrets.token_urlsafe(18)}",
            image=kept,
            content_type=sniff_image_type(kept),
            original=original,
            original_type=sniff_image_type(original),
        )
        with contextlib.suppress(HubError):  # the customer left while the card was read
            await desk.set_pan_result(customer_id, stored)
    return json(result)


@pan_blueprint.get("/images/<image_id:str>")
async def image(request: AppRequest, image_id: str) -> HTTPResponse:
    """The card as it was read, only for the employee paired with its customer."""
    return await _serve_image(request, image_id, original=False)


@pan_blueprint.get("/images/<image_id:str>/original")
async def original_image(request: AppRequest, image_id: str) -> HTTPResponse:
    """The whole picture the card was read from, with the same rule as :func:`image`."""
    return await _serve_image(request, image_id, original=True)


async def _serve_image(request: AppRequest, image_id: str, *, original: bool) -> HTTPResponse:
    employee = await current_employee(request)
    if employee is None:
        return error_response(404, "not_found", "No such image.")
    pan = await request.app.ctx.desk.image_for(image_id, employee.id)
    if pan is None:
        return error_response(404, "not_found", "No such image.")
    data, content_type = (
        (pan.original, pan.original_type) if original else (pan.image, pan.content_type)
    )
    if not data:
        return error_response(
            410,
            "image_dropped",
            "The server no longer keeps this image (memory limit): ask the customer to upload "
            "it again.",
        )
    log_event(
        logger,
        logging.INFO,
        "pan_image_viewed",
        employee=employee.id,
        customer=await request.app.ctx.desk.state.room_customer(employee.id),
        image=image_id,
        original=original,
    )
    return raw(
        data,
        content_type=content_type,
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
