"""Limits on what panread agrees to decode."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReadLimits"]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Upper bounds on an input image.

    ``max_bytes`` caps the encoded size, ``max_pixels`` the decoded width x height. An image
    over ``max_pixels`` raises :class:`~panread.ImageTooLargeError`; one over twice that (far
    more pixels than an honest photo or scan has) raises
    :class:`~panread.DecompressionBombError` before any pixel is decoded.
    """

    max_bytes: int = 25_000_000
    max_pixels: int = 90_000_000

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pixels"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"ReadLimits.{name} must be an int, got {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"ReadLimits.{name} must be positive, got {value}")
