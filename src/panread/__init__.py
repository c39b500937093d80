"""panread: read Indian PAN cards from photos and scans.

::

    from panread import PanReader
    card = PanReader().read("card.jpg")
    card.pan.value, card.name.value, card.dob.value, card.to_dict()

See ``docs/panread.md`` for layouts, confidence, limits and errors.
"""

from __future__ import annotations

from ._easyocr_engine import EasyOcrEngine
from ._engine import OcrEngine, Quad, TextBox
from ._exceptions import (
    DecompressionBombError,
    EmptyImageError,
    ImageError,
    ImageTooLargeError,
    ModelError,
    NoCardFoundError,
    NotAnImageError,
    PanReadError,
    TruncatedImageError,
    UnsupportedFormatError,
)
from ._extraction import CardImage, Extraction
from ._limits import ReadLimits
from ._parse import parse_text_boxes
from ._portrait import Box
from ._quality import THRESHOLDS as QUALITY_THRESHOLDS
from ._quality import QualityThresholds
from ._reader import PanReader, read_pan
from ._types import Field, HolderType, Layout, PanCard, QualityCode, QualityFinding

__all__ = [
    "QUALITY_THRESHOLDS",
    "Box",
    "CardImage",
    "DecompressionBombError",
    "EasyOcrEngine",
    "EmptyImageError",
    "Extraction",
    "Field",
    "HolderType",
    "ImageError",
    "ImageTooLargeError",
    "Layout",
    "ModelError",
    "NoCardFoundError",
    "NotAnImageError",
    "OcrEngine",
    "PanCard",
    "PanReadError",
    "PanReader",
    "Quad",
    "QualityCode",
    "QualityFinding",
    "QualityThresholds",
    "ReadLimits",
    "TextBox",
    "TruncatedImageError",
    "UnsupportedFormatError",
    "parse_text_boxes",
    "read_pan",
]
