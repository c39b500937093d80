"""Prometheus metrics of the desk, served by ``GET /metrics`` (see ``_metrics_route``).

Each app has its own :class:`DeskMetrics` (its own ``CollectorRegistry`` on ``app.ctx``, no
global state). The server calls a few narrow methods where things happen (a message in or
out, an error sent, a pick, an OCR read); the desk's counts (waiting customers, rooms,
connected employees, OCR jobs in flight) are passed in when Prometheus scrapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)
from prometheus_client.exposition import choose_encoder

__all__ = ["DeskCounts", "DeskMetrics"]

PICK_WAIT_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)
"""Seconds from joining the queue to being picked: from a few seconds to an hour."""
OCR_BUCKETS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0, 60.0)
"""Seconds for one card read, queue wait included (about 0.5-3 s on two cores)."""


@dataclass(frozen=True, slots=True)
class DeskCounts:
    """The desk's state at scrape time."""

    waiting: int
    rooms: int
    employees_here: int
    ocr_in_flight: int


class DeskMetrics:
    """The metrics of one app, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._waiting = Gauge(
            "support_waiting_customers", "Customers waiting in the queue.", registry=r
        )
        self._rooms = Gauge("support_active_rooms", "Calls in progress (rooms).", registry=r)
        self._employees = Gauge(
            "support_connected_employees",
            "Employee sockets connected to this process.",
            registry=r,
        )
        self._ocr_in_flight = Gauge(
            "support_ocr_queue_depth",
            "OCR jobs of this process waiting for or running in a worker.",
            registry=r,
        )
        self._pick_wait = Histogram(
            "support_join_to_pick_seconds",
            "Time from a customer joining the queue to an employee picking them.",
            buckets=PICK_WAIT_BUCKETS,
            registry=r,
        )
        self._ocr = Histogram(
            "support_ocr_seconds",
            "Time to read one uploaded card, waiting for a worker included.",
            buckets=OCR_BUCKETS,
            registry=r,
        )
        self._messages = Counter(
            "support_ws_messages",
            "WebSocket messages received (in) and sent (out), by role.",
            ["direction", "role"],
            registry=r,
        )
        self._message_counts = {
            (direction, role): self._messages.labels(direction, role)
            for direction in ("in", "out")
            for role in ("customer", "employee")
        }
        """Each message counts here, so the labelled counters are looked up once."""
        self._errors = Counter(
            "support_errors",
            "Errors answered to clients, by code and transport (http, ws).",
            ["code", "transport"],
            registry=r,
        )

    def message_in(self, role: str) -> None:
        self._message_counts["in", role].inc()

    def message_out(self, role: str) -> None:
        self._message_counts["out", role].inc()

    def error(self, code: str, transport: str) -> None:
        self._errors.labels(code, transport).inc()

    def picked(self, waited_s: float) -> None:
        self._pick_wait.observe(max(0.0, waited_s))

    def ocr_read(self, seconds: float) -> None:
        self._ocr.observe(seconds)

    def render(self, counts: DeskCounts, accept: str) -> tuple[bytes, str]:
        """The body and content type for a scrape, with the desk's counts as of now.

        ``accept`` is the request's ``Accept`` header: OpenMetrics if Prometheus asks for it,
        else the classic text format.
        """
        self._waiting.set(counts.waiting)
        self._rooms.set(counts.rooms)
        self._employees.set(counts.employees_here)
        self._ocr_in_flight.set(counts.ocr_in_flight)
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type
