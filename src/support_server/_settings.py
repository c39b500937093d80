"""Server settings: one frozen object parsed once from ``SUPPORT_*`` environment variables."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ._proxy import parse_networks

__all__ = ["Settings", "SettingsError"]

PREFIX = "SUPPORT_"


class SettingsError(ValueError):
    """A ``SUPPORT_*`` variable (or a Settings argument) has a bad value."""


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server can be configured with; see the README's Configuration table.

    Build it with :meth:`from_env` (what the ``support-server`` command does) or directly,
    e.g. in tests: ``Settings(data_dir=tmp_path, reconnect_grace_s=0.5)``.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    database_url: str | None = field(default=None, repr=False)
    user_ui_dir: Path = Path("web/user/dist")
    employee_ui_dir: Path = Path("web/employee/dist")
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    reconnect_grace_s: float = 30.0
    waiting_grace_s: float = 15.0
    max_waiting: int = 500
    max_customer_sockets_per_address: int = 20
    joins_per_address_per_min: int = 10
    ws_join_timeout_s: float = 10.0
    max_upload_bytes: int = 10_000_000
    max_image_pixels: int = 40_000_000
    image_memory_bytes: int = 256_000_000
    ocr_workers: int = 1
    ocr_queue: int = 4
    ocr_threads: int = 1
    ocr_timeout_s: float = 60.0
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = field(default=None, repr=False)
    redis_url: str | None = field(default=None, repr=False)
    turn_ttl_s: int = 600
    ws_rate_per_s: float = 20.0
    ws_max_frame_bytes: int = 65_536
    ws_max_outbox_bytes: int = 4_000_000
    upload_rate_per_min: int = 20
    header_timeout_s: float = 10.0
    body_timeout_s: float = 120.0
    session_ttl_s: int = 43_200
    session_check_s: float = 5.0
    login_max_failures: int = 3
    login_account_max_failures: int = 50
    metrics_token: str | None = field(default=None, repr=False)
    metrics_allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    log_level: str = "INFO"
    log_format: str = "kv"

    def __post_init__(self) -> None:
        for name in ("data_dir", "user_ui_dir", "employee_ui_dir"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Path(value))
            elif not isinstance(value, Path):
                raise SettingsError(f"{name} must be a path, got {type(value).__name__}")
        if not self.host:
            raise SettingsError("host must not be empty")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be in 0..65535, got {self.port}")
        positive = (
            "reconnect_grace_s",
            "waiting_grace_s",
            "max_waiting",
            "max_customer_sockets_per_address",
            "joins_per_address_per_min",
            "ws_join_timeout_s",
            "max_upload_bytes",
            "max_image_pixels",
            "image_memory_bytes",
            "ocr_workers",
            "ocr_threads",
            "ocr_timeout_s",
            "turn_ttl_s",
            "ws_rate_per_s",
            "ws_max_frame_bytes",
            "ws_max_outbox_bytes",
            "upload_rate_per_min",
            "header_timeout_s",
            "body_timeout_s",
            "session_ttl_s",
            "session_check_s",
            "login_max_failures",
            "login_account_max_failures",
        )
        for name in positive:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SettingsError(f"{name} must be a number, got {value!r}")
            if not math.isfinite(value) or value <= 0:
                raise SettingsError(f"{name} must be positive, got {value}")
        if self.database_url is not None:
            from .db import DatabaseError, database_url

            try:
                database_url(self.database_url)
            except DatabaseError as exc:
                raise SettingsError(f"database_url is invalid: {exc}") from None
        if self.ocr_queue < 0:
            raise SettingsError(f"ocr_queue must be 0 or more, got {self.ocr_queue}")
        for origin in self.allowed_origins:
            if not origin.startswith(("http://", "https://")) or origin.endswith("/"):
                raise SettingsError(
                    f"allowed origin {origin!r} must look like 'https://host[:port]' "
                    "(scheme, host, optional port, no trailing slash)"
                )
        try:
            parse_networks(self.trusted_proxies)
        except ValueError as exc:
            raise SettingsError(f"trusted proxy {exc}") from None
        try:
            parse_networks(self.metrics_allow)
        except ValueError as exc:
            raise SettingsError(f"metrics network {exc}") from None
        for url in self.stun_urls:
            if not url.startswith(("stun:", "stuns:")):
                raise SettingsError(f"STUN URL {url!r} must start with 'stun:' or 'stuns:'")
        for url in self.turn_urls:
            if not url.startswith(("turn:", "turns:")):
                raise SettingsError(f"TURN URL {url!r} must start with 'turn:' or 'turns:'")
        if self.redis_url is not None and not self.redis_url.startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise SettingsError(
                "redis_url must look like 'redis://host:6379/0' (or rediss://, unix://)"
            )
        level = self.log_level.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise SettingsError(
                f"log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {self.log_level!r}"
            )
        object.__setattr__(self, "log_level", level)
        if self.log_format not in ("kv", "json"):
            raise SettingsError(f"log_format must be 'kv' or 'json', got {self.log_format!r}")

    @property
    def log_level_number(self) -> int:
        """The ``logging`` level number of :attr:`log_level`."""
        return int(logging.getLevelName(self.log_level))

    @property
    def db_path(self) -> Path:
        """The default SQLite database (used when :attr:`database_url` is not set)."""
        return self.data_dir / "support.sqlite3"

    @property
    def effective_database_url(self) -> str:
        """The database of the durable data: :attr:`database_url`, else the SQLite file."""
        if self.database_url is not None:
            return self.database_url
        from .db import sqlite_url

        return sqlite_url(self.db_path)

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with some values replaced (validated again)."""
        return replace(self, **changes)

    @classmethod
    def unknown_env_vars(cls, environ: Mapping[str, str] | None = None) -> list[str]:
        """Return ``SUPPORT_*`` variables that name no setting (likely typos)."""
        env = os.environ if environ is None else environ
        known = {f"{PREFIX}{f.name.upper()}" for f in fields(cls)}
        return sorted(k for k in env if k.startswith(PREFIX) and k not in known)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Parse ``SUPPORT_*`` variables; unset ones keep their defaults.

        Raises :class:`SettingsError` naming the variable and the expected form on a bad value.
        """
        env = os.environ if environ is None else environ
        known = {f"{PREFIX}{f.name.upper()}": f for f in fields(cls)}
        values: dict[str, Any] = {}
        for var, f in known.items():
            raw = env.get(var)
            if raw is None:
                continue
            parser = _PARSERS[f.name]
            try:
                values[f.name] = parser(raw.strip())
            except ValueError as exc:
                raise SettingsError(f"{var}={raw!r} is invalid: {exc}") from None
        try:
            return cls(**values)
        except SettingsError as exc:
            raise SettingsError(f"bad SUPPORT_* setting: {exc}") from None


def _int(text: str) -> int:
    try:
        return int(text.replace("_", ""))
    except ValueError:
        raise ValueError("expected a whole number") from None


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError("expected a number") from None


def _optional_str(text: str) -> str | None:
    return text or None


def _str(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


_PARSERS: dict[str, Callable[[str], Any]] = {
    "host": _str,
    "port": _int,
    "data_dir": Path,
    "database_url": _optional_str,
    "user_ui_dir": Path,
    "employee_ui_dir": Path,
    "allowed_origins": _csv,
    "trusted_proxies": _csv,
    "reconnect_grace_s": _float,
    "waiting_grace_s": _float,
    "max_waiting": _int,
    "max_customer_sockets_per_address": _int,
    "joins_per_address_per_min": _int,
    "ws_join_timeout_s": _float,
    "max_upload_bytes": _int,
    "max_image_pixels": _int,
    "image_memory_bytes": _int,
    "ocr_workers": _int,
    "ocr_queue": _int,
    "ocr_threads": _int,
    "ocr_timeout_s": _float,
    "stun_urls": _csv,
    "turn_urls": _csv,
    "turn_secret": _optional_str,
    "redis_url": _optional_str,
    "turn_ttl_s": _int,
    "ws_rate_per_s": _float,
    "ws_max_frame_bytes": _int,
    "ws_max_outbox_bytes": _int,
    "upload_rate_per_min": _int,
    "header_timeout_s": _float,
    "body_timeout_s": _float,
    "session_ttl_s": _int,
    "session_check_s": _float,
    "login_max_failures": _int,
    "login_account_max_failures": _int,
    "metrics_token": _optional_str,
    "metrics_allow": _csv,
    "log_level": _str,
    "log_format": _str,
}
