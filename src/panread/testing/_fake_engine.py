"""A fake OCR engine: returns text boxes you give it, so nothing loads a model.

Like httpx's ``MockTransport``: parsing, the reading pipeline and programs built on panread
(the support server) can be tested fast and deterministically.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from panread._engine import Image, Quad, TextBox, quad_from_rect
from panread._reader import PanReader

__all__ = ["FAKE_CARD_LINES", "FakeEngine", "fake_reader"]

_REF_W, _REF_H = 1000.0, 630.0

FAKE_CARD_LINES: tuple[str, ...] = (
    "INCOME TAX DEPARTMENT",
    "Permanent Account Number Card",
    "ABCPR1234F",
    "Name",
    "ASHA RAO",
    "Father's Name",
    "RAMESH RAO",
    "Date of Birth",
    "31/01/1990",
)
"""The lines :func:`fake_reader` "sees": a new-layout card of ASHA RAO, PAN ABCPR1234F."""


@dataclass(frozen=True, slots=True)
class _Item:
    text: str
    confidence: float
    box: Quad  # in a 1000 x 630 reference card


class FakeEngine:
    """An :class:`~panread.OcrEngine` that "reads" fixed text, whatever the pixels.

    Give it ``(text, confidence, box)`` triples, or build one with :meth:`from_lines`. Boxes
    are in a 1000 x 630 reference frame and are scaled to each image passed in, so any
    decodable image of at least 16 x 16 pixels reads as the card. ``calls`` counts the calls
    to each method.
    """

    def __init__(self, items: Iterable[tuple[str, float, Quad]]) -> None:
        self._items = [_Item(t, c, b) for t, c, b in items]
        self.calls: dict[str, int] = {"load": 0, "detect": 0, "recognize": 0}

    @classmethod
    def from_lines(cls, lines: Sequence[str], *, confidence: float = 0.99) -> FakeEngine:
        """One box per line, stacked top to bottom at a readable size."""
        step = (_REF_H - 40) / max(1, len(lines))
        items = []
        for i, text in enumerate(lines):
            y0 = 20 + i * step
            x1 = min(_REF_W - 20, 40 + 22 * max(1, len(text)))
            items.append((text, confidence, quad_from_rect(40, y0, x1, y0 + 0.6 * step)))
        return cls(items)

    def load(self) -> None:
        self.calls["load"] += 1

    def _scale(self, image: Image) -> tuple[float, float]:
        h, w = image.shape[:2]
        return w / _REF_W, h / _REF_H

    def detect(self, image: Image) -> list[Quad]:
        self.calls["detect"] += 1
        sx, sy = self._scale(image)
        return [tuple((x * sx, y * sy) for x, y in it.box) for it in self._items]  # type: ignore[misc]

    def recognize(self, image: Image, boxes: Sequence[Quad]) -> list[TextBox]:
        self.calls["recognize"] += 1
        sx, sy = self._scale(image)
        out = []
        for q in boxes:
            cx = sum(p[0] for p in q) / 4 / sx
            cy = sum(p[1] for p in q) / 4 / sy
            best = min(
                self._items,
                key=lambda it: (
                    (sum(p[0] for p in it.box) / 4 - cx) ** 2
                    + (sum(p[1] for p in it.box) / 4 - cy) ** 2
                ),
            )
            out.append(TextBox(best.text, best.confidence, q))
        return out


def fake_reader() -> PanReader:
    """A :class:`~panread.PanReader` that reads every image as the same valid card.

    The card (see :data:`FAKE_CARD_LINES`): PAN ``ABCPR1234F``, name ``ASHA RAO``, father's
    name ``RAMESH RAO``, date of birth 1990-01-31, layout ``new``, holder ``individual``.
    Input decoding and its errors are real. This function is importable by name, so it can
    serve as a process-pool initialiser or factory.
    """
    return PanReader(FakeEngine.from_lines(FAKE_CARD_LINES))
