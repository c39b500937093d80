"""Structured logs: one line per event, ``key=value`` (or JSON), PANs masked, no names.

Call :func:`log_event` with an event name and fields; never pass a customer's name or a
full PAN. As a safety net, :class:`PanMaskingFilter` masks anything that looks like a PAN
in every record of the ``support_server`` loggers.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from typing import Any

from panread.pan import PAN_PATTERN, mask_pan

__all__ = ["PanMaskingFilter", "configure_logging", "log_event"]

LOGGER_NAME = "support_server"
_PAN_ANYWHERE = re.compile(rf"\b{PAN_PATTERN.pattern}\b")


def _mask_text(text: str) -> str:
    return _PAN_ANYWHERE.sub(lambda m: mask_pan(m.group(0)), text)


class PanMaskingFilter(logging.Filter):
    """Rewrites every record so that nothing shaped like a PAN is written in full."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


def _format_value(value: Any) -> str:
    text = str(value)
    if not text.isprintable():  # control, bidi or zero-width characters: escape them all
        return json.dumps(text)
    if text == "" or any(ch in text for ch in ' "='):
        return json.dumps(text, ensure_ascii=False)
    return text


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Log one event as ``event=<name> k=v ...`` (keys sorted as given)."""
    if not logger.isEnabledFor(level):
        return
    parts = [f"event={event}"]
    parts.extend(f"{k}={_format_value(v)}" for k, v in fields.items() if v is not None)
    logger.log(level, " ".join(parts))


class _KeyValueFormatter(logging.Formatter):
    def __init__(self, *, as_json: bool) -> None:
        super().__init__()
        self._as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        ts = dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds")
        message = record.getMessage()
        if record.exc_info:
            message += " exc=" + json.dumps(self.formatException(record.exc_info))
        if self._as_json:
            return json.dumps(
                {"ts": ts, "level": record.levelname, "logger": record.name, "msg": message},
                ensure_ascii=False,
            )
        return f"ts={ts} level={record.levelname} logger={record.name} {message}"


def configure_logging(level: int, fmt: str = "kv") -> None:
    """Send ``support_server`` logs to stderr, one line per event (used by the CLI)."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if getattr(handler, "_support_server", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_KeyValueFormatter(as_json=fmt == "json"))
    handler.addFilter(PanMaskingFilter())
    handler._support_server = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.propagate = False
