"""The server's connection protocol: Sanic's, with total deadlines for slow senders.

Sanic restarts its request timer on every bytes received, so a client that sends one byte
a second holds a connection (and a buffer) for as long as it likes. Here the timer is not
restarted while a request is still arriving: all headers must arrive within
``HEADER_TIMEOUT`` seconds of the request's first byte (Sanic's ``REQUEST_TIMEOUT``), and
the whole request, headers and body, within ``BODY_TIMEOUT``. Past either the client gets
``408`` and the connection is closed. WebSockets and idle keep-alive connections are
unchanged.
"""

from __future__ import annotations

from time import monotonic as current_time
from typing import Any

from sanic.exceptions import RequestTimeout
from sanic.http import Stage
from sanic.server.protocols.websocket_protocol import WebSocketProtocol

__all__ = ["DeadlineProtocol"]


class DeadlineProtocol(WebSocketProtocol):
    """:class:`WebSocketProtocol` whose request timer runs from a request's first byte."""

    def _receiving(self) -> bool:
        http: Any = self.http
        if http is None or self.websocket is not None:
            return False
        return http.stage is Stage.REQUEST or (
            http.stage is Stage.HANDLER and bool(http.request_body)
        )

    def data_received(self, data: bytes) -> None:
        started = self._time
        receiving = self._receiving()
        super().data_received(data)  # type: ignore[no-untyped-call]
        if receiving:
            self._time = started

    def check_timeouts(self) -> None:
        http: Any = self.http
        if (
            self._task
            and self._receiving()
            and http.stage is Stage.HANDLER
            and current_time() - self._time > self.app.config.BODY_TIMEOUT
        ):
            http.exception = RequestTimeout("The request body took too long to arrive.")
            self._task.cancel("request body deadline")
            return
        super().check_timeouts()  # type: ignore[no-untyped-call]
