"""Where uploaded card images (the previews employees look at) are kept.

The image store is separate from the live state: it holds bytes, the live state holds who may
see them. :class:`MemoryImageStore` keeps them in this process within a byte budget; the Redis
backend has its own store so that any process can serve ``GET /api/pan/images/...``.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ImageStore", "MemoryImageStore", "StoredImage"]


@dataclass(frozen=True, slots=True)
class StoredImage:
    """One customer's latest card image (the card cut out as read) and the picture it was cut
    from; ``data`` and ``original`` are empty once dropped to save memory."""

    image_id: str
    data: bytes
    content_type: str
    original: bytes = b""
    original_type: str = "image/jpeg"

    @property
    def size(self) -> int:
        """Bytes held."""
        return len(self.data) + len(self.original)

    def dropped(self) -> StoredImage:
        """This image with its bytes gone (its id kept)."""
        return StoredImage(self.image_id, b"", self.content_type, b"", self.original_type)


class ImageStore(Protocol):
    """One image per customer: a new upload replaces the customer's previous one."""

    async def put(self, customer_id: str, image: StoredImage) -> None: ...

    async def get(self, customer_id: str, image_id: str) -> StoredImage | None:
        """The customer's image if its id is ``image_id`` (compared in constant time)."""

    async def discard(self, customer_id: str) -> None:
        """Forget the customer's image (the customer left)."""

    async def bytes_used(self) -> int: ...


class MemoryImageStore:
    """Images in memory, within ``budget`` bytes in all: past it, the images stored longest
    ago lose their bytes (their ids stay, so a request for one is told it was dropped)."""

    def __init__(self, *, budget: int | None = None) -> None:
        if budget is not None and budget <= 0:
            raise ValueError(f"image_budget must be positive, got {budget}")
        self._budget = budget
        self._images: dict[str, StoredImage] = {}
        self._held: OrderedDict[str, int] = OrderedDict()  # customers whose bytes are kept
        self._bytes = 0

    async def put(self, customer_id: str, image: StoredImage) -> None:
        await self.discard(customer_id)
        self._images[customer_id] = image
        self._held[customer_id] = image.size
        self._bytes += image.size
        budget = self._budget
        while budget is not None and self._bytes > budget and len(self._held) > 1:
            oldest, size = self._held.popitem(last=False)
            self._bytes -= size
            self._images[oldest] = self._images[oldest].dropped()

    async def get(self, customer_id: str, image_id: str) -> StoredImage | None:
        image = self._images.get(customer_id)
        if image is None or not secrets.compare_digest(image.image_id, image_id):
            return None
        return image

    async def discard(self, customer_id: str) -> None:
        self._images.pop(customer_id, None)
        self._bytes -= self._held.pop(customer_id, 0)

    async def bytes_used(self) -> int:
        return self._bytes
