"""support_server: one Sanic server for the PAN support desk.

WebSocket signaling with a live queue and rooms, the PAN extraction API (OCR in worker
processes), employee login, and hosting of both built web apps. See ``docs/protocol.md``.

::

    from support_server import Settings, create_app
    app = create_app(Settings.from_env())
"""

from __future__ import annotations

from ._accounts import AccountError, AccountStore, Employee
from ._app import create_app
from ._context import AppContext, SupportApp
from ._desk import CustomerPan, Desk
from ._hub import Hub
from ._images import ImageStore, MemoryImageStore, StoredImage
from ._ocr import CardReader, ReaderFactory, default_reader_factory
from ._outbound import CloseCode, Delivery, Outcome
from ._settings import Settings, SettingsError
from ._state import (
    HubError,
    LiveState,
    PanRecord,
    PanStatus,
    QueueChange,
    QueueEvent,
    QueueOp,
    WaitChanged,
)

__all__ = [
    "AccountError",
    "AccountStore",
    "AppContext",
    "CardReader",
    "CloseCode",
    "CustomerPan",
    "Delivery",
    "Desk",
    "Employee",
    "Hub",
    "HubError",
    "ImageStore",
    "LiveState",
    "MemoryImageStore",
    "Outcome",
    "PanRecord",
    "PanStatus",
    "QueueChange",
    "QueueEvent",
    "QueueOp",
    "ReaderFactory",
    "Settings",
    "SettingsError",
    "StoredImage",
    "SupportApp",
    "WaitChanged",
    "create_app",
    "default_reader_factory",
]
