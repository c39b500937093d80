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
from ._backend import HubBackend
from ._context import AppContext, SupportApp
from ._hub import CustomerPan, Delivery, Hub, HubError, Outcome, PanStatus
from ._ocr import CardReader, ReaderFactory, default_reader_factory
from ._settings import Settings, SettingsError

__all__ = [
    "AccountError",
    "AccountStore",
    "AppContext",
    "CardReader",
    "CustomerPan",
    "Delivery",
    "Employee",
    "Hub",
    "HubBackend",
    "HubError",
    "Outcome",
    "PanStatus",
    "ReaderFactory",
    "Settings",
    "SettingsError",
    "SupportApp",
    "create_app",
    "default_reader_factory",
]
