"""``create_app()``: one ``setup_*`` per concern, heavy objects built at server start."""

from __future__ import annotations

import json as json_module
import logging
from typing import Any

from sanic import HTTPResponse, Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import BaseHTTPResponse

from ._accounts import AccountStore
from ._admission import MemoryAddressLimits
from ._auth import auth_blueprint, session_employee
from ._context import AppContext, SupportApp
from ._desk import Desk
from ._health import health_blueprint
from ._http import error_response
from ._hub import Hub, default_new_id
from ._ice import ice_servers
from ._images import MemoryImageStore
from ._logging import LOGGER_NAME, log_event
from ._metrics import DeskMetrics
from ._metrics_route import metrics_blueprint
from ._ocr import OcrConfig, OcrPool, ReaderFactory, default_reader_factory
from ._origin import cross_site_refusal
from ._pan import pan_blueprint
from ._periodic import Periodic
from ._proxy import original_scheme, parse_networks
from ._ratelimit import KeyedRateLimiter
from ._redis_cluster import RedisCluster
from ._redis_limits import RedisAddressLimits, RedisLoginThrottle, RedisRateLimiter
from ._redis_state import RedisImageStore, RedisState, connect_redis
from ._session_watch import SessionWatch
from ._settings import Settings
from ._signaling import signaling_blueprint
from ._state import StateUnavailable
from ._static import static_blueprint
from ._throttle import MemoryLoginThrottle
from .db import create_engine, current_revision, upgrade

__all__ = ["create_app"]

logger = logging.getLogger(LOGGER_NAME)
REQUEST_MAX_BYTES = 1 << 20
ADDRESS_SYNC_S = 2.0
"""How soon a cluster process rewrites its socket counts in Redis after a write failed."""
"""The largest request body other than a PAN upload (JSON bodies are far smaller)."""


def create_app(
    settings: Settings | None = None,
    *,
    reader_factory: ReaderFactory = default_reader_factory,
    name: str = "support_server",
) -> SupportApp:
    """Build the Sanic app: signaling, PAN API, auth, static UIs, health.

    ``settings`` defaults to :meth:`Settings.from_env`. ``reader_factory`` builds the OCR
    reader inside each worker process (a picklable module-level function). Nothing heavy
    happens here: the database, the Hub and the OCR pool start in ``before_server_start``.
    """
    settings = Settings.from_env() if settings is None else settings
    ctx = AppContext(
        settings=settings,
        reader_factory=reader_factory,
        login_throttle=MemoryLoginThrottle(
            max_failures=settings.login_max_failures,
            account_max_failures=settings.login_account_max_failures,
        ),
        trusted_proxies=parse_networks(settings.trusted_proxies),
        metrics=DeskMetrics(),
        metrics_networks=parse_networks(settings.metrics_allow),
        upload_limiter=KeyedRateLimiter(
            rate=settings.upload_rate_per_min / 60.0, burst=settings.upload_rate_per_min
        ),
        address_limits=MemoryAddressLimits(
            max_sockets=settings.max_customer_sockets_per_address,
            joins_per_min=settings.joins_per_address_per_min,
        ),
    )
    app: SupportApp = Sanic(name, ctx=ctx)
    setup_config(app, settings)
    setup_errors(app)
    setup_security_headers(app)
    setup_error_metrics(app)
    setup_cross_site_guard(app)
    setup_state(app)
    setup_ocr(app)
    setup_blueprints(app)
    return app


def setup_config(app: SupportApp, settings: Settings) -> None:
    """Sanic limits derived from the settings."""
    logger.setLevel(settings.log_level_number)
    app.config.WEBSOCKET_MAX_SIZE = settings.ws_max_frame_bytes
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_BYTES  # the PAN upload streams its own limit
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.ACCESS_LOG = False
    app.config.KEEP_ALIVE_TIMEOUT = 75
    # Total deadlines for a request's headers and body (see _protocol.DeadlineProtocol); the
    # response deadline leaves room for the body, a wait for an OCR worker and the read.
    app.config.update(
        REQUEST_TIMEOUT=settings.header_timeout_s,
        BODY_TIMEOUT=settings.body_timeout_s,
        RESPONSE_TIMEOUT=settings.body_timeout_s + 2 * settings.ocr_timeout_s + 10,
    )


