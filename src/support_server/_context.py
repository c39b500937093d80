"""The typed application context (``app.ctx``) and request type aliases."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from redis.asyncio import Redis
from sanic import Request, Sanic
from sanic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

from ._accounts import AccountStore
from ._admission import AddressLimits
from ._desk import Desk
from ._metrics import DeskMetrics
from ._ocr import OcrPool, ReaderFactory
from ._periodic import Periodic
from ._proxy import IpNetwork
from ._ratelimit import KeyedLimiter
from ._session_watch import SessionWatch
from ._settings import Settings
from ._throttle import LoginThrottle

__all__ = ["AppContext", "AppRequest", "SupportApp"]


@dataclass(slots=True)
class AppContext:
    """Everything the handlers share. Heavy parts are set by ``before_server_start``."""

    settings: Settings
    reader_factory: ReaderFactory
    login_throttle: LoginThrottle
    trusted_proxies: tuple[IpNetwork, ...]
    upload_limiter: KeyedLimiter
    address_limits: AddressLimits
    metrics: DeskMetrics
    metrics_networks: tuple[IpNetwork, ...]
    desk: Desk = field(init=False)
    db: AsyncEngine = field(init=False)
    session_watch: SessionWatch = field(init=False)
    background: list[Periodic] = field(init=False)
    redis: Redis | None = None
    """The shared Redis client in cluster mode (``SUPPORT_REDIS_URL``), else ``None``."""
    accounts: AccountStore = field(init=False)
    ocr: OcrPool = field(init=False)


SupportApp = Sanic[Config, AppContext]
AppRequest = Request[SupportApp, SimpleNamespace]
