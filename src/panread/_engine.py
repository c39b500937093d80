"""The OCR engine seam: pixels in, text boxes out.

The reading pipeline talks to an :class:`OcrEngine` only, so tests (and other programs) can
swap the EasyOCR model for :class:`panread.testing.FakeEngine`, the way httpx swaps its
transport.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = ["Image", "OcrEngine", "Point", "Quad", "TextBox", "quad_from_rect"]

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]
"""Four corners (x, y) in pixels: top-left, top-right, bottom-right, bottom-left."""

Image = NDArray[np.uint8]
"""An RGB image, H x W x 3, uint8."""


def quad_from_rect(x0: float, y0: float, x1: float, y1: float) -> Quad:
    """Return the quad of an axis-aligned rectangle."""
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


@dataclass(frozen=True, slots=True)
class TextBox:
    """One piece of text the engine recognised, with its confidence in [0, 1] and its quad."""

    text: str
    confidence: float
    box: Quad
    alternatives: tuple[tuple[tuple[str, float], ...], ...] = ()
    """Optional, per character of ``text``: the recogniser's best guesses ``(char, prob)``,
    best first. The parser uses them to correct a PAN's letters and digits by position."""

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError("TextBox.text must be a str")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"TextBox.confidence must be in [0, 1], got {self.confidence}")
        if len(self.box) != 4:
            raise ValueError("TextBox.box must have four corners")
        if self.alternatives and len(self.alternatives) != len(self.text):
            raise ValueError("TextBox.alternatives must have one entry per character of text")

    @property
    def left(self) -> float:
        return min(p[0] for p in self.box)

    @property
    def right(self) -> float:
        return max(p[0] for p in self.box)

    @property
    def top(self) -> float:
        return min(p[1] for p in self.box)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.box)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2


@runtime_checkable
class OcrEngine(Protocol):
    """What the reading pipeline needs from an OCR engine.

    ``detect`` finds text regions in an RGB image at the resolution given (the pipeline
    chooses the resolution); ``recognize`` reads the text inside the given quads of an image,
    returning one :class:`TextBox` per quad in the same order. Both must be safe to call
    from several threads.
    """

    def load(self) -> None:
        """Load the model now (otherwise it loads on first use). Idempotent."""
        ...

    def detect(self, image: Image) -> list[Quad]:
        """Return the quads of text regions found in ``image``."""
        ...

    def recognize(self, image: Image, boxes: Sequence[Quad]) -> list[TextBox]:
        """Return the text read inside each quad of ``image``."""
        ...