def setup_errors(app: SupportApp) -> None:
    """Every error answers ``{"error": {"code", "message"}}``."""

    @app.exception(SanicException)
    async def sanic_error(request: Request, exc: SanicException) -> HTTPResponse:
        status = exc.status_code
        if status == 413:
            code = "image_too_large" if request.path.startswith("/api/pan") else "too_large"
            message = "The request body is over the size limit."
        elif status == 408:
            code, message = "request_timeout", "The request took too long to arrive."
        else:
            code = {
                400: "bad_request",
                401: "unauthorized",
                404: "not_found",
                405: "method_not_allowed",
            }.get(status, "error")
            message = str(exc) or "Request failed."
        return error_response(status, code, message)

    @app.exception(StateUnavailable)
    async def state_unavailable(request: Request, exc: StateUnavailable) -> HTTPResponse:
        log_event(logger, logging.WARNING, "state_unavailable", path=request.path)
        return error_response(503, exc.code, exc.message, headers={"Retry-After": "2"})

    @app.exception(Exception)
    async def internal_error(request: Request, exc: Exception) -> HTTPResponse:
        log_event(logger, logging.ERROR, "internal_error", error=type(exc).__name__)
        logger.debug("internal error", exc_info=exc)
        return error_response(500, "internal_error", "Something went wrong on the server.")


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",  # the built apps load one module script; nothing inline
        "style-src 'self'",
        "img-src 'self' blob:",  # blob: previews of the photo a customer chose
        "media-src 'self' blob:",
        "connect-src 'self'",  # HTTP API and the WebSockets of this origin
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"
"""Camera and microphone for the apps' own pages only; the apps use nothing else."""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": PERMISSIONS_POLICY,
}
HSTS = "max-age=31536000"


