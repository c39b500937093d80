"""An employee's view of the queue built the way clients build it (docs/protocol.md): a
``queue`` snapshot, then the numbered changes of ``queue_changes`` messages."""

from __future__ import annotations

from typing import Any

Message = dict[str, Any]


class QueueGap(Exception):
    """The changes do not follow on from the view: the client must ask for a snapshot."""


class QueueView:
    """The queue as one employee's client sees it."""

    def __init__(self) -> None:
        self.seq: int | None = None
        self.customers: list[Message] = []

    @property
    def ids(self) -> list[str]:
        return [c["customer_id"] for c in self.customers]

    def apply(self, message: Message) -> None:
        """Apply a ``queue`` or ``queue_changes`` message (other types are ignored); raise
        :class:`QueueGap` when a change is missing or does not fit."""
        if message["type"] == "queue":
            self.seq = message["seq"]
            self.customers = list(message["customers"])
        elif message["type"] == "queue_changes":
            if self.seq is None:
                return  # no snapshot yet: it will include these changes
            for change in message["changes"]:
                self._apply_change(change)
            last = message["changes"][-1]["seq"]  # 'waiting' counts the queue after it
            if last == self.seq and len(self.customers) != message["waiting"]:
                raise QueueGap(f"{len(self.customers)} in view, {message['waiting']} waiting")

    def _apply_change(self, change: Message) -> None:
        assert self.seq is not None
        if change["seq"] <= self.seq:
            return  # already in the snapshot
        if change["seq"] != self.seq + 1:
            raise QueueGap(f"change {change['seq']} after {self.seq}")
        self.seq = change["seq"]
        if change["op"] == "added":
            index = change["position"] - 1
            if not 0 <= index <= len(self.customers):
                raise QueueGap(f"position {change['position']} of {len(self.customers)}")
            self.customers.insert(index, change["customer"])
            return
        customer_id = change["customer"]["customer_id"] if "customer" in change else None
        customer_id = change.get("customer_id", customer_id)
        where = self.ids.index(customer_id) if customer_id in self.ids else None
        if where is None:
            raise QueueGap(f"{change['op']} of {customer_id}, who is not in the view")
        if change["op"] == "removed":
            del self.customers[where]
        else:
            self.customers[where] = change["customer"]