def setup_security_headers(app: SupportApp) -> None:
    """Headers every HTTP response carries: no sniffing, framing or referrer, a CSP and a
    Permissions-Policy; HSTS too when the browser used HTTPS (directly or via a trusted proxy).
    """

    async def add_headers(request: Request, response: BaseHTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if original_scheme(request, app.ctx.trusted_proxies) == "https":
            response.headers.setdefault("Strict-Transport-Security", HSTS)

    app.register_middleware(add_headers, "response")


def setup_cross_site_guard(app: SupportApp) -> None:
    """State-changing requests from another site's pages are refused (403)."""

    async def refuse_cross_site(request: Request) -> HTTPResponse | None:
        return cross_site_refusal(request, app.ctx.settings)

    app.register_middleware(refuse_cross_site, "request")


def setup_error_metrics(app: SupportApp) -> None:
    """Every HTTP error answer counts in ``support_errors_total`` under its code."""

    async def count_error(request: Request, response: BaseHTTPResponse) -> None:
        if response.status >= 400 and response.content_type == "application/json":
            app.ctx.metrics.error(_error_code(response.body), "http")

    app.register_middleware(count_error, "response")


def _error_code(body: bytes | None) -> str:
    """The ``code`` of an ``{"error": {"code": ...}}`` body (``"error"`` if it has none)."""
    try:
        code = json_module.loads(body or b"")["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return "error"
    return code if isinstance(code, str) else "error"


def setup_state(app: SupportApp) -> None:
    """The database (migrated to the newest schema) and the desk (live state, images, sockets).

    Sanic cancels the WebSocket handlers in its own ``before_server_stop`` listener, and
    handlers cancelled that way close with 1000. Shutdown listeners run in reverse order of
    registration, so WebSockets are enabled first and the desk's listener, registered after
    Sanic's, runs before it: every socket is closed with 1001 as the protocol promises.
    """
    app.enable_websocket()

    @app.before_server_start
    async def open_state(app: SupportApp) -> None:
        settings = app.ctx.settings
        app.ctx.db = create_engine(settings.effective_database_url)
        await upgrade(app.ctx.db)
        log_event(
            logger,
            logging.INFO,
            "database_ready",
            backend=app.ctx.db.dialect.name,
            revision=await current_revision(app.ctx.db),
        )
        app.ctx.accounts = AccountStore(app.ctx.db)
        app.ctx.desk = _make_desk(app)
        await app.ctx.desk.start()
        accounts = app.ctx.accounts
        app.ctx.session_watch = watch = SessionWatch(lambda t: session_employee(accounts, t))
        app.ctx.background = [Periodic("session_sweep", watch.sweep, settings.session_check_s)]
        if settings.turn_secret and settings.turn_urls:
            renew = Periodic("ice_renewal", app.ctx.desk.renew_ice, settings.turn_ttl_s / 2)
            app.ctx.background.append(renew)
        if isinstance(app.ctx.address_limits, RedisAddressLimits):
            sync = Periodic("address_count_sync", app.ctx.address_limits.sync, ADDRESS_SYNC_S)
            app.ctx.background.append(sync)
        for job in app.ctx.background:
            job.start()
        log_event(logger, logging.INFO, "server_starting", host=settings.host, port=settings.port)

    @app.before_server_stop
    async def close_state(app: SupportApp) -> None:
        for job in app.ctx.background:
            await job.close()
        await app.ctx.desk.shutdown()
        if app.ctx.redis is not None:
            await app.ctx.redis.aclose()
        await app.ctx.db.dispose()


def _make_desk(app: SupportApp) -> Desk:
    """The desk over Redis when ``redis_url`` is set (cluster mode), else over memory.

    In cluster mode the login back-off, the upload rate limit and the per-address caps on
    customer sockets and joins move to Redis too, so that a client cannot multiply its budget
    by spreading requests over several processes.
    """
    settings = app.ctx.settings

    def ice(member_id: str, now: float, *, relay: bool = True) -> list[dict[str, Any]]:
        return ice_servers(settings, member_id, now, relay=relay)

    grace_s, waiting_grace_s = settings.reconnect_grace_s, settings.waiting_grace_s
    if settings.redis_url is None:
        hub = Hub(grace_s=grace_s, waiting_grace_s=waiting_grace_s)
        images = MemoryImageStore(budget=settings.image_memory_bytes)
        return Desk(hub, images, ice=ice, max_waiting=settings.max_waiting, metrics=app.ctx.metrics)
    client = app.ctx.redis = connect_redis(settings.redis_url)
    app.ctx.login_throttle = RedisLoginThrottle(
        client,
        max_failures=settings.login_max_failures,
        account_max_failures=settings.login_account_max_failures,
    )
    per_min = settings.upload_rate_per_min
    app.ctx.upload_limiter = RedisRateLimiter(
        client, rate=per_min / 60.0, burst=per_min, name="upload"
    )
    shared = RedisState(
        client, grace_s=grace_s, waiting_grace_s=waiting_grace_s, proc_id=default_new_id("p")
    )
    app.ctx.address_limits = RedisAddressLimits(
        client,
        proc_id=shared.proc_id,
        max_sockets=settings.max_customer_sockets_per_address,
        joins_per_min=settings.joins_per_address_per_min,
    )
    cluster = RedisCluster(client, shared)
    log_event(logger, logging.INFO, "cluster_mode", process=shared.proc_id)
    return Desk(
        shared,
        RedisImageStore(client),
        ice=ice,
        max_waiting=settings.max_waiting,
        metrics=app.ctx.metrics,
        cluster=cluster,
    )


def setup_ocr(app: SupportApp) -> None:
    """The OCR worker pool: processes start with the server and warm up in the background."""

    @app.before_server_start
    async def start_ocr(app: SupportApp) -> None:
        settings = app.ctx.settings
        config = OcrConfig(
            workers=settings.ocr_workers,
            queue=settings.ocr_queue,
            threads=settings.ocr_threads,
            max_bytes=settings.max_upload_bytes,
            max_pixels=settings.max_image_pixels,
            timeout_s=settings.ocr_timeout_s,
        )
        app.ctx.ocr = OcrPool(config, app.ctx.reader_factory)
        app.ctx.ocr.start()

    @app.after_server_stop
    async def stop_ocr(app: SupportApp) -> None:
        await app.ctx.ocr.close()


def setup_blueprints(app: SupportApp) -> None:
    """Routes: signaling, PAN API, auth, health, then the static UIs (catch-all last)."""
    for blueprint in (
        signaling_blueprint,
        pan_blueprint,
        auth_blueprint,
        health_blueprint,
        metrics_blueprint,
        static_blueprint,
    ):
        app.blueprint(blueprint)
